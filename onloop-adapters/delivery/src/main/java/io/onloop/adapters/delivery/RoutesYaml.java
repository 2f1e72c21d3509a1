package io.onloop.adapters.delivery;

import io.onloop.adapters.delivery.InvalidRoutesException.Problem;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.routing.InhibitRule;
import io.onloop.domain.routing.Matcher;
import io.onloop.domain.routing.Receiver;
import io.onloop.domain.routing.Route;
import io.onloop.domain.routing.RoutingConfig;
import io.onloop.domain.routing.TimeInterval;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a route file: Alertmanager's {@code route}, {@code inhibit_rules} and {@code time_intervals}
 * as Alertmanager writes them, and {@code receivers} whose targets are onloop's adapters. Every
 * problem is reported with its line, column and path; unknown keys are problems too, so a typo
 * never silently changes where alerts go.
 * <pre>
 * route:
 *   receiver: ops
 *   group_by: [alertname, service]
 *   routes:
 *     - matchers: ['severity="critical"']
 *       receiver: pager
 * receivers:
 *   - name: ops
 *     targets:
 *       - type: slack
 *         settings: {webhook_url: https://hooks.slack.com/services/...}
 *   - name: pager
 * </pre>
 */
public final class RoutesYaml {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Duration MAX_DURATION = Duration.ofDays(3650);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w|y))+");

    private final Map<String, TargetDescriptor> descriptors;

    /** @param descriptors the known target types by type id; a target of another type is a problem */
    public RoutesYaml(Map<String, TargetDescriptor> descriptors) {
        this.descriptors = Map.copyOf(descriptors);
    }

    // A small positioned tree: Jackson's own tree drops locations.
    private sealed interface Node permits Scalar, MapNode, ListNode {
        TokenStreamLocation loc();
    }

    private record Scalar(String text, TokenStreamLocation loc) implements Node {
    }

    private record MapNode(Map<String, Node> entries, TokenStreamLocation loc) implements Node {
    }

    private record ListNode(List<Node> items, TokenStreamLocation loc) implements Node {
    }

    /** @throws InvalidRoutesException listing every problem */
    public RoutingConfig parse(String yaml) {
        return parse(yaml, true);
    }

    /**
     * A file saved earlier, read as the version that saved it would have: its targets' settings are not checked,
     * documents after the first are ignored, and matchers are read as they were ({@link Matcher#parseAsSaved}). A
     * check added since must not make a saved file route nowhere; a setting it refuses fails that target's
     * deliveries, as it did before.
     *
     * @throws InvalidRoutesException if even so it is not a route file
     */
    public RoutingConfig parseSaved(String yaml) {
        return parse(yaml, false);
    }

    private RoutingConfig parse(String yaml, boolean strict) {
        List<Problem> problems = new ArrayList<>();
        Node doc;
        try (JsonParser p = YAML.createParser(yaml)) {
            if (p.nextToken() == null) {
                throw new InvalidRoutesException(List.of(new Problem(1, 1, "", "the file is empty")));
            }
            doc = read(p, "", problems);
            JsonToken next = p.nextToken();
            while (next == JsonToken.VALUE_NULL) { // an empty document, as after a trailing ---, says nothing
                next = p.nextToken();
            }
            if (next != null && strict) { // Jackson reads the documents after a --- one after the other
                TokenStreamLocation l = p.currentTokenLocation();
                problems.add(new Problem(l.getLineNr(), l.getColumnNr(), "",
                        "a second YAML document: a route file is one document (remove the --- and what follows)"));
            }
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            throw new InvalidRoutesException(List.of(new Problem(l == null ? 0 : l.getLineNr(),
                    l == null ? 0 : l.getColumnNr(), "", "not valid YAML: " + e.getOriginalMessage())));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRoutesException(problems);
        }
        Reader r = new Reader(problems, strict);
        RoutingConfig config = r.config(doc);
        if (!problems.isEmpty()) {
            throw new InvalidRoutesException(problems);
        }
        return config;
    }

    private static Node read(JsonParser p, String path, List<Problem> problems) {
        TokenStreamLocation loc = p.currentTokenLocation();
        JsonToken t = p.currentToken();
        String unsupported = unsupported((YAMLParser) p);
        if (unsupported != null) {
            problems.add(new Problem(loc.getLineNr(), loc.getColumnNr(), path, unsupported));
        }
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> entries = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                TokenStreamLocation keyLoc = p.currentTokenLocation();
                p.nextToken();
                Node value = read(p, join(path, key), problems);
                if (entries.putIfAbsent(key, value) != null) {
                    problems.add(new Problem(keyLoc.getLineNr(), keyLoc.getColumnNr(), join(path, key),
                            "duplicate key"));
                }
            }
            return new MapNode(entries, loc);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p, path + "[" + items.size() + "]", problems));
            }
            return new ListNode(items, loc);
        }
        return new Scalar(t == JsonToken.VALUE_NULL ? null : p.getString(), loc);
    }

    /**
     * Jackson reads an alias as the anchor's name, not the anchor's value: {@code receiver: *pager} would route to a
     * receiver called "pager". So aliases are refused rather than read as something else, and tags with them.
     */
    private static String unsupported(YAMLParser p) {
        if (p.isCurrentAlias()) {
            return "an alias (*" + p.getString() + "): YAML aliases are not supported; write the value out";
        }
        return p.getTypeId() == null ? null : "a tag (" + p.getTypeId() + "): YAML tags are not supported";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Turns the tree into the domain model, collecting problems instead of stopping at the first. */
    private final class Reader {
        private final List<Problem> problems;
        private final Map<String, Node> receiverRefs = new LinkedHashMap<>();
        private final Map<String, Node> intervalRefs = new LinkedHashMap<>();
        private final boolean strict;

        Reader(List<Problem> problems, boolean strict) {
            this.problems = problems;
            this.strict = strict;
        }

        void problem(Node at, String path, String message) {
            problems.add(new Problem(at == null ? 0 : at.loc().getLineNr(), at == null ? 0 : at.loc().getColumnNr(),
                    path, message));
        }

        RoutingConfig config(Node doc) {
            MapNode top = map(doc, "");
            if (top == null) {
                return null;
            }
            known(top, "", Set.of("route", "receivers", "inhibit_rules", "time_intervals", "mute_time_intervals"));
            Map<String, Receiver> receivers = receivers(top.entries().get("receivers"));
            Map<String, TimeInterval> intervals = new LinkedHashMap<>();
            for (String key : List.of("time_intervals", "mute_time_intervals")) {
                intervals.putAll(timeIntervals(top.entries().get(key), key));
            }
            Node routeNode = top.entries().get("route");
            Route root = null;
            if (routeNode == null) {
                problem(top, "route", "required: the root route");
            } else {
                MapNode rm = map(routeNode, "route");
                if (rm != null && rm.entries().containsKey("matchers")) {
                    problem(rm.entries().get("matchers"), "route.matchers", "the root route matches every alert;"
                            + " it cannot have matchers");
                }
                for (String times : List.of("mute_time_intervals", "active_time_intervals")) {
                    if (strict && rm != null && rm.entries().get(times) instanceof ListNode l && !l.items().isEmpty()) {
                        // as Alertmanager: the root route is where every alert is caught, it cannot be switched off
                        problem(rm.entries().get(times), "route." + times, "the root route cannot have "
                                + times.replace('_', ' ') + "; put them on a route below it");
                    }
                }
                if (rm != null && !rm.entries().containsKey("receiver")) {
                    problem(rm, "route.receiver", "required on the root route");
                }
                root = route(routeNode, "route", Route.ROOT_ID, null, List.of());
            }
            List<InhibitRule> inhibit = inhibitRules(top.entries().get("inhibit_rules"));
            receiverRefs.forEach((name, at) -> {
                if (!receivers.containsKey(name)) {
                    problem(at, pathOf(at), "no receiver named \"" + name + "\" (known: " + receivers.keySet() + ")");
                }
            });
            intervalRefs.forEach((name, at) -> {
                if (!intervals.containsKey(name)) {
                    problem(at, pathOf(at), "no time interval named \"" + name + "\"");
                }
            });
            if (root == null || !problems.isEmpty()) {
                return null;
            }
            return new RoutingConfig(root, receivers, inhibit, intervals);
        }

        private final Map<Node, String> paths = new java.util.IdentityHashMap<>();

        private String pathOf(Node n) {
            return paths.getOrDefault(n, "");
        }

        /** @param olderSiblings the routes before this one under the same parent */
        Route route(Node node, String path, String id, Route parent, List<Route> olderSiblings) {
            MapNode m = map(node, path);
            if (m == null) {
                return null;
            }
            known(m, path, Set.of("receiver", "matchers", "continue", "group_by", "group_wait", "group_interval",
                    "repeat_interval", "mute_time_intervals", "active_time_intervals", "routes"));
            Map<String, Node> e = m.entries();
            String receiver = parent == null ? "" : parent.receiver();
            if (e.containsKey("receiver")) {
                receiver = string(e.get("receiver"), path + ".receiver");
                if (receiver != null) {
                    paths.put(e.get("receiver"), path + ".receiver");
                    receiverRefs.putIfAbsent(receiver, e.get("receiver"));
                }
            }
            List<Matcher> matchers = matchers(e.get("matchers"), path + ".matchers");
            String key = parent == null ? Route.ROOT_KEY
                    : Route.childKey(parent.key(), matchers, olderSiblings.stream().map(Route::matchers).toList());
            boolean cont = e.containsKey("continue") && bool(e.get("continue"), path + ".continue");
            List<String> groupBy = parent == null ? List.of() : parent.groupBy();
            boolean all = parent != null && parent.groupByAll();
            if (e.containsKey("group_by")) {
                groupBy = strings(e.get("group_by"), path + ".group_by");
                all = groupBy.contains("...");
                if (all && groupBy.size() > 1) {
                    problem(e.get("group_by"), path + ".group_by", "'...' groups by every label; list nothing else");
                }
                if (all) {
                    groupBy = List.of();
                }
            }
            Duration wait = duration(e.get("group_wait"), path + ".group_wait",
                    parent == null ? Route.DEFAULT_GROUP_WAIT : parent.groupWait());
            Duration interval = duration(e.get("group_interval"), path + ".group_interval",
                    parent == null ? Route.DEFAULT_GROUP_INTERVAL : parent.groupInterval());
            Duration repeat = duration(e.get("repeat_interval"), path + ".repeat_interval",
                    parent == null ? Route.DEFAULT_REPEAT_INTERVAL : parent.repeatInterval());
            if (interval.isZero()) {
                problem(e.get("group_interval"), path + ".group_interval", "must be greater than zero");
            }
            if (repeat.isZero()) {
                problem(e.get("repeat_interval"), path + ".repeat_interval", "must be greater than zero");
            }
            // Alertmanager: time intervals are not inherited
            List<String> mute = intervalNames(e.get("mute_time_intervals"), path + ".mute_time_intervals");
            List<String> active = intervalNames(e.get("active_time_intervals"), path + ".active_time_intervals");
            Route self = new Route(id, key, receiver == null ? "" : receiver, matchers, cont, groupBy, all, wait, interval,
                    repeat, mute, active, List.of());
            List<Route> children = new ArrayList<>();
            ListNode kids = list(e.get("routes"), path + ".routes");
            if (kids != null) {
                for (int i = 0; i < kids.items().size(); i++) {
                    Route child = route(kids.items().get(i), path + ".routes[" + i + "]", id + "." + i, self, children);
                    if (child != null) {
                        children.add(child);
                    }
                }
            }
            return new Route(id, key, self.receiver(), matchers, cont, groupBy, all, wait, interval, repeat, mute, active,
                    children);
        }

        List<String> intervalNames(Node n, String path) {
            List<String> names = strings(n, path);
            ListNode l = n instanceof ListNode ln ? ln : null;
            for (int i = 0; i < names.size(); i++) {
                Node at = l == null ? n : l.items().get(i);
                paths.put(at, path + "[" + i + "]");
                intervalRefs.putIfAbsent(names.get(i), at);
            }
            return names;
        }

        Map<String, Receiver> receivers(Node n) {
            Map<String, Receiver> out = new LinkedHashMap<>();
            ListNode l = list(n, "receivers");
            if (l == null) {
                return out;
            }
            for (int i = 0; i < l.items().size(); i++) {
                String path = "receivers[" + i + "]";
                MapNode m = map(l.items().get(i), path);
                if (m == null) {
                    continue;
                }
                known(m, path, Set.of("name", "targets"));
                String name = field(m, "name", path);
                if (name == null) {
                    continue;
                }
                List<Receiver.Target> targets = new ArrayList<>();
                ListNode tl = list(m.entries().get("targets"), path + ".targets");
                Set<String> targetNames = new HashSet<>();
                if (tl != null) {
                    for (int j = 0; j < tl.items().size(); j++) {
                        Receiver.Target t = target(tl.items().get(j), path + ".targets[" + j + "]", j);
                        if (t != null) {
                            if (!targetNames.add(t.name())) {
                                problem(tl.items().get(j), path + ".targets[" + j + "].name",
                                        "duplicate target name \"" + t.name() + "\" in receiver " + name);
                            }
                            targets.add(t);
                        }
                    }
                }
                if (out.putIfAbsent(name, new Receiver(name, targets)) != null) {
                    problem(m.entries().get("name"), path + ".name", "duplicate receiver name \"" + name + "\"");
                }
            }
            return out;
        }

        Receiver.Target target(Node n, String path, int index) {
            MapNode m = map(n, path);
            if (m == null) {
                return null;
            }
            known(m, path, Set.of("type", "name", "settings"));
            String type = field(m, "type", path);
            if (type == null) {
                return null;
            }
            TargetDescriptor d = descriptors.get(type);
            if (d == null) {
                problem(m.entries().get("type"), path + ".type", "unknown target type \"" + type + "\" (known: "
                        + new java.util.TreeSet<>(descriptors.keySet()) + ")");
                return null;
            }
            String name = m.entries().containsKey("name") ? field(m, "name", path) : defaultTargetName(type, index);
            if (name != null && name.contains("/")) {
                problem(m.entries().get("name"), path + ".name", "must not contain '/'");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            Node sn = m.entries().get("settings");
            MapNode sm = sn == null ? new MapNode(Map.of(), m.loc()) : map(sn, path + ".settings");
            if (sm == null) {
                return null;
            }
            sm.entries().forEach((k, v) -> {
                String s = v instanceof Scalar sc ? sc.text() : null;
                if (s == null) {
                    problem(v, path + ".settings." + k, "must be a single value");
                } else {
                    settings.put(k, s);
                }
            });
            List<String> wrong = new ArrayList<>();
            if (strict) {
                wrong.addAll(d.problems(settings));
                wrong.addAll(Targets.problems(type, settings));
            }
            for (String p : wrong) {
                String key = p.substring(0, p.indexOf(':'));
                Node at = sm.entries().getOrDefault(key, sm);
                problem(at, path + ".settings." + key, p.substring(p.indexOf(':') + 2));
            }
            return name == null ? null : new Receiver.Target(type, name, settings);
        }

        List<InhibitRule> inhibitRules(Node n) {
            List<InhibitRule> out = new ArrayList<>();
            ListNode l = list(n, "inhibit_rules");
            if (l == null) {
                return out;
            }
            for (int i = 0; i < l.items().size(); i++) {
                String path = "inhibit_rules[" + i + "]";
                MapNode m = map(l.items().get(i), path);
                if (m == null) {
                    continue;
                }
                known(m, path, Set.of("source_matchers", "target_matchers", "equal"));
                List<Matcher> source = matchers(m.entries().get("source_matchers"), path + ".source_matchers");
                List<Matcher> target = matchers(m.entries().get("target_matchers"), path + ".target_matchers");
                if (target.isEmpty()) {
                    problem(m, path + ".target_matchers", "required: without it the rule would mute every alert");
                }
                out.add(new InhibitRule(source, target, strings(m.entries().get("equal"), path + ".equal")));
            }
            return out;
        }

        Map<String, TimeInterval> timeIntervals(Node n, String key) {
            Map<String, TimeInterval> out = new LinkedHashMap<>();
            ListNode l = list(n, key);
            if (l == null) {
                return out;
            }
            for (int i = 0; i < l.items().size(); i++) {
                String path = key + "[" + i + "]";
                MapNode m = map(l.items().get(i), path);
                if (m == null) {
                    continue;
                }
                known(m, path, Set.of("name", "time_intervals"));
                String name = field(m, "name", path);
                List<TimeInterval.Spec> specs = new ArrayList<>();
                ListNode sl = list(m.entries().get("time_intervals"), path + ".time_intervals");
                if (sl != null) {
                    for (int j = 0; j < sl.items().size(); j++) {
                        TimeInterval.Spec s = spec(sl.items().get(j), path + ".time_intervals[" + j + "]");
                        if (s != null) {
                            specs.add(s);
                        }
                    }
                }
                if (name != null && out.putIfAbsent(name, new TimeInterval(name, specs)) != null) {
                    problem(m.entries().get("name"), path + ".name", "duplicate time interval \"" + name + "\"");
                }
            }
            return out;
        }

        TimeInterval.Spec spec(Node n, String path) {
            MapNode m = map(n, path);
            if (m == null) {
                return null;
            }
            known(m, path, Set.of("times", "weekdays", "days_of_month", "months", "years", "location"));
            Map<String, Node> e = m.entries();
            List<TimeInterval.Range> times = new ArrayList<>();
            ListNode tl = list(e.get("times"), path + ".times");
            if (tl != null) {
                for (int i = 0; i < tl.items().size(); i++) {
                    String tp = path + ".times[" + i + "]";
                    MapNode tm = map(tl.items().get(i), tp);
                    if (tm == null) {
                        continue;
                    }
                    known(tm, tp, Set.of("start_time", "end_time"));
                    String start = field(tm, "start_time", tp);
                    String end = field(tm, "end_time", tp);
                    if (start != null && end != null) {
                        try {
                            times.add(TimeInterval.times(start, end));
                        } catch (IllegalArgumentException ex) {
                            problem(tm, tp, ex.getMessage());
                        }
                    }
                }
            }
            ZoneId zone = null;
            if (e.containsKey("location")) {
                String z = string(e.get("location"), path + ".location");
                try {
                    zone = z == null ? null : ZoneId.of(z.equals("Local") ? "UTC" : z);
                } catch (DateTimeException ex) {
                    problem(e.get("location"), path + ".location", "unknown time zone \"" + z + "\"");
                }
            }
            return new TimeInterval.Spec(times, ranges(e.get("weekdays"), path + ".weekdays", TimeInterval::weekdays),
                    ranges(e.get("days_of_month"), path + ".days_of_month", TimeInterval::daysOfMonth),
                    ranges(e.get("months"), path + ".months", TimeInterval::months),
                    ranges(e.get("years"), path + ".years", TimeInterval::years), zone);
        }

        List<TimeInterval.Range> ranges(Node n, String path, Function<String, TimeInterval.Range> parse) {
            List<TimeInterval.Range> out = new ArrayList<>();
            List<String> texts = strings(n, path);
            for (int i = 0; i < texts.size(); i++) {
                try {
                    out.add(parse.apply(texts.get(i)));
                } catch (IllegalArgumentException ex) {
                    problem(n instanceof ListNode l ? l.items().get(i) : n, path + "[" + i + "]", ex.getMessage());
                }
            }
            return out;
        }

        List<Matcher> matchers(Node n, String path) {
            List<Matcher> out = new ArrayList<>();
            if (n == null) {
                return out;
            }
            ListNode l = list(n, path);
            if (l == null) {
                return out;
            }
            for (int i = 0; i < l.items().size(); i++) {
                String text = string(l.items().get(i), path + "[" + i + "]");
                if (text == null) {
                    continue;
                }
                try {
                    out.add(strict ? Matcher.parse(text) : Matcher.parseAsSaved(text));
                } catch (IllegalArgumentException ex) {
                    problem(l.items().get(i), path + "[" + i + "]", ex.getMessage());
                }
            }
            return out;
        }

        Duration duration(Node n, String path, Duration fallback) {
            if (n == null) {
                return fallback;
            }
            String s = string(n, path);
            if (s == null) {
                return fallback;
            }
            Duration d = parseDuration(s);
            if (d == null) {
                problem(n, path, "not a duration: \"" + s + "\" (use e.g. 30s, 5m, 4h, 1h30m)");
                return fallback;
            }
            if (d.compareTo(MAX_DURATION) > 0) {
                // Times are computed as now + duration: beyond this, a saved file could make routing throw.
                problem(n, path, "longer than 10 years (87600h): \"" + s + "\"");
                return fallback;
            }
            return d;
        }

        List<String> strings(Node n, String path) {
            List<String> out = new ArrayList<>();
            if (n == null) {
                return out;
            }
            ListNode l = list(n, path);
            if (l != null) {
                for (int i = 0; i < l.items().size(); i++) {
                    String s = string(l.items().get(i), path + "[" + i + "]");
                    if (s != null) {
                        out.add(s);
                    }
                }
            }
            return out;
        }

        boolean bool(Node n, String path) {
            String s = string(n, path);
            if ("true".equals(s) || "false".equals(s)) {
                return Boolean.parseBoolean(s);
            }
            if (s != null) {
                problem(n, path, "must be true or false");
            }
            return false;
        }

        /** A required single value of a mapping; when missing, the problem points at the mapping. */
        String field(MapNode m, String key, String path) {
            if (!m.entries().containsKey(key)) {
                problem(m, join(path, key), "required");
                return null;
            }
            return string(m.entries().get(key), join(path, key));
        }

        String string(Node n, String path) {
            if (n == null) {
                problems.add(new Problem(0, 0, path, "required"));
                return null;
            }
            if (n instanceof Scalar s && s.text() != null && !s.text().isBlank()) {
                return s.text();
            }
            problem(n, path, n instanceof Scalar ? "must not be empty" : "must be a single value");
            return null;
        }

        MapNode map(Node n, String path) {
            if (n instanceof MapNode m) {
                return m;
            }
            if (n != null) {
                problem(n, path, "must be a mapping (key: value)");
            }
            return null;
        }

        ListNode list(Node n, String path) {
            if (n instanceof ListNode l) {
                return l;
            }
            if (n != null) {
                problem(n, path, "must be a list");
            }
            return null;
        }

        void known(MapNode m, String path, Set<String> keys) {
            m.entries().forEach((k, v) -> {
                if (!keys.contains(k)) {
                    problem(v, join(path, k), "unknown field (expected one of " + new java.util.TreeSet<>(keys) + ")");
                }
            });
        }
    }

    /**
     * Prometheus duration syntax: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 1d}, {@code 0s}. A number too large
     * for a Duration reads as {@link ChronoUnit#FOREVER}'s, which the bound then refuses.
     */
    static Duration parseDuration(String s) {
        String text = s.strip();
        if (!DURATION.matcher(text).matches()) {
            return null; // not a duration at all, however long its digits
        }
        try {
            return sumOfParts(text);
        } catch (NumberFormatException | ArithmeticException e) {
            return ChronoUnit.FOREVER.getDuration();
        }
    }

    /** The parts of a text {@link #DURATION} matches whole (so they follow one another), added up. */
    private static Duration sumOfParts(String text) {
        java.util.regex.Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        while (m.find()) {
            long v = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                case "d" -> Duration.ofDays(v);
                case "w" -> Duration.ofDays(Math.multiplyExact(7, v));
                default -> Duration.ofDays(Math.multiplyExact(365, v));
            });
        }
        return total;
    }

    /** The name of a target the route file gives none: its type and its place in the receiver ({@code webhook-0}). */
    static String defaultTargetName(String type, int index) {
        return type + "-" + index;
    }
}
