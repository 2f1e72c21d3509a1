package io.onloop.adapters.delivery;

import io.onloop.adapters.delivery.InvalidRoutesException.Problem;
import io.onloop.domain.routing.Matcher;
import io.onloop.domain.routing.Route;
import io.onloop.domain.routing.RoutingConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RoutesYamlTest {
    private final RoutesYaml parser = new RoutesYaml(Targets.descriptors(Targets.defaults()));

    static final String FULL = """
            route:
              receiver: ops
              group_by: [alertname, service]
              group_wait: 10s
              group_interval: 2m
              repeat_interval: 3h
              routes:
                - matchers: ['severity="critical"', 'environment=~"prod|staging"']
                  receiver: pager
                  continue: true
                  group_by: ['...']
                - matchers: ['service="db"']
                  receiver: db-team
                  mute_time_intervals: [weekend-maintenance]
                  active_time_intervals: [office-hours]
                  routes:
                    - matchers: ['resource_kind!="kubernetes"']
                      group_wait: 1m
            receivers:
              - name: ops
                targets:
                  - type: slack
                    name: ops-channel
                    settings: {bot_token: xoxb-1, channel: C123}
                  - type: webhook
                    settings:
                      url: https://hooks.example/onloop
                      secret: s3cret
              - name: pager
                targets:
                  - type: pagerduty
                    settings: {routing_key: R0UT1NG}
              - name: db-team
            inhibit_rules:
              - source_matchers: ['severity="critical"']
                target_matchers: ['severity=~"medium|low"']
                equal: [resource]
            time_intervals:
              - name: weekend-maintenance
                time_intervals:
                  - weekdays: ['saturday:sunday']
                    times: [{start_time: "02:00", end_time: "04:00"}]
                    location: Europe/Berlin
              - name: office-hours
                time_intervals:
                  - weekdays: ['monday:friday']
                    times: [{start_time: "09:00", end_time: "17:00"}]
            """;

    /** Groups are keyed by a route's key: it must not change when a route is inserted above or beside it. */
    @Test
    void aRoutesKeyIsItsMatchersChainAndStaysWhenARouteIsInsertedAboveIt() {
        String before = """
                route:
                  receiver: ops
                  routes:
                    - matchers: ['service="db"']
                      routes:
                        - matchers: ['severity="critical"']
                    - matchers: ['service="db"']
                      receiver: ops
                receivers: [{name: ops}]
                """;
        String after = before.replace("  routes:\n    - matchers: ['service=\"db\"']\n      routes:",
                "  routes:\n    - matchers: ['service=\"cache\"']\n    - matchers: ['service=\"db\"']\n      routes:");
        assertThat(after).isNotEqualTo(before);
        Route old = parser.parse(before).root();
        Route now = parser.parse(after).root();
        assertThat(old.key()).isEqualTo("{}");
        assertThat(old.routes()).extracting(Route::key).containsExactly("{}/{service=\"db\"}", "{}/{service=\"db\"}#2");
        assertThat(old.routes().getFirst().routes().getFirst().key())
                .isEqualTo("{}/{service=\"db\"}/{severity=\"critical\"}");
        assertThat(now.routes()).extracting(Route::id).containsExactly("root.0", "root.1", "root.2");
        assertThat(now.routes()).extracting(Route::key)
                .containsExactly("{}/{service=\"cache\"}", "{}/{service=\"db\"}", "{}/{service=\"db\"}#2");
        assertThat(now.routes().get(1).routes().getFirst().key()).isEqualTo(old.routes().getFirst().routes().getFirst().key());
    }

    @Test
    void readsAnAlertmanagerStyleFileWithInheritance() {
        RoutingConfig c = parser.parse(FULL);
        Route root = c.root();
        assertThat(root.id()).isEqualTo("root");
        assertThat(root.groupBy()).containsExactly("alertname", "service");
        assertThat(root.groupWait()).isEqualTo(Duration.ofSeconds(10));
        Route pager = root.routes().get(0);
        assertThat(pager.id()).isEqualTo("root.0");
        assertThat(pager.cont()).isTrue();
        assertThat(pager.groupByAll()).isTrue();
        assertThat(pager.matchers()).containsExactly(Matcher.parse("severity=\"critical\""),
                Matcher.parse("environment=~\"prod|staging\""));
        assertThat(pager.groupInterval()).as("inherited").isEqualTo(Duration.ofMinutes(2));
        Route db = root.routes().get(1);
        Route leaf = db.routes().getFirst();
        assertThat(leaf.id()).isEqualTo("root.1.0");
        assertThat(leaf.receiver()).as("inherited receiver").isEqualTo("db-team");
        assertThat(leaf.groupWait()).isEqualTo(Duration.ofMinutes(1));
        assertThat(leaf.repeatInterval()).isEqualTo(Duration.ofHours(3));
        assertThat(leaf.muteTimeIntervals()).as("time intervals are not inherited").isEmpty();
        assertThat(db.muteTimeIntervals()).containsExactly("weekend-maintenance");
        assertThat(c.receivers().get("ops").targets()).extracting(t -> t.type() + ":" + t.name())
                .containsExactly("slack:ops-channel", "webhook:webhook-1");
        assertThat(c.receivers().get("db-team").targets()).isEmpty();
        assertThat(c.inhibitRules().getFirst().equal()).containsExactly("resource");
        // Saturday 2026-03-07 02:30 Berlin = 01:30Z
        assertThat(c.mutedBy(db, Instant.parse("2026-03-07T01:30:00Z"))).contains("weekend-maintenance");
        assertThat(c.inactive(db, Instant.parse("2026-03-07T12:00:00Z"))).isTrue();
    }

    @Test
    void reportsEveryProblemWithLineColumnAndPath() {
        String bad = """
                route:
                  receiver: ops
                  group_wait: soon
                  routes:
                    - matchers: ['service=~"(db"']
                      receiver: nobody
                    - matcher: ['x="y"']
                receivers:
                  - name: ops
                    targets:
                      - type: slack
                        settings: {channel: C1, colour: red}
                      - type: carrier-pigeon
                      - type: webhook
                        settings: {url: ftp://x}
                """;
        InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> parser.parse(bad));
        List<Problem> p = e.problems();
        assertThat(p).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("route.group_wait");
            assertThat(x.line()).isEqualTo(3);
            assertThat(x.column()).isEqualTo(15);
            assertThat(x.message()).contains("not a duration");
        });
        assertThat(p).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("route.routes[0].matchers[0]");
            assertThat(x.line()).isEqualTo(5);
            assertThat(x.message()).contains("invalid regular expression");
        });
        assertThat(p).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("route.routes[0].receiver");
            assertThat(x.line()).isEqualTo(6);
            assertThat(x.message()).contains("no receiver named \"nobody\"");
        });
        assertThat(p).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("route.routes[1].matcher");
            assertThat(x.line()).isEqualTo(7);
            assertThat(x.message()).contains("unknown field");
        });
        assertThat(p).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("receivers[0].targets[0].settings.colour");
            assertThat(x.line()).isEqualTo(12);
        });
        assertThat(p).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("receivers[0].targets[0].settings.bot_token");
            assertThat(x.message()).isEqualTo("one of bot_token, webhook_url is required for slack");
        });
        assertThat(p).anySatisfy(x -> assertThat(x.message()).contains("unknown target type \"carrier-pigeon\""));
        assertThat(p).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("receivers[0].targets[2].settings.url");
            assertThat(x.message()).contains("http(s) URL");
        });
    }

    @Test
    void syntaxErrorsAndStructuralMistakesArePlaced() {
        InvalidRoutesException syntax = catchThrowableOfType(InvalidRoutesException.class,
                () -> parser.parse("route:\n  receiver: [ops\n"));
        assertThat(syntax.problems().getFirst().line()).isGreaterThanOrEqualTo(2);
        assertThat(syntax.problems().getFirst().message()).startsWith("not valid YAML");

        assertThatThrownBy(() -> parser.parse("receivers: []\n")).isInstanceOfSatisfying(InvalidRoutesException.class,
                e -> assertThat(e.problems()).extracting(Problem::path).contains("route"));
        assertThatThrownBy(() -> parser.parse("route: {receiver: a}\nreceivers:\n  - targets: []\n"))
                .isInstanceOfSatisfying(InvalidRoutesException.class, e -> assertThat(e.problems()).anySatisfy(x -> {
                    assertThat(x.path()).isEqualTo("receivers[0].name");
                    assertThat(x.message()).isEqualTo("required");
                    assertThat(x.line()).isEqualTo(3);
                }));
        assertThatThrownBy(() -> parser.parse("route:\n  receiver: a\n  matchers: ['x=\"y\"']\nreceivers: [{name: a}]\n"))
                .isInstanceOfSatisfying(InvalidRoutesException.class, e -> assertThat(e.problems().getFirst().message())
                        .contains("root route matches every alert"));
        String rootActive = "route:\n  receiver: a\n  active_time_intervals: [work]\nreceivers: [{name: a}]\n"
                + "time_intervals: [{name: work, time_intervals: [{weekdays: ['monday']}]}]\n";
        assertThat(parser.parseSaved(rootActive).root().activeTimeIntervals()).as("saved before the check: read")
                .containsExactly("work");
        assertThat(parser.parse(rootActive.replace("[work]", "[]")).root().activeTimeIntervals()).as("none: as Alertmanager")
                .isEmpty();
        assertThatThrownBy(() -> parser.parse(rootActive))
                .isInstanceOfSatisfying(InvalidRoutesException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(x -> {
                            assertThat(x.path()).isEqualTo("route.active_time_intervals");
                            assertThat(x.message()).contains("root route cannot have active time intervals");
                            assertThat(x.line()).isEqualTo(3);
                        }));
        assertThatThrownBy(() -> parser.parse("route:\n  receiver: a\n  mute_time_intervals: [nope]\n"
                + "receivers: [{name: a}, {name: a}]\n")).isInstanceOfSatisfying(InvalidRoutesException.class,
                e -> assertThat(e.problems()).extracting(Problem::message)
                        .anyMatch(m -> m.contains("duplicate receiver"))
                        .anyMatch(m -> m.contains("no time interval named \"nope\"")));
    }

    @Test
    void durationsUsePrometheusSyntax() {
        assertThat(RoutesYaml.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(RoutesYaml.parseDuration("0s")).isEqualTo(Duration.ZERO);
        assertThat(RoutesYaml.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(RoutesYaml.parseDuration("5")).isNull();
        assertThat(RoutesYaml.parseDuration("5m ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(RoutesYaml.parseDuration("m5")).isNull();
        // 7 x this wraps to 5 days in a long: too long, not 5d
        assertThat(RoutesYaml.parseDuration("2635249153387078803w")).isEqualTo(java.time.temporal.ChronoUnit.FOREVER.getDuration());
        assertThat(RoutesYaml.parseDuration("99999999999999999999hxyz")).as("not a duration, not a long one").isNull();
    }

    @Test
    void aFileSavedBeforeANewerCheckIsReadAsItWasSaved() {
        String saved = """
                route:
                  receiver: mail
                  routes:
                    - matchers: ['team="db",env="prod"']
                      receiver: mail
                receivers:
                  - name: mail
                    targets:
                      - type: email
                        settings: {host: smtp.example, port: "70000", from: ops@example.com, to: a@example.com}
                ---
                route:
                  receiver: other
                """;
        assertThatThrownBy(() -> parser.parse(saved)).isInstanceOf(InvalidRoutesException.class);
        RoutingConfig asSaved = parser.parseSaved(saved);
        assertThat(asSaved.root().receiver()).isEqualTo("mail");
        assertThat(asSaved.receivers().get("mail").targets().getFirst().settings()).containsEntry("port", "70000");
        assertThat(asSaved.root().routes().getFirst().matchers().getFirst().value()).as("read as it was saved")
                .isEqualTo("db\",env=\"prod");
        assertThatThrownBy(() -> parser.parseSaved("route: [")).as("still YAML and a route file")
                .isInstanceOf(InvalidRoutesException.class);
    }

    @Test
    void aSecondYamlDocumentIsAProblemNotIgnored() {
        String file = """
                route:
                  receiver: ops
                receivers:
                  - name: ops
                ---
                route:
                  receiver: pager
                """;
        InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> parser.parse(file));
        assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(tuple(6,
                "a second YAML document: a route file is one document (remove the --- and what follows)"));
        assertThat(parser.parse("---\nroute:\n  receiver: ops\nreceivers:\n  - name: ops\n").root().receiver())
                .as("a leading --- is still one document").isEqualTo("ops");
        assertThat(parser.parse("route:\n  receiver: ops\nreceivers:\n  - name: ops\n---\n# the end\n---\n").root()
                .receiver()).as("empty documents after it say nothing").isEqualTo("ops");
    }

    @Test
    void aliasesAndTagsAreProblemsNotReadAsTheAnchorsName() {
        String file = """
                receivers:
                  - name: &pager pagerduty-team
                  - name: pager
                route:
                  receiver: *pager
                  group_by: [!!str alertname]
                """;
        InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> parser.parse(file));
        assertThat(e.problems()).extracting(Problem::line, Problem::path, Problem::message).containsExactly(
                tuple(5, "route.receiver", "an alias (*pager): YAML aliases are not supported; write the value out"),
                tuple(6, "route.group_by[0]", "a tag (tag:yaml.org,2002:str): YAML tags are not supported"));
    }

    @Test
    void aDurationTooLongForRoutingIsAProblemNotAFileThatBreaksRoutingLater() {
        String file = """
                route:
                  receiver: ops
                  group_wait: 9223372036854775807s
                  group_interval: 11y
                  repeat_interval: 99999999999999999999h
                receivers:
                  - name: ops
                """;
        InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> parser.parse(file));
        assertThat(e.problems()).extracting(Problem::path)
                .containsExactly("route.group_wait", "route.group_interval", "route.repeat_interval");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).startsWith("longer than 10 years"));
        assertThat(e.problems().getFirst().line()).isEqualTo(3);

        String longest = file.replace("9223372036854775807s", "87600h").replace("11y", "10y")
                .replace("99999999999999999999h", "3650d");
        assertThat(parser.parse(longest).root().repeatInterval()).isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void aSlackBotTokenWithoutAChannelIsRefusedWhereItsSettingsAre() {
        String file = """
                route:
                  receiver: ops
                receivers:
                  - name: ops
                    targets:
                      - type: slack
                        settings: {bot_token: xoxb-1}
                """;
        InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> parser.parse(file));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("receivers[0].targets[0].settings.channel");
            assertThat(p.message()).isEqualTo("required with bot_token (the channel id or name to post to)");
            assertThat(p.line()).isEqualTo(7);
        });
        assertThat(parser.parse(file.replace("{bot_token: xoxb-1}", "{bot_token: xoxb-1, channel: C1}"))
                .receivers().get("ops").targets()).hasSize(1);
        // a file saved before the check routes as saved; its sends fail for good, never with "channel": null
        assertThat(new SlackTarget().send(Notifications.firing(1), Map.of("bot_token", "xoxb-1",
                "api_url", "http://127.0.0.1:9"), java.util.Optional.empty()).error()).isEqualTo("slack target with bot_token needs channel");
    }
}
