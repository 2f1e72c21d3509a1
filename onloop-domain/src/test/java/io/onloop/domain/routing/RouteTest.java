package io.onloop.domain.routing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.onloop.domain.routing.Alerts.route;
import static org.assertj.core.api.Assertions.assertThat;

/** The route tree walk, on the example of Alertmanager's configuration docs. */
class RouteTest {
    // root -> default
    //   service=~"foo1|foo2|baz" -> team-X; child severity=critical -> team-X-pager
    //   service="files" -> team-Y; child severity=critical -> team-Y-pager
    //   service="database" -> team-DB  (continue: true) ; owner="team-X" -> team-X (after it)
    private final Route tree = route("root", "default", List.of(), false, List.of("alertname"), List.of(
            route("root.0", "team-X", List.of(Matcher.parse("service=~\"foo1|foo2|baz\"")), false, List.of(),
                    List.of(route("root.0.0", "team-X-pager", List.of(Matcher.parse("severity=critical")), false,
                            List.of(), List.of()))),
            route("root.1", "team-Y", List.of(Matcher.parse("service=files")), false, List.of(),
                    List.of(route("root.1.0", "team-Y-pager", List.of(Matcher.parse("severity=critical")), false,
                            List.of(), List.of()))),
            route("root.2", "team-DB", List.of(Matcher.parse("service=database")), true, List.of(), List.of()),
            route("root.3", "team-X", List.of(Matcher.parse("owner=team-X")), false, List.of(), List.of())));

    private List<String> receivers(Map<String, String> labels) {
        return tree.match(labels).stream().map(Route::receiver).toList();
    }

    @Test
    void deepestMatchingNodeWinsAndTheFirstMatchingSiblingStops() {
        assertThat(receivers(Map.of("service", "foo1", "severity", "critical"))).containsExactly("team-X-pager");
        assertThat(receivers(Map.of("service", "foo2", "severity", "warning"))).containsExactly("team-X");
        assertThat(receivers(Map.of("service", "files", "owner", "team-X"))).containsExactly("team-Y");
    }

    @Test
    void continueLetsLaterSiblingsMatchToo() {
        assertThat(receivers(Map.of("service", "database", "owner", "team-X"))).containsExactly("team-DB", "team-X");
        assertThat(receivers(Map.of("service", "database"))).containsExactly("team-DB");
    }

    @Test
    void noMatchingChildFallsBackToTheRoot() {
        assertThat(receivers(Map.of("service", "other"))).containsExactly("default");
        assertThat(tree.match(Map.of()).getFirst().id()).isEqualTo("root");
    }

    @Test
    void groupLabelsLeaveOutMissingLabelsAndAreSorted() {
        Route r = route("r", "x", List.of(), false, List.of("cluster", "alertname"), List.of());
        assertThat(r.groupLabels(Map.of("alertname", "A", "cluster", "c1", "other", "o")))
                .containsExactly(Map.entry("alertname", "A"), Map.entry("cluster", "c1"));
        assertThat(r.groupLabels(Map.of("alertname", "A"))).containsExactly(Map.entry("alertname", "A"));
    }
}
