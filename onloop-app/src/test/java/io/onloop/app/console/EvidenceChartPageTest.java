package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import io.onloop.domain.anomaly.watch.Watch;
import io.onloop.domain.anomaly.watch.WatchEvent;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.metrics.MetricSeries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** An anomaly event's page draws its evidence as an SVG chart made of numbers only. */
class EvidenceChartPageTest extends AppTestBase {
    @Autowired
    EventIngestor ingestor;
    @Autowired
    EventNormalizer normalizer;

    /** The chart's points, as numbers only: a NaN among them does not match. */
    private static final Pattern VALUES = Pattern.compile("<polyline class=\"values\" points=\"([0-9., ]+)\"");

    /** The console's page of the event the watch event becomes, stored as the pipeline stores it. */
    private String eventPage(WatchEvent anomaly) {
        Event event = normalizer.toEvent(TENANT, null, SourceType.ONLOOP, anomaly.toAlert(), Instant.now());
        ingestor.submit(List.of(event), true).applied().join();
        var browser = new ConsoleClient(http.baseUrl());
        browser.signIn("admin", ADMIN_PASSWORD);
        return browser.get("/console/events/" + event.id()).body();
    }

    @Test
    void anAnomalyEventShowsItsChartWithTheExpectedBandAndNothingElseFromThePayload() {
        Instant t0 = Instant.now().minus(Duration.ofHours(1));
        List<MetricSeries.Point> chart = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chart.add(new MetricSeries.Point(t0.plusSeconds(60L * i).toEpochMilli(), i == 39 ? 900 : 100 + i % 3));
        }
        var watch = new Watch("evil\"><script>alert(1)</script>", "up", Duration.ofMinutes(1), Watch.Kind.ANOMALY, null, 0.5,
                null, null, null, Map.of());
        var anomaly = new WatchEvent(watch, EventStatus.FIRING, Map.of("pod", "<img src=x onerror=alert(2)>"),
                t0.plusSeconds(60 * 39), 900, 95, 105, 0.99, null, Double.NaN, chart);
        String page = eventPage(anomaly);
        var polyline = VALUES.matcher(page);
        assertThat(polyline.find()).as(page).isTrue();
        String[] points = polyline.group(1).split(" ");
        assertThat(points).hasSize(40);
        // the spike is the highest point (smallest y), at the right edge
        assertThat(points[39]).isEqualTo("594.0,6.0");
        assertThat(page).contains("<rect class=\"band\"").doesNotContain("<line class=\"limit\"")
                .contains("aria-label=\"Recent values, on a scale from 95.00 to 900.0\"")
                .doesNotContain("<script>alert(1)", "<img src=x");
    }

    @Test
    void valuesAtTheEdgesOfWhatADoubleHoldsAreDrawnNotNaN() {
        Instant t0 = Instant.now().minus(Duration.ofHours(1));
        List<MetricSeries.Point> chart = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chart.add(new MetricSeries.Point(t0.plusSeconds(60L * i).toEpochMilli(), i == 0 ? 1e308 : i == 39 ? -1e308 : 1.0));
        }
        var anomaly = new WatchEvent(Watch.anomaly("edges", "up", Duration.ofMinutes(1)), EventStatus.FIRING, Map.of("pod", "p"),
                t0.plusSeconds(60 * 39), -1e308, 0.9, 1.1, 0.99, null, Double.NaN, chart);
        String page = eventPage(anomaly);
        var polyline = VALUES.matcher(page);
        assertThat(polyline.find()).as("no NaN among the points").isTrue();
        String[] points = polyline.group(1).split(" ");
        assertThat(points).hasSize(40);
        double top = Double.parseDouble(points[0].split(",")[1]);
        double middle = Double.parseDouble(points[1].split(",")[1]);
        double bottom = Double.parseDouble(points[39].split(",")[1]);
        assertThat(middle).as("1.0 halfway between -1e308 and 1e308").isStrictlyBetween(top, bottom)
                .isCloseTo((top + bottom) / 2, org.assertj.core.data.Offset.offset(1.0));
        assertThat(page).doesNotContain("NaN");
    }

    @Test
    void eventsFromOtherSourcesHaveNoChart() {
        String token = source("generic");
        String incident = http.post("/api/v1/ingest/generic").bearer(token).header("Prefer", "wait=10")
                .json("{\"title\":\"no chart\",\"severity\":\"low\",\"resource\":\"svc-x\"}").send().expect(202).json()
                .get("incidentIds").get(0).asString();
        String event = http.get("/api/v1/events?incident=" + incident).bearer(ADMIN_TOKEN).send().expect(200).json()
                .get("items").get(0).get("id").asString();

        var browser = new ConsoleClient(http.baseUrl());
        browser.signIn("admin", ADMIN_PASSWORD);
        assertThat(browser.get("/console/events/" + event).body()).doesNotContain("svg class=\"evidence\"");
    }
}
