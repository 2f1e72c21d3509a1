package io.onloop.domain.routing;

import io.onloop.domain.event.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.onloop.domain.routing.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

class DryRunTest {

    @Test
    void saysWhichRoutesReceiversAndGroupAndWhatSuppressesIt() {
        RoutingConfig config = new RoutingConfig(Alerts.route("root", "ops", List.of(), false, List.of("alertname"),
                List.of(Alerts.route("root.0", "web", List.of(Matcher.parse("service=web")), false,
                                List.of("alertname", "service"), List.of()),
                        Alerts.route("root.1", "pager", List.of(Matcher.parse("severity=critical")), false, List.of(),
                                List.of()))),
                Map.of("web", new Receiver("web", List.of(new Receiver.Target("slack", "chan", Map.of())))),
                List.of(), Map.of());
        Silence s = new Silence(UUID.randomUUID(), "t1", List.of(Matcher.parse("service=web")), T0.minusSeconds(1),
                T0.plusSeconds(60), "ana", "deploy", T0);
        DryRun run = DryRun.of(Alerts.firing("x", Severity.HIGH, Map.of("alertname", "Slow", "service", "web"), T0),
                config, List.of(s), Map.of(), T0);
        assertThat(run.matches()).hasSize(1);
        DryRun.Match m = run.matches().getFirst();
        assertThat(m.routeId()).isEqualTo("root.0");
        assertThat(m.targets()).containsExactly("slack:chan");
        assertThat(m.groupLabels()).isEqualTo(Map.of("alertname", "Slow", "service", "web"));
        assertThat(m.suppressedBy().kind()).isEqualTo(Suppression.Kind.SILENCE);
        assertThat(m.suppressedBy().reason()).contains("ana").contains("deploy");
        assertThat(run.trace()).anySatisfy(line -> assertThat(line).startsWith("root.0: matched"));
        assertThat(run.labels()).containsEntry("severity", "high").containsEntry("source", "alertmanager");

        DryRun other = DryRun.of(Alerts.firing("y", Severity.LOW, Map.of("alertname", "Slow"), T0), config, List.of(s),
                Map.of(), T0);
        assertThat(other.matches().getFirst().routeId()).isEqualTo("root");
        assertThat(other.matches().getFirst().suppressedBy()).isNull();
        assertThat(other.trace()).contains("root.1: no match, severity=\"critical\" does not hold");

        DryRun info = DryRun.of(Alerts.event("z", io.onloop.domain.event.EventStatus.INFORMATIONAL, Severity.INFO,
                Map.of("alertname", "Slow", "service", "web"), T0), config, List.of(s), Map.of(), T0);
        assertThat(info.matches()).as("informational events are never notified").isEmpty();
        assertThat(info.trace()).singleElement().asString().startsWith("not routed: an informational event");
    }

    /** A resolve is said only by a group that announced its alert firing. */
    @Test
    void aResolveOfAnAlertThatIsNotFiringSaysItWouldSendNothing() {
        RoutingConfig config = new RoutingConfig(Alerts.route("root", "ops", List.of(), false, List.of("alertname"),
                List.of()), Map.of("ops", new Receiver("ops", List.of(new Receiver.Target("slack", "chan", Map.of())))),
                List.of(), Map.of());
        Map<String, String> labels = Map.of("alertname", "Slow");
        DryRun unknown = DryRun.of(Alerts.resolved("x", Severity.HIGH, labels, T0), config, List.of(), Map.of(), T0);
        assertThat(unknown.matches()).singleElement().satisfies(m -> {
            assertThat(m.receiver()).isEqualTo("ops");
            assertThat(m.suppressedBy().kind()).isEqualTo(Suppression.Kind.NOTHING_TO_RESOLVE);
            assertThat(m.suppressedBy().reason()).contains("would send nothing");
        });
        DryRun firing = DryRun.of(Alerts.resolved("x", Severity.HIGH, labels, T0), config, List.of(),
                Map.of("x", labels), T0);
        assertThat(firing.matches()).singleElement().satisfies(m -> assertThat(m.suppressedBy()).isNull());
    }
}
