package io.onloop.app.anomaly;

import io.onloop.domain.anomaly.watch.Watch;
import io.onloop.domain.event.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnomalyPropertiesTest {

    @Test
    void aPrometheusUrlThatCannotWorkIsRefusedAtStart() {
        for (String url : java.util.List.of("ftp://127.0.0.1:9090", "prometheus:9090", "http:/prometheus")) {
            assertThatThrownBy(() -> new AnomalyProperties.Prometheus(java.net.URI.create(url), null, null, null,
                    Duration.ofSeconds(5), Duration.ofSeconds(30))).as(url)
                    .hasMessageStartingWith("onloop.anomaly.prometheus.url must be an http:// or https:// URL with a host");
        }
        assertThat(new AnomalyProperties.Prometheus(java.net.URI.create("https://thanos.example:10902/"), null, null, null,
                Duration.ofSeconds(5), Duration.ofSeconds(30)).url()).hasHost("thanos.example");
    }

    @Test
    void aConfiguredWatchGetsItsKindsDefaults() {
        Watch anomaly = new AnomalyProperties.WatchProperties("lat", "q", Duration.ofMinutes(1), "anomaly", null, null,
                null, null, null, Map.of()).toWatch();
        Watch leak = new AnomalyProperties.WatchProperties("mem", "q", Duration.ofMinutes(1), " Exhaustion ", null, null,
                2e9, null, Duration.ofHours(4), Map.of("team", "a")).toWatch();

        assertThat(anomaly.kind()).isEqualTo(Watch.Kind.ANOMALY);
        assertThat(anomaly.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(anomaly.threshold()).isEqualTo(Watch.DEFAULT_THRESHOLD);
        assertThat(leak.kind()).isEqualTo(Watch.Kind.EXHAUSTION);
        assertThat(leak.severity()).isEqualTo(Severity.HIGH);
        assertThat(leak.labels()).containsEntry("team", "a");
    }

    @Test
    void aBrokenWatchStopsTheStartWithItsName() {
        assertThatThrownBy(() -> new AnomalyProperties.WatchProperties("disk", "q", Duration.ofMinutes(1), "leak", null, null,
                null, null, null, Map.of()).toWatch()).hasMessage("watch disk: kind must be anomaly or exhaustion, not leak");
        assertThatThrownBy(() -> new AnomalyProperties.WatchProperties("disk", "q", Duration.ofMinutes(1), "exhaustion", null, null,
                null, null, Duration.ofHours(1), Map.of()).toWatch()).hasMessage("watch disk: give either limit or limit-query");
        assertThatThrownBy(() -> new AnomalyProperties.WatchProperties("disk", "q", Duration.ofMinutes(1), "exhaustion", null, null,
                1.0, null, null, Map.of()).toWatch()).hasMessage("watch disk: horizon must be positive");
        assertThatThrownBy(() -> new AnomalyProperties.WatchProperties("lat", "q", Duration.ofMinutes(1), "anomaly", null, 1.5,
                null, null, null, Map.of()).toWatch()).hasMessage("watch lat: threshold must be in (0, 1]");
        assertThatThrownBy(() -> new AnomalyProperties.WatchProperties("lat", " ", Duration.ofMinutes(1), "anomaly", null, null,
                null, null, null, Map.of()).toWatch()).hasMessage("watch lat needs a query");
        assertThatThrownBy(() -> new AnomalyProperties.WatchProperties("disk", "q", Duration.ofMinutes(1), "exhaustion", null,
                null, 0.0, null, Duration.ofHours(1), Map.of()).toWatch()).hasMessage("watch disk: limit must be a positive number");
    }

    @Test
    void settingsThatCannotWorkStopTheStartNamingTheSetting() {
        var ok = new AnomalyProperties.WatchProperties("lat", "q", Duration.ofMinutes(1), "anomaly", null, null, null,
                null, null, Map.of());
        var broken = new AnomalyProperties.WatchProperties("disk", "q", Duration.ofMinutes(1), "exhaustion", null, null,
                1.0, null, null, Map.of());
        assertThatThrownBy(() -> new AnomalyProperties(null, null, Duration.ofSeconds(30), Duration.ofHours(6), 10_000,
                "novelty", java.util.List.of(ok, broken), false, Duration.ofMinutes(1)))
                .hasMessage("onloop.anomaly.watches[1] (disk): watch disk: horizon must be positive");
        assertThatThrownBy(() -> new AnomalyProperties(null, null, Duration.ZERO, Duration.ofHours(6), 10_000,
                "novelty", java.util.List.of(), false, Duration.ofMinutes(1))).hasMessageStartingWith("onloop.anomaly.tick must be");
        assertThatThrownBy(() -> new AnomalyProperties(null, null, Duration.ofSeconds(30), Duration.ofHours(-1), 10_000,
                "novelty", java.util.List.of(), false, Duration.ofMinutes(1))).hasMessageStartingWith("onloop.anomaly.history must");
        assertThatThrownBy(() -> new AnomalyProperties(null, null, Duration.ofSeconds(30), Duration.ofHours(6), 0,
                "novelty", java.util.List.of(), false, Duration.ofMinutes(1))).hasMessageStartingWith("onloop.anomaly.max-series must");
        assertThatThrownBy(() -> new CloudWatchAnomalyConfig.CloudWatchProperties("eu-west-1", null, null, null,
                java.util.List.of(broken), Duration.ofMinutes(3)))
                .hasMessageStartingWith("onloop.anomaly.cloudwatch.watches[0] (disk): ");
    }

    @Test
    void twoWatchesOfOneNameStopTheStart() {
        var lat = new AnomalyProperties.WatchProperties("lat", "q", Duration.ofMinutes(1), "anomaly", null, null, null, null,
                null, Map.of());
        var other = new AnomalyProperties.WatchProperties("lat", "other_q", Duration.ofMinutes(1), "anomaly", null, null, null,
                null, null, Map.of());
        assertThatThrownBy(() -> new AnomalyProperties(null, null, Duration.ofSeconds(30), Duration.ofHours(6), 10_000,
                "novelty", java.util.List.of(lat, other), false, Duration.ofMinutes(1)))
                .hasMessage("onloop.anomaly.watches: two watches are named 'lat'; a watch's name is what its events are told apart by");
    }
}
