package io.onloop.domain.runbook;

import io.onloop.domain.event.Event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the knowledge-base class of an event. Identifiers first: an entry matches when every label
 * it names is on the event with that value, and the entry naming the most labels wins (exact values
 * before regular expressions, then the class id, so the answer is deterministic). Only when no
 * identifier matches, text similarity: the event's title, summary and label values against each
 * class's keywords, title and category, every shared word weighing its inverse document frequency
 * (a word few classes use counts more than "high" or "aws"). Below {@link #MIN_KEYWORD_CONFIDENCE}
 * or with fewer than two shared words it is a miss.
 */
public final class RunbookMatcher {
    public static final double MIN_KEYWORD_CONFIDENCE = 0.3;
    /** Keyword matches never claim more than this: an identifier is the stronger evidence. */
    static final double MAX_KEYWORD_CONFIDENCE = 0.8;
    private static final double KEYWORD_WEIGHT = 1.5;
    /** Sender text beyond this many characters adds little and costs time. */
    private static final int MAX_QUERY_CHARS = 4096;

    /** The class an event matched, how sure the match is (0..1), how and why. */
    public record Match(RunbookClass runbookClass, double confidence, String matchedBy, String why) {
    }

    private record Condition(String label, String exact, Pattern regex) {
        boolean test(String value) {
            return value != null && (regex == null ? exact.equalsIgnoreCase(value) : regex.matcher(value).matches());
        }
    }

    private record Entry(int classIndex, List<Condition> conditions, int exactCount) {
    }

    private record Posting(int classIndex, double weight) {
    }

    private final List<RunbookClass> classes;
    private final List<Entry> entries = new ArrayList<>();
    /**
     * Entries by their first exact condition (label and case-folded value), so an event is tried only against the
     * entries one of its labels can satisfy, not all thousand of them; entries of regular expressions only are
     * tried always.
     */
    private final Map<String, List<Integer>> entriesByExactLabel = new HashMap<>();
    private final List<Integer> entriesWithoutExactLabel = new ArrayList<>();
    private final Map<String, List<Posting>> postings = new HashMap<>();
    private final double[] totalWeight;

    public RunbookMatcher(List<RunbookClass> classes) {
        this.classes = classes.stream().sorted(Comparator.comparing(RunbookClass::id)).toList();
        this.totalWeight = new double[this.classes.size()];
        List<Map<String, Double>> docs = new ArrayList<>();
        for (int i = 0; i < this.classes.size(); i++) {
            RunbookClass c = this.classes.get(i);
            for (Map<String, String> identifier : c.match().identifiers()) {
                Entry entry = entry(i, identifier);
                Optional<Condition> exact = entry.conditions().stream().filter(x -> x.regex() == null).findFirst();
                if (exact.isPresent()) {
                    entriesByExactLabel.computeIfAbsent(indexKey(exact.get().label(), exact.get().exact()),
                            k -> new ArrayList<>()).add(entries.size());
                } else {
                    entriesWithoutExactLabel.add(entries.size());
                }
                entries.add(entry);
            }
            Map<String, Double> doc = new HashMap<>();
            for (String t : tokens(c.title() + " " + c.category().replace('/', ' '))) {
                doc.put(t, 1.0);
            }
            for (String k : c.match().keywords()) {
                for (String t : tokens(k)) {
                    doc.put(t, KEYWORD_WEIGHT);
                }
            }
            docs.add(doc);
        }
        Map<String, Integer> df = new HashMap<>();
        docs.forEach(d -> d.keySet().forEach(t -> df.merge(t, 1, Integer::sum)));
        int n = docs.size();
        for (int i = 0; i < n; i++) {
            for (var e : docs.get(i).entrySet()) {
                int f = df.get(e.getKey());
                double idf = Math.log(1 + (n - f + 0.5) / (f + 0.5));
                double w = idf * e.getValue();
                postings.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new Posting(i, w));
                totalWeight[i] += w;
            }
        }
    }

    /** Compiles one identifier entry; an invalid regular expression fails here, naming the class. */
    private Entry entry(int classIndex, Map<String, String> identifier) {
        List<Condition> conditions = new ArrayList<>();
        int exact = 0;
        for (var e : new TreeMap<>(identifier).entrySet()) {
            String value = e.getValue();
            if (value.startsWith("~")) {
                try {
                    conditions.add(new Condition(e.getKey(), null,
                            Pattern.compile(value.substring(1), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
                } catch (java.util.regex.PatternSyntaxException ex) {
                    throw new IllegalArgumentException("class " + classes.get(classIndex).id() + ": label "
                            + e.getKey() + ": invalid regular expression: " + ex.getDescription(), ex);
                }
            } else {
                conditions.add(new Condition(e.getKey(), value, null));
                exact++;
            }
        }
        return new Entry(classIndex, conditions, exact);
    }

    /**
     * A label and a value, the value in the form any two values that are {@link String#equalsIgnoreCase} share: each
     * code point upper-cased, then lower-cased, as that comparison does.
     */
    private static String indexKey(String label, String value) {
        StringBuilder key = new StringBuilder(label.length() + 1 + value.length()).append(label).append('\0');
        value.codePoints().forEach(cp -> key.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return key.toString();
    }

    public List<RunbookClass> classes() {
        return classes;
    }

    public Optional<Match> match(Event event) {
        Optional<Match> byIdentifier = matchIdentifiers(event.labels());
        return byIdentifier.isPresent() ? byIdentifier : matchKeywords(event);
    }

    private Optional<Match> matchIdentifiers(Map<String, String> labels) {
        List<Integer> candidates = new ArrayList<>(entriesWithoutExactLabel);
        labels.forEach((label, value) -> {
            if (value != null) {
                candidates.addAll(entriesByExactLabel.getOrDefault(indexKey(label, value), List.of()));
            }
        });
        candidates.sort(null); // in the entries' order, so that ties are decided as before
        Entry best = null;
        for (int candidate : candidates) {
            Entry e = entries.get(candidate);
            if (best != null && e.conditions().size() < best.conditions().size()) {
                continue;
            }
            boolean all = true;
            for (Condition c : e.conditions()) {
                if (!c.test(labels.get(c.label()))) {
                    all = false;
                    break;
                }
            }
            if (all && (best == null || e.conditions().size() > best.conditions().size()
                    || (e.conditions().size() == best.conditions().size() && e.exactCount() > best.exactCount()))) {
                best = e;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int size = best.conditions().size();
        double confidence = Math.min(0.99, 0.85 + 0.05 * size) - (best.exactCount() < size ? 0.03 : 0);
        String why = best.conditions().stream()
                .map(c -> c.label() + (c.regex() == null ? "=" + c.exact() : " matches " + c.regex().pattern()))
                .collect(Collectors.joining(", ", "labels ", ""));
        return Optional.of(new Match(classes.get(best.classIndex()), confidence, "identifier", why));
    }

    private Optional<Match> matchKeywords(Event event) {
        if (classes.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(event.title()).append(' ').append(event.summary());
        event.labels().values().forEach(v -> text.append(' ').append(v));
        Set<String> query = tokens(text.length() > MAX_QUERY_CHARS ? text.substring(0, MAX_QUERY_CHARS) : text.toString());
        double[] score = new double[classes.size()];
        int[] shared = new int[classes.size()];
        for (String t : query) {
            List<Posting> ps = postings.get(t);
            if (ps != null) {
                for (Posting p : ps) {
                    score[p.classIndex()] += p.weight();
                    shared[p.classIndex()]++;
                }
            }
        }
        int best = -1;
        for (int i = 0; i < score.length; i++) {
            if (shared[i] >= 2 && (best < 0 || score[i] > score[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        // Sharing half of a class's weighted words is as sure as text gets.
        double confidence = MAX_KEYWORD_CONFIDENCE * Math.min(1, score[best] / (0.5 * totalWeight[best]));
        if (confidence < MIN_KEYWORD_CONFIDENCE) {
            return Optional.empty();
        }
        int winner = best;
        Set<String> docWords = new LinkedHashSet<>();
        for (String t : query) {
            List<Posting> ps = postings.get(t);
            if (ps != null && ps.stream().anyMatch(p -> p.classIndex() == winner)) {
                docWords.add(t);
            }
        }
        return Optional.of(new Match(classes.get(best), Math.round(confidence * 100) / 100.0, "keywords",
                "words " + String.join(", ", docWords)));
    }

    private static final Set<String> STOP = Set.of("a", "an", "the", "is", "are", "was", "be", "of", "on", "in",
            "for", "to", "and", "or", "at", "by", "with", "from", "has", "have", "it", "its", "this", "that", "than",
            "alert", "alarm", "firing", "state", "value", "current", "over", "above", "below", "not");
    private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern CAMEL = Pattern.compile("(?<=\\p{Ll})(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})|(?<=\\p{L})(?=\\p{N})|(?<=\\p{N})(?=\\p{L})");

    /** Lower-case words, camel case split as well as kept whole ("CPUUtilization": cpuutilization, cpu, utilization). */
    static Set<String> tokens(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : SPLIT.split(text)) {
            if (raw.isEmpty()) {
                continue;
            }
            add(out, raw);
            String[] parts = CAMEL.split(raw);
            if (parts.length > 1) {
                for (String p : parts) {
                    add(out, p);
                }
            }
        }
        return out;
    }

    private static void add(Set<String> out, String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.length() < 2 || STOP.contains(w)) {
            return;
        }
        if (w.length() > 4 && w.endsWith("s") && !w.endsWith("ss")) {
            w = w.substring(0, w.length() - 1); // plural: "errors" finds "error"
        }
        out.add(w);
    }
}
