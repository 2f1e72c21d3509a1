package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.ParseResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.onloop.testkit.ingest.EventParserContract.resource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A time the sender gave but onloop cannot read is not a reason to lose the alert: it takes the time it arrived,
 * and the 202's warnings say where (formats whose times people write: templates, scripts, hand-made payloads).
 */
class UnreadableTimesTest {

    static Stream<Arguments> documentedPayloadsWithTheirTimeBroken() {
        return Stream.of(
                Arguments.of(new AlertmanagerParser(), "payloads/alertmanager/firing-group.json",
                        "\"startsAt\": \"2024-05-01T10:00:00Z\"", "\"startsAt\": \"yesterday\"", "/alerts/0/startsAt"),
                Arguments.of(new GrafanaParser(), "payloads/grafana/docs-webhook.json",
                        "\"startsAt\": \"2021-10-12T09:51:03.157076+02:00\"", "\"startsAt\": \"yesterday\"", "/alerts/0/startsAt"),
                Arguments.of(new PagerDutyParser(), "payloads/pagerduty/docs-trigger.json",
                        "\"timestamp\": \"2015-07-17T08:42:58.315+0000\"", "\"timestamp\": \"yesterday\"", "/payload/timestamp"),
                Arguments.of(new DatadogParser(), "payloads/datadog/default-payload.json",
                        "\"date\": \"1591216985000\"", "\"date\": \"yesterday\"", "/date"),
                Arguments.of(new AzureMonitorParser(), "payloads/azure-monitor/log-v2-fired.json",
                        "\"firedDateTime\":\"2020-07-09T14:04:49.99645Z\"", "\"firedDateTime\":\"yesterday\"",
                        "/data/essentials/firedDateTime"));
    }

    @ParameterizedTest
    @MethodSource("documentedPayloadsWithTheirTimeBroken")
    void anUnreadableTimeIsWarnedAboutAndTheAlertKept(EventParser parser, String sample, String time, String broken,
                                                      String pointer) throws Exception {
        String documented = new String(resource(sample), StandardCharsets.UTF_8);
        assertThat(documented).contains(time);
        ParseResult fine = parse(parser, documented);
        assertThat(fine.warnings()).isEmpty();
        assertThat(fine.alerts().getFirst().occurredAt()).isNotNull();

        ParseResult result = parse(parser, documented.replace(time, broken));
        assertThat(result.alerts()).hasSameSizeAs(fine.alerts());
        assertThat(result.alerts().getFirst().occurredAt()).isNull(); // the pipeline uses the time it arrived
        assertThat(result.warnings()).containsExactly(
                pointer + ": \"yesterday\" is not an RFC 3339 timestamp and was ignored");
    }

    @Test
    void aBrokenTemplateIsWarnedAboutAFewTimesNotOncePerAlert() throws Exception {
        String alert = "{\"status\":\"firing\",\"labels\":{\"alertname\":\"A%d\"},\"startsAt\":\"{{ .StartsAt }}\"}";
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            alerts.append(i == 0 ? "" : ",").append(alert.formatted(i));
        }
        ParseResult result = parse(new AlertmanagerParser(), "{\"version\":\"4\",\"alerts\":[" + alerts + "]}");
        assertThat(result.alerts()).hasSize(50);
        assertThat(result.warnings()).hasSize(Json.MAX_TIME_WARNINGS)
                .first().asString().startsWith("/alerts/0/startsAt: \"{{ .StartsAt }}\"");
    }

    private static ParseResult parse(EventParser parser, String body) throws Exception {
        return parser.parse(IngestRequest.of(body.getBytes(StandardCharsets.UTF_8)));
    }
}
