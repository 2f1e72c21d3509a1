package io.onloop.domain.anomaly.watch;

import io.onloop.domain.anomaly.AnomalyDetector;
import io.onloop.domain.anomaly.ExhaustionForecaster;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;
import io.onloop.domain.metrics.MetricsUnavailableException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Watches metric series for anomalies and coming exhaustion. On each {@link #tick}, every watch's
 * query is evaluated over the range since its last tick; each series it returns gets its own
 * detector (or forecast window), fed only points it has not seen.
 * <ul>
 *   <li>Anomaly: an event when the score reaches the watch's threshold, then nothing more for that
 *       episode; resolved once the value has been back in the band it was expected in for
 *       {@code resolveAfter} points in a row, or after {@code maxEpisodePoints} points (a lasting
 *       level shift has become the new normal). A new episode needs a point scored normal first.</li>
 *   <li>Exhaustion: an event when the expected time to the limit is under the horizon; resolved
 *       when the trend is flat or falling, or the expected time is beyond twice the horizon.</li>
 * </ul>
 * The first range of a watch reaches back {@code history} (at most 10,000 steps): detectors learn from it
 * ({@link AnomalyDetector#learn}) without raising anything, so they are useful from the first tick. Series are tracked in an LRU map of at most
 * {@code maxSeries}; a series evicted starts learning again if it comes back. An episode whose series the watcher stops
 * following (no point for {@code resolveAfter} steps, evicted, its watch gone) is resolved, saying why.
 * One thread at a time (ticks are serialized); within a tick, the watches' queries are asked in parallel.
 */
public final class MetricWatcher {

    /**
     * @param history          how far back the first range of a watch reaches (and the most a later one does)
     * @param maxSeries        series tracked at once, over all watches
     * @param windowPoints     points kept per series: the expected band, the chart, the forecast window
     * @param chartPoints      points in an event's chart
     * @param resolveAfter     points back in the expected band that end an anomaly episode
     * @param maxEpisodePoints points after which an anomaly episode ends anyway
     * @param minForecastPoints points needed before a forecast is trusted
     */
    public record Settings(Duration history, int maxSeries, int windowPoints, int chartPoints, int resolveAfter,
                           int maxEpisodePoints, int minForecastPoints) {
        public static final Settings DEFAULT = new Settings(Duration.ofHours(6), 10_000, 240, 60, 5, 360, 10);
    }

    /**
     * What one tick did: the events to ingest, and figures for metrics and logs.
     *
     * @param warnings  what an operator should change, by watch: a query matching more series than the watch may track,
     *                  series a limit-query gives no limit for
     */
    public record TickResult(List<WatchEvent> events, long points, List<String> failures, List<String> warnings,
                             int trackedSeries, long evicted, List<OpenEpisode> lost) {
    }

    /**
     * An episode that was open when the watcher's state was lost (onloop restarted), as the store still has it.
     *
     * @param watch the name of the watch that raised it
     * @param since when it began: the time of its firing event
     * @param said  for an exhaustion, the time to the limit its last event said; null when not known
     */
    public record OpenEpisode(String watch, String fingerprint, Instant since, Duration said) {
        public OpenEpisode(String watch, String fingerprint, Instant since) {
            this(watch, fingerprint, since, null);
        }
    }

    /** The most points one range query asks for per series. */
    static final int MAX_POINTS_PER_QUERY = 10_000;

    /** Watches whose queries are asked at the same time (Prometheus evaluates up to 20 queries at once by default). */
    static final int QUERIES_AT_ONCE = 4;

    /** The points an anomaly's evidence is looked for in: as many as the detectors weigh together. */
    private static final int EVIDENCE_POINTS = 16;

    private final MetricsQuery metrics;
    private final Supplier<AnomalyDetector> detectors;
    private final ExhaustionForecaster forecaster;
    private final Settings settings;
    private final Map<String, Instant> lastEnd = new HashMap<>();
    /** Episodes open before a restart, by fingerprint, until the first tick of their watch takes them up. */
    private final Map<String, OpenEpisode> resumed = new HashMap<>();
    private final LinkedHashMap<String, SeriesState> series;
    private long evicted;
    /** How far back a watch asks, where an answer too large made it ask less than the history ({@link #askLess}). */
    private final Map<String, Duration> reach = new HashMap<>();
    private static final int MIN_REACH_STEPS = 10;
    /** Watches whose answers held NaN or infinite points, said once. */
    private final Set<String> nonFiniteSaid = new HashSet<>();
    /** Whether the answer being scored had a new point that is NaN or infinite (skipped where points are fed). */
    private boolean nonFiniteSkipped;
    /** Series just evicted while an episode of theirs was open: resolved before the series that took their place is scored. */
    private final List<SeriesState> evictedOpen = new ArrayList<>();
    private static final String EVICTED = "more series than max-series were tracked, and it was used least recently";
    private static final String OVER_SHARE = "more series than max-series were tracked, and its watch held the most"
            + " beyond an equal share of them";

    public MetricWatcher(MetricsQuery metrics, Supplier<AnomalyDetector> detectors, Settings settings) {
        this.metrics = metrics;
        this.detectors = detectors;
        this.settings = settings;
        this.forecaster = new ExhaustionForecaster(settings.windowPoints());
        this.series = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SeriesState> eldest) {
                if (size() > settings.maxSeries()) {
                    evicted++;
                    if (eldest.getValue().open()) {
                        evictedOpen.add(eldest.getValue());
                    }
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Takes up episodes that were open when the watcher's state was lost, so that their incidents end as they would
     * have: on its watch's first tick, the series an episode belongs to carries on with it (an anomaly resolves once
     * back in the band it left, from the points since it began; an exhaustion once the trend no longer reaches its
     * limit). An episode of a watch whose first tick finds no such series is {@linkplain TickResult#lost lost}.
     * Call before the first tick.
     */
    public synchronized void resume(List<OpenEpisode> open) {
        open.forEach(e -> resumed.put(e.fingerprint(), e));
    }

    /**
     * Evaluates every watch up to {@code now}; a watch whose backend fails is retried from the same point next tick.
     * The watches' queries are asked {@value #QUERIES_AT_ONCE} at a time, so one slow query (up to the backend's
     * timeout) does not hold up every other watch's; their answers are then scored one watch after another.
     */
    public synchronized TickResult tick(List<Watch> watches, Instant now) {
        List<WatchEvent> events = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<OpenEpisode> lost = new ArrayList<>();
        long points = 0;
        long evictedBefore = evicted;
        List<Range> ranges = watches.stream().map(w -> range(w, now)).toList();
        List<Future<Answer>> answers = ask(ranges);
        for (int i = 0; i < watches.size(); i++) {
            Watch w = watches.get(i);
            try {
                if (answers.get(i) != null) {
                    points += score(w, ranges.get(i), answer(answers.get(i)), events, watches.size(), warnings, lost);
                }
            } catch (MetricsUnavailableException e) {
                failures.add(w.name() + ": " + e.getMessage());
                if (e instanceof MetricsUnavailableException.AnswerTooLarge) {
                    askLess(ranges.get(i), warnings);
                }
            } catch (RuntimeException e) { // whatever one watch's answer does, the others still run
                failures.add(w.name() + ": " + e);
            }
        }
        // forget the windows and series of watches that are gone (e.g. an alerting rule was deleted)
        Set<String> current = new HashSet<>(watches.stream().map(MetricWatcher::windowKey).toList());
        lastEnd.keySet().retainAll(current);
        reach.keySet().retainAll(current);
        nonFiniteSaid.retainAll(current);
        series.values().removeIf(s -> {
            if (current.contains(s.window)) {
                return false;
            }
            stopFollowing(s, "its watch is no longer configured (or its query changed)", now, events);
            return true;
        });
        return new TickResult(events, points, failures, warnings, series.size(), evicted - evictedBefore, lost);
    }

    /**
     * The most series one watch may track: what the others leave of {@code maxSeries}, and never less than an equal
     * share of it, so one watch whose query matches thousands of series cannot evict every other watch's detectors.
     */
    private int share(Watch w, int watches) {
        String window = windowKey(w);
        long others = series.size() - series.values().stream().filter(s -> s.window.equals(window)).count();
        return (int) Math.max(settings.maxSeries() / Math.max(1, watches), settings.maxSeries() - others);
    }

    /** The range a watch asks for this tick; {@code start} null when there is nothing new yet. */
    private record Range(Watch watch, Instant start, Instant end, boolean learnOnly) {
    }

    /** A watch's series over its range, and (exhaustion) their limits. */
    private record Answer(List<MetricSeries> series, Map<Map<String, String>, Double> limits) {
    }

    private Range range(Watch w, Instant now) {
        long stepMillis = w.step().toMillis();
        Instant end = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), stepMillis) * stepMillis);
        // Prometheus refuses ranges of more than 11,000 points per series
        Duration back = w.step().multipliedBy(MAX_POINTS_PER_QUERY);
        back = back.compareTo(settings.history()) < 0 ? back : settings.history();
        Duration shortened = reach.get(windowKey(w));
        Instant oldest = end.minus(shortened != null && shortened.compareTo(back) < 0 ? shortened : back);
        Instant previous = lastEnd.get(windowKey(w));
        if (previous != null && !end.isAfter(previous)) {
            return new Range(w, null, end, false); // ticking faster than the step: nothing new yet
        }
        return new Range(w, previous == null || previous.isBefore(oldest) ? oldest : previous, end, previous == null);
    }

    /**
     * After an answer too large to read (its series over the whole range), the watch asks half as far back from then
     * on, down to {@value #MIN_REACH_STEPS} steps: the history its detectors learn from, or what is caught up after an
     * outage, is shorter, but the watch is not blind. Asked again over the same range it failed on every tick for good
     * (a watch of thousands of series, restarted: its backfill over {@code history} was over the bound).
     */
    private void askLess(Range failed, List<String> warnings) {
        Watch w = failed.watch();
        Duration asked = Duration.between(failed.start(), failed.end());
        Duration half = asked.dividedBy(2);
        if (half.compareTo(w.step().multipliedBy(MIN_REACH_STEPS)) >= 0) {
            reach.put(windowKey(w), half);
            warnings.add(w.name() + ": its answer over the last " + asked + " was too large to read; it asks for the last "
                    + half + " from now on");
        }
    }

    /** Asks every range's queries, at most {@value #QUERIES_AT_ONCE} at once; null where there is nothing to ask. */
    private List<Future<Answer>> ask(List<Range> ranges) {
        Semaphore slots = new Semaphore(QUERIES_AT_ONCE);
        List<Future<Answer>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Range r : ranges) {
                answers.add(r.start() == null ? null : threads.submit(() -> {
                    slots.acquire();
                    try {
                        Watch w = r.watch();
                        List<MetricSeries> series = metrics.range(w.query(), r.start(), r.end(), w.step());
                        return new Answer(series, w.kind() == Watch.Kind.EXHAUSTION ? limits(w, r.end()) : Map.of());
                    } finally {
                        slots.release();
                    }
                }));
            }
        } // waits for every answer
        return answers;
    }

    private static Answer answer(Future<Answer> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private long score(Watch w, Range range, Answer answer, List<WatchEvent> events, int watches, List<String> warnings,
                       List<OpenEpisode> lost) {
        int share = share(w, watches);
        boolean learnOnly = range.learnOnly();
        Instant end = range.end();
        List<MetricSeries> result = answer.series();
        if (result.size() > share) {
            // the same ones every tick (by their labels), so those watched keep learning
            result = result.stream().sorted(java.util.Comparator.comparing(s -> new TreeMap<>(s.labels()).toString()))
                    .limit(share).toList();
            warnings.add(w.name() + ": " + result.size() + " of its series watched, the most one watch may track now "
                    + "(max-series, shared among the watches); narrow its query");
        }
        makeRoom(w, result, end, events, watches);
        Map<Map<String, String>, Double> limits = answer.limits();
        List<Set<String>> limitLabelNames = limitLabelNames(limits);
        long points = 0;
        List<Map<String, String>> unlimited = new ArrayList<>();
        nonFiniteSkipped = false;
        for (MetricSeries s : result) {
            SeriesState state = series.computeIfAbsent(seriesKey(w, s.labels()), k -> new SeriesState(w, s.labels()));
            state.watch = w; // as configured now: a resolve made once the series is gone says what the watch says
            // a series evicted for this one is resolved before this one is scored (it may be the same series, made again)
            evictedOpen.forEach(evictedState -> stopFollowing(evictedState, EVICTED, end, events));
            evictedOpen.clear();
            Double limit = w.kind() == Watch.Kind.EXHAUSTION ? limitFor(limits, limitLabelNames, s.labels()) : null;
            if (w.kind() == Watch.Kind.EXHAUSTION && limit == null) {
                unlimited.add(withoutName(s.labels()));
            }
            limit = limit != null && limit > 0 ? limit : null;
            OpenEpisode open = learnOnly && !resumed.isEmpty() ? resumed.remove(WatchEvent.fingerprint(w, s.labels())) : null;
            if (w.kind() == Watch.Kind.ANOMALY) {
                points += anomaly(w, s, state, learnOnly, events);
                if (open != null) {
                    resume(w, s, state, open.since(), events);
                }
            } else {
                if (open != null && state.announced == null) {
                    // resolved below once the trend no longer reaches the limit, and said again only when it would
                    // have been without the restart (what it last said, else at most the horizon)
                    state.announced = open.said() != null ? open.said() : w.horizon();
                }
                points += exhaustion(w, s, state, limit, events);
            }
        }
        if (!learnOnly) {
            // an episode whose series has had no point for as long as it takes to end one (resolveAfter steps) is no
            // longer reported (a pod replaced, a target removed): resolved, or its incident would stay open for good
            long goneBefore = end.toEpochMilli() - w.step().toMillis() * settings.resolveAfter();
            String window = windowKey(w);
            for (SeriesState state : series.values()) {
                if (state.open() && state.lastMillis <= goneBefore && state.window.equals(window)) {
                    stopFollowing(state, state.lastMillis == Long.MIN_VALUE ? "it has had no point since the episode was"
                            + " taken up after a restart: it is no longer reported" : "it has had no point for "
                            + WatchEvent.human(Duration.ofMillis(end.toEpochMilli() - state.lastMillis)) + " ("
                            + settings.resolveAfter() + " steps or more): it is no longer reported", end, events);
                }
            }
        }
        if (learnOnly) {
            List<OpenEpisode> gone = resumed.values().stream().filter(e -> e.watch().equals(w.name())).toList();
            gone.forEach(e -> resumed.remove(e.fingerprint()));
            lost.addAll(gone);
        }
        if (nonFiniteSkipped && nonFiniteSaid.add(windowKey(w))) {
            // skipped, as a gap: no detector can learn from them, but an operator should know why a series says nothing.
            // Once per watch: an error ratio is NaN whenever there are no requests, which may be every other tick
            warnings.add(w.name() + ": some of its points are NaN or infinite (a ratio over zero?) and are skipped"
                    + " (said once)");
        }
        if (!unlimited.isEmpty() && w.limitQuery() != null) {
            // said, not silent: a limit-query whose series carry other labels than the query's forecasts nothing
            warnings.add(w.name() + ": " + unlimited.size() + " of its series have no limit, so are not forecast: "
                    + "limit-query gave " + (limits.isEmpty() ? "no series" : "none with their labels (such as "
                    + new TreeMap<>(unlimited.getFirst()) + "; it gave " + new TreeMap<>(limits.keySet().iterator().next()) + ")"));
        }
        lastEnd.put(windowKey(w), end);
        return points;
    }

    /**
     * Room for the watch's series new in this answer comes first from its own that the answer no longer has (a pod
     * replaced by a deploy), oldest first; then from the watch that holds the most series beyond an equal share of
     * {@code maxSeries}, its least recently used first; only then does the least recently used go, whoever's. Left to
     * the least recently used alone, a full table evicted the watch's own series not yet reached this tick, which were
     * then made again without their history, one after another; and a watch of thousands of series, scored after the
     * others, had every other watch's series evicted in turn, an open episode's with them.
     */
    private void makeRoom(Watch w, List<MetricSeries> result, Instant end, List<WatchEvent> events, int watches) {
        Set<String> keys = new HashSet<>();
        result.forEach(s -> keys.add(seriesKey(w, s.labels())));
        long fresh = keys.stream().filter(k -> !series.containsKey(k)).count();
        long room = settings.maxSeries() - series.size();
        if (fresh > room) {
            String window = windowKey(w);
            series.entrySet().stream().filter(e -> e.getValue().window.equals(window) && !keys.contains(e.getKey()))
                    .limit(fresh - room).map(Map.Entry::getKey).toList().forEach(key -> {
                        stopFollowing(series.remove(key), "it is no longer in the watch's answer, and its place was"
                                + " needed for a new series (max-series)", end, events);
                    });
            room = settings.maxSeries() - series.size();
        }
        if (fresh <= room) {
            return;
        }
        // one pass, least recently used first (iterating does not touch the access order): what each watch holds,
        // and which of its series may go (not those in this very answer)
        Map<String, Integer> held = new HashMap<>();
        Map<String, ArrayDeque<String>> evictable = new HashMap<>();
        series.forEach((key, s) -> {
            held.merge(s.window, 1, Integer::sum);
            if (!keys.contains(key)) {
                evictable.computeIfAbsent(s.window, k -> new ArrayDeque<>()).add(key);
            }
        });
        int equalShare = settings.maxSeries() / Math.max(1, watches);
        while (fresh > room) {
            String most = evictable.keySet().stream().max(Comparator.comparing(held::get)).orElse(null);
            if (most == null || held.get(most) <= equalShare) {
                return; // none holds more than its share: the least recently used goes, as the table fills
            }
            String victim = evictable.get(most).poll();
            if (evictable.get(most).isEmpty()) {
                evictable.remove(most);
            }
            evicted++;
            stopFollowing(series.remove(victim), OVER_SHARE, end, events);
            held.merge(most, -1, Integer::sum);
            room++;
        }
    }

    /**
     * Resolves the series' open episode, if it has one, saying why the watcher no longer follows it: its state is
     * about to go, and nothing else would ever end its incident.
     */
    private void stopFollowing(SeriesState state, String why, Instant now, List<WatchEvent> events) {
        if (!state.open()) {
            return;
        }
        long[] times = state.history.times();
        double[] values = state.history.values();
        // at its last point; with none (an episode taken up after a restart whose series answers nothing), now
        Instant at = times.length == 0 ? now : Instant.ofEpochMilli(times[times.length - 1]);
        double last = values.length == 0 ? Double.NaN : values[values.length - 1];
        Episode e = state.episode;
        events.add(new WatchEvent(state.watch, EventStatus.RESOLVED, state.labels, at, last,
                e == null ? Double.NaN : e.low, e == null ? Double.NaN : e.high, Double.NaN, null, Double.NaN,
                state.history.chart(settings.chartPoints()), why));
        state.episode = null;
        state.announced = null; // armed stays false: a series that comes back fires again only after a normal point
        state.evidenceAfterMillis = at.toEpochMilli();
    }

    private long anomaly(Watch w, MetricSeries s, SeriesState state, boolean learnOnly, List<WatchEvent> events) {
        long fed = 0;
        for (MetricSeries.Point p : s.points()) {
            if (p.epochMillis() <= state.lastMillis) {
                continue;
            }
            if (!Double.isFinite(p.value())) {
                nonFiniteSkipped = true;
                continue;
            }
            state.lastMillis = p.epochMillis();
            fed++;
            double score = 0;
            if (learnOnly) {
                state.detector.learn(p.epochMillis(), p.value()); // an alarm in history must not make the detector rest now
                state.evidenceAfterMillis = p.epochMillis();
            } else {
                score = state.detector.score(p.epochMillis(), p.value());
            }
            EventStatus change = null;
            if (state.episode == null) {
                // after an episode, a new one starts only once the detector has called a point normal
                state.armed |= score < w.threshold();
                if (score >= w.threshold() && state.armed) {
                    state.armed = false;
                    state.episode = new Episode(state.history.band()); // the band before this point joins it
                    change = EventStatus.FIRING;
                }
            } else if (state.episode.endsWith(p.value(), settings)) {
                change = EventStatus.RESOLVED;
            }
            state.history.add(p.epochMillis(), p.value());
            if (change != null) {
                Episode e = state.episode;
                // A detector may call the alarm a few points after the point that caused it (the novelty detector
                // weighs its last 16 together): the evidence is the point farthest outside the band among them.
                MetricSeries.Point shown = p;
                if (change == EventStatus.FIRING) {
                    // the detectors weigh points of the last EVIDENCE_POINTS steps: one from before a gap is not it
                    long window = p.epochMillis() - EVIDENCE_POINTS * w.step().toMillis();
                    MetricSeries.Point farthest = state.history.farthestOutside(EVIDENCE_POINTS, e.low, e.high,
                            Math.max(state.evidenceAfterMillis, window));
                    shown = farthest != null ? farthest : p;
                }
                events.add(new WatchEvent(w, change, s.labels(), Instant.ofEpochMilli(shown.epochMillis()), shown.value(),
                        e.low, e.high, score, null, Double.NaN, state.history.chart(settings.chartPoints())));
                if (change == EventStatus.RESOLVED) {
                    state.episode = null;
                    state.evidenceAfterMillis = p.epochMillis();
                }
            }
        }
        return fed;
    }

    /**
     * Carries on an anomaly episode that began at {@code since}, before the state was lost: it left the band of the
     * points before it, and the points since count towards its end as if they had been scored live.
     */
    private void resume(Watch w, MetricSeries s, SeriesState state, Instant since, List<WatchEvent> events) {
        Episode e = new Episode(state.history.bandBefore(since.toEpochMilli()));
        state.episode = e;
        state.armed = false;
        long[] times = state.history.times();
        double[] values = state.history.values();
        for (int i = 0; i < times.length; i++) {
            if (times[i] >= since.toEpochMilli() && e.endsWith(values[i], settings)) {
                events.add(new WatchEvent(w, EventStatus.RESOLVED, s.labels(), Instant.ofEpochMilli(times[i]), values[i],
                        e.low, e.high, Double.NaN, null, Double.NaN, state.history.chart(settings.chartPoints())));
                state.episode = null;
                state.evidenceAfterMillis = Math.max(state.evidenceAfterMillis, times[i]); // history stays not evidence
                state.armed = true; // its points back in the band are the normal ones a new episode needs first
                return;
            }
        }
    }

    private long exhaustion(Watch w, MetricSeries s, SeriesState state, Double limit, List<WatchEvent> events) {
        long fed = 0;
        MetricSeries.Point last = null;
        for (MetricSeries.Point p : s.points()) {
            if (p.epochMillis() <= state.lastMillis) {
                continue;
            }
            if (!Double.isFinite(p.value())) {
                nonFiniteSkipped = true;
                continue;
            }
            state.lastMillis = p.epochMillis();
            state.history.add(p.epochMillis(), p.value());
            last = p;
            fed++;
        }
        if (limit == null && last != null && state.announced != null) {
            // nothing to forecast against any more: the warning would otherwise stay open for good
            stopFollowing(state, "its limit-query no longer gives it a limit (none with its labels, or 0 or less: no"
                    + " limit)", Instant.ofEpochMilli(last.epochMillis()), events);
        }
        if (last == null || limit == null || state.history.size() < settings.minForecastPoints()) {
            return fed;
        }
        Optional<ExhaustionForecaster.Forecast> f = forecaster.forecast(state.history.times(), state.history.values(), limit);
        boolean soon = f.isPresent() && f.get().expected().compareTo(w.horizon()) <= 0;
        boolean clear = (f.isEmpty() || f.get().expected().compareTo(w.horizon().multipliedBy(2)) > 0)
                && !(state.announced != null && state.announced.isZero()
                        && ExhaustionForecaster.stillAtLimit(state.history.values(), limit));
        if (state.announced == null && soon) {
            state.announced = f.get().expected();
            events.add(exhaustionEvent(w, EventStatus.FIRING, s.labels(), last, state, f.get(), limit));
        } else if (state.announced != null && clear) {
            state.announced = null;
            events.add(exhaustionEvent(w, EventStatus.RESOLVED, s.labels(), last, state, null, limit));
        } else if (state.announced != null && soon && sayAgain(w, state.announced, f.get().expected())) {
            state.announced = f.get().expected();
            events.add(exhaustionEvent(w, EventStatus.FIRING, s.labels(), last, state, f.get(), limit));
        }
        return fed;
    }

    /**
     * An exhaustion is said again when the time left falls under half of what was last said, so the incident shows
     * what is left, and when it comes within a quarter of the horizon, where its
     * severity goes one higher ({@link WatchEvent#severity}) and a route on severity may page.
     */
    private static boolean sayAgain(Watch w, Duration said, Duration left) {
        return left.compareTo(said.dividedBy(2)) < 0 || WatchEvent.near(w, left) && !WatchEvent.near(w, said);
    }

    private WatchEvent exhaustionEvent(Watch w, EventStatus status, Map<String, String> labels, MetricSeries.Point p,
                                       SeriesState state, ExhaustionForecaster.Forecast forecast, double limit) {
        return new WatchEvent(w, status, labels, Instant.ofEpochMilli(p.epochMillis()), p.value(), Double.NaN, Double.NaN,
                Double.NaN, forecast, limit, state.history.chart(settings.chartPoints()));
    }

    /** The limit per series (labels without the metric name), as {@link #limitFor} matches them. */
    private Map<Map<String, String>, Double> limits(Watch w, Instant at) {
        if (w.limit() != null) {
            return Map.of(Map.of(), w.limit());
        }
        Map<Map<String, String>, Double> out = new HashMap<>();
        List<MetricSeries> answer;
        try {
            answer = metrics.instant(w.limitQuery(), at);
        } catch (MetricsUnavailableException.AnswerTooLarge e) {
            // one instant: asking a shorter range of the watch's query would not make it smaller
            throw new MetricsUnavailableException("its limit-query's answer was too large to read (" + e.getMessage()
                    + "); narrow the limit-query", e);
        }
        for (MetricSeries s : answer) {
            // kept at 0 or less too, which is how cAdvisor says "no limit" (container_spec_memory_limit_bytes): the
            // series has its limit, and there is nothing to run out of
            if (!s.points().isEmpty() && Double.isFinite(s.points().getLast().value())) {
                out.put(withoutName(s.labels()), s.points().getLast().value());
            }
        }
        return out;
    }

    /**
     * A series' limit: the limit-query's series with the same labels (without the metric name); else, as PromQL's
     * {@code on(...)} would match them, one whose labels the series has too, the one with the most labels first: a
     * {@code sum by (instance)} of sizes is the limit of each mountpoint of its instance, and a limit without labels
     * ({@code sum(quota)}) the limit of every series. A limit of another disk's labels is no series' limit.
     */
    private static Double limitFor(Map<Map<String, String>, Double> limits, List<Set<String>> labelNames,
                                   Map<String, String> labels) {
        Map<String, String> own = withoutName(labels);
        Double exact = limits.get(own);
        if (exact != null) {
            return exact;
        }
        for (Set<String> names : labelNames) {
            if (names.size() < own.size() && own.keySet().containsAll(names)) {
                Map<String, String> on = new HashMap<>(own);
                on.keySet().retainAll(names);
                Double limit = limits.get(on);
                if (limit != null) {
                    return limit;
                }
            }
        }
        return null;
    }

    /** The sets of label names the limits have, the largest first (then by name, so the same every tick). */
    private static List<Set<String>> limitLabelNames(Map<Map<String, String>, Double> limits) {
        return limits.keySet().stream().map(l -> (Set<String>) new TreeSet<>(l.keySet())).distinct()
                .sorted(Comparator.<Set<String>>comparingInt(Set::size).reversed().thenComparing(Object::toString))
                .toList();
    }

    private static Map<String, String> withoutName(Map<String, String> labels) {
        Map<String, String> out = new HashMap<>(labels);
        out.remove("__name__");
        return out;
    }

    private static String windowKey(Watch w) {
        return w.name() + "\n" + w.query() + "\n" + w.step();
    }

    private static String seriesKey(Watch w, Map<String, String> labels) {
        return windowKey(w) + "\n" + w.kind() + "\n" + new TreeMap<>(labels);
    }

    /** Series tracked now. */
    public synchronized int trackedSeries() {
        return series.size();
    }

    /** Approximate bytes of state held for the tracked series (detectors and windows). */
    public synchronized long stateBytes() {
        long bytes = 0;
        for (SeriesState s : series.values()) {
            bytes += s.history.stateBytes() + (s.detector == null ? 0 : s.detector.stateBytes()) + 64;
        }
        return bytes;
    }

    private final class SeriesState {
        /** The watch the series belongs to, as it was when last scored (to resolve its episode once it is gone). */
        Watch watch;
        final Map<String, String> labels;
        /** The watch's window key: which watch the series belongs to. */
        final String window;
        final AnomalyDetector detector;
        final SeriesHistory history = new SeriesHistory(settings.windowPoints());
        long lastMillis = Long.MIN_VALUE;
        /**
         * Points at or before this are not an anomaly's evidence: those of the last episode (not the next one's), and
         * history only learned from, never scored.
         */
        long evidenceAfterMillis = Long.MIN_VALUE;
        Episode episode;
        boolean armed = true;
        /** The time to the limit the open exhaustion event last said; null while none is open. */
        Duration announced;

        SeriesState(Watch w, Map<String, String> labels) {
            watch = w;
            this.labels = labels;
            window = windowKey(w);
            detector = w.kind() == Watch.Kind.ANOMALY ? detectors.get() : null;
        }

        /** An anomaly episode or an exhaustion warning is open. */
        boolean open() {
            return episode != null || announced != null;
        }
    }

    /** An anomaly in progress: the band it left, and how long it has lasted. */
    private static final class Episode {
        final double low;
        final double high;
        int points;
        int normalStreak;

        Episode(double[] band) {
            low = band == null ? Double.NaN : band[0];
            high = band == null ? Double.NaN : band[1];
        }

        /** Counts the point; true once enough points in a row were back in the band, or the episode is long enough. */
        boolean endsWith(double value, Settings settings) {
            points++;
            normalStreak = value >= low && value <= high ? normalStreak + 1 : 0;
            return normalStreak >= settings.resolveAfter() || points >= settings.maxEpisodePoints();
        }
    }
}
