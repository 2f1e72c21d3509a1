package io.onloop.testkit.anomaly;

import io.onloop.domain.anomaly.AnomalyDetector;
import io.onloop.domain.anomaly.EnsembleDetector;
import io.onloop.domain.anomaly.NoveltyDetector;
import io.onloop.domain.anomaly.watch.MetricWatcher;
import io.onloop.domain.anomaly.watch.Watch;
import io.onloop.domain.anomaly.watch.WatchEvent;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Severity;
import io.onloop.domain.metrics.MetricSeries;
import io.onloop.testkit.metrics.InMemoryMetricsQuery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class MetricWatcherTest {
    static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(1);
    static final Map<String, String> POD = Map.of("__name__", "http_latency", "namespace", "shop", "pod", "api-1", "job", "api");

    /** An exhaustion watch of "used" whose limits come from the query "size", matched on labels. */
    static final Watch DISK_AGAINST_SIZE = new Watch("disk", "used", STEP, Watch.Kind.EXHAUSTION, Severity.HIGH, 0.5, null,
            "size", Duration.ofHours(1), Map.of());

    final InMemoryMetricsQuery metrics = new InMemoryMetricsQuery();

    static final Supplier<AnomalyDetector> ABOVE_150 = () -> new ScoresAbove(150);

    MetricWatcher watcher(Supplier<AnomalyDetector> detectors) {
        return new MetricWatcher(metrics, detectors, new MetricWatcher.Settings(Duration.ofHours(6), 100, 240, 60, 5, 360, 10));
    }

    /** 100 minutes of a flat latency of 100, learned on the watcher's first tick (which raises nothing). */
    void learnFlat(MetricWatcher watcher, Watch watch) {
        for (int i = 0; i <= 100; i++) {
            sample("latency", POD, i, 100);
        }
        watcher.tick(List.of(watch), minute(100));
    }

    /** The in-memory backend, with each range answer passed through {@code answer} (which may also throw). */
    io.onloop.domain.metrics.MetricsQuery ranges(
            java.util.function.BiFunction<String, List<MetricSeries>, List<MetricSeries>> answer) {
        return InMemoryMetricsQuery.rangesThrough(metrics, answer);
    }

    /** Minute {@code i} after T0 with a value wobbling around {@code level}. */
    void sample(String query, Map<String, String> labels, int minute, double level) {
        metrics.add(query, labels, T0.plus(STEP.multipliedBy(minute)), level + ((minute * 7) % 5 - 2) * 0.5);
    }

    static Instant minute(int i) {
        return T0.plus(STEP.multipliedBy(i));
    }

    @Test
    void anAnomalyRaisesOneEventPerEpisodeAndResolvesOnceBackInItsBand() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var watcher = watcher(ABOVE_150);
        for (int i = 0; i <= 100; i++) {
            sample("latency", POD, i, 100);
        }
        assertThat(watcher.tick(List.of(watch), minute(100)).events()).as("the first range only learns").isEmpty();

        for (int i = 101; i <= 110; i++) {
            sample("latency", POD, i, 300);
        }
        List<WatchEvent> spike = watcher.tick(List.of(watch), minute(110)).events();

        assertThat(spike).hasSize(1);
        WatchEvent fired = spike.getFirst();
        assertThat(fired.status()).isEqualTo(EventStatus.FIRING);
        assertThat(fired.at()).isEqualTo(minute(101));
        assertThat(fired.observed()).isBetween(299.0, 301.0);
        assertThat(fired.score()).isEqualTo(1.0);
        assertThat(fired.expectedLow()).isBetween(95.0, 100.0);
        assertThat(fired.expectedHigh()).isBetween(100.0, 105.0);
        assertThat(fired.chart()).isNotEmpty().hasSizeLessThanOrEqualTo(60);
        assertThat(fired.chart().getLast()).isEqualTo(new MetricSeries.Point(minute(101).toEpochMilli(), fired.observed()));

        for (int i = 111; i <= 113; i++) {
            sample("latency", POD, i, 100);
        }
        assertThat(watcher.tick(List.of(watch), minute(113)).events()).as("3 normal points are not yet 5").isEmpty();
        for (int i = 114; i <= 120; i++) {
            sample("latency", POD, i, 100);
        }
        List<WatchEvent> back = watcher.tick(List.of(watch), minute(120)).events();

        assertThat(back).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.at()).isEqualTo(minute(115));
            assertThat(e.fingerprint()).isEqualTo(fired.fingerprint());
        });
    }

    @Test
    void anEpisodeOpenBeforeARestartIsTakenUpAndResolvesOnceBackInTheBandItLeft() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        for (int i = 0; i <= 100; i++) {
            sample("latency", POD, i, 100);
        }
        for (int i = 101; i <= 110; i++) {
            sample("latency", POD, i, 300); // fired at minute 101, then onloop restarted
        }
        String fingerprint = WatchEvent.fingerprint(watch, POD);
        var restarted = watcher(ABOVE_150);
        var cold = watcher(ABOVE_150); // what a restart did before: it never resolves
        restarted.resume(List.of(new MetricWatcher.OpenEpisode("api-latency", fingerprint, minute(101))));

        var first = restarted.tick(List.of(watch), minute(110));
        assertThat(first.events()).as("still outside its band").isEmpty();
        assertThat(first.lost()).isEmpty();
        assertThat(cold.tick(List.of(watch), minute(110)).events()).isEmpty();
        for (int i = 111; i <= 120; i++) {
            sample("latency", POD, i, 100);
        }

        assertThat(restarted.tick(List.of(watch), minute(120)).events()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.at()).isEqualTo(minute(115));
            assertThat(e.fingerprint()).isEqualTo(fingerprint);
            // the band of the points before it began, not one the anomaly's own points widened
            assertThat(e.expectedLow()).isBetween(95.0, 100.0);
            assertThat(e.expectedHigh()).isBetween(100.0, 105.0);
        });
        assertThat(cold.tick(List.of(watch), minute(120)).events()).as("without taking it up").isEmpty();
    }

    @Test
    void anEpisodeThatEndedWhileOnloopWasDownResolvesOnTheFirstTick() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        for (int i = 0; i <= 120; i++) {
            sample("latency", POD, i, i > 100 && i <= 105 ? 300 : 100);
        }
        var restarted = watcher(ABOVE_150);
        restarted.resume(List.of(new MetricWatcher.OpenEpisode("api-latency", WatchEvent.fingerprint(watch, POD), minute(101))));

        assertThat(restarted.tick(List.of(watch), minute(120)).events()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.at()).as("the fifth point back in its band").isEqualTo(minute(110));
        });
        for (int i = 121; i <= 130; i++) {
            sample("latency", POD, i, 300);
        }
        assertThat(restarted.tick(List.of(watch), minute(130)).events()).as("a new episode is a new event")
                .singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.FIRING));
    }

    @Test
    void anExhaustionOpenBeforeARestartResolvesWhenTheTrendNoLongerReachesTheLimitAndIsNotRaisedAgain() {
        var watch = Watch.exhaustion("pool", "connections", STEP, 1000, Duration.ofHours(1));
        Map<String, String> leaking = Map.of("__name__", "connections", "pod", "api-1");
        Map<String, String> fixed = Map.of("__name__", "connections", "pod", "api-2");
        for (int i = 0; i <= 45; i++) {
            sample("connections", leaking, i, 500 + 5 * i); // still under an hour from its limit
            sample("connections", fixed, i, 300);
        }
        var restarted = watcher(ABOVE_150);
        restarted.resume(List.of(new MetricWatcher.OpenEpisode("pool", WatchEvent.fingerprint(watch, leaking), minute(40)),
                new MetricWatcher.OpenEpisode("pool", WatchEvent.fingerprint(watch, fixed), minute(20))));

        assertThat(restarted.tick(List.of(watch), minute(45)).events()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.series()).isEqualTo(fixed);
        });
    }

    /** Each restart raised the warning again (exploratory test): what it last said carries over. */
    @Test
    void anExhaustionTakenUpAfterARestartIsSaidAgainOnlyWhenItWouldHaveBeenWithoutIt() {
        var watch = Watch.exhaustion("pool", "connections", STEP, 1000, Duration.ofHours(1));
        Map<String, String> leaking = Map.of("__name__", "connections", "pod", "api-1");
        for (int i = 0; i <= 45; i++) {
            sample("connections", leaking, i, 650 + 5 * i); // about 25 minutes from its limit at minute 45
        }
        String fingerprint = WatchEvent.fingerprint(watch, leaking);
        var saidHalfAnHour = watcher(ABOVE_150);
        saidHalfAnHour.resume(List.of(new MetricWatcher.OpenEpisode("pool", fingerprint, minute(40), Duration.ofMinutes(30))));
        assertThat(saidHalfAnHour.tick(List.of(watch), minute(45)).events()).as("25 minutes is not under half of 30")
                .isEmpty();
        var notKnown = watcher(ABOVE_150);
        notKnown.resume(List.of(new MetricWatcher.OpenEpisode("pool", fingerprint, minute(40))));
        assertThat(notKnown.tick(List.of(watch), minute(45)).events()).as("what it said is not known: at most the horizon")
                .singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.FIRING));
    }

    @Test
    void anEpisodeWhoseSeriesItsWatchNoLongerHasIsLostOnceThatWatchHasAnswered() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var other = Watch.anomaly("db-latency", "db", STEP);
        for (int i = 0; i <= 100; i++) {
            sample("latency", POD, i, 100); // api-1 replaced api-0 while onloop was down
        }
        metrics.fail("db", "prometheus unreachable");
        var gone = new MetricWatcher.OpenEpisode("api-latency", WatchEvent.fingerprint(watch, Map.of("pod", "api-0")), minute(90));
        var waiting = new MetricWatcher.OpenEpisode("db-latency", WatchEvent.fingerprint(other, Map.of("pod", "db-0")), minute(90));
        var restarted = watcher(ABOVE_150);
        restarted.resume(List.of(gone, waiting));

        assertThat(restarted.tick(List.of(watch, other), minute(100)).lost()).as("db-latency has not answered yet")
                .containsExactly(gone);
        metrics.recover("db");
        assertThat(restarted.tick(List.of(watch, other), minute(101)).lost()).containsExactly(waiting);
        assertThat(restarted.tick(List.of(watch, other), minute(102)).lost()).isEmpty();
    }

    @Test
    void aSlowQueryDoesNotHoldUpTheOtherWatches() {
        for (String q : List.of("slow", "a", "b", "c")) {
            for (int i = 0; i <= 10; i++) {
                sample(q, POD, i, 100);
            }
        }
        var othersAsked = new java.util.concurrent.CountDownLatch(3);
        // the slow query answers only once the three others have been asked: asked one after another, slow first, it
        // would wait out its 10 s and fail
        var backend = ranges((query, answer) -> {
            if (!query.equals("slow")) {
                othersAsked.countDown();
                return answer;
            }
            try {
                if (!othersAsked.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new io.onloop.domain.metrics.MetricsUnavailableException("the others were not asked meanwhile");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return answer;
        });
        var watcher = new MetricWatcher(backend, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 100, 240, 60, 5, 360, 10));
        List<Watch> watches = List.of("slow", "a", "b", "c").stream().map(q -> Watch.anomaly(q, q, STEP)).toList();

        var result = watcher.tick(watches, minute(10));

        assertThat(result.failures()).isEmpty();
        assertThat(result.trackedSeries()).isEqualTo(4);
    }

    @Test
    void anAlarmCalledAfterItsCauseShowsTheCauseAsEvidence() {
        // alarms two points after a point above 150, as a detector weighing several points together may
        Supplier<AnomalyDetector> late = () -> new AnomalyDetector() {
            private final double[] last = new double[3];
            private int n;

            @Override
            public double score(long epochMillis, double value) {
                last[n++ % 3] = value;
                return n >= 3 && last[(n - 3) % 3] > 150 ? 1 : 0;
            }

            @Override
            public long stateBytes() {
                return 0;
            }
        };
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var watcher = watcher(late);
        learnFlat(watcher, watch);
        sample("latency", POD, 101, 500);
        for (int i = 102; i <= 105; i++) {
            sample("latency", POD, i, 100);
        }

        WatchEvent fired = watcher.tick(List.of(watch), minute(105)).events().getFirst();

        assertThat(fired.status()).isEqualTo(EventStatus.FIRING);
        assertThat(fired.observed()).as("the spike, not the normal point the alarm came on").isBetween(499.0, 501.0);
        assertThat(fired.at()).isEqualTo(minute(101));
    }

    /** Evidence is a point the watcher scored, within the points the detectors weigh: not history, not before a gap. */
    @Test
    void theEvidenceIsNeverAPointOnlyLearnedFrom() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var learned = watcher(ABOVE_150);
        for (int i = 0; i <= 100; i++) {
            sample("latency", POD, i, i == 98 ? 400 : 100);  // an old spike, in the history learned at start
        }
        learned.tick(List.of(watch), minute(100));
        sample("latency", POD, 101, 160);
        WatchEvent fired = learned.tick(List.of(watch), minute(101)).events().getFirst();
        assertThat(fired.at()).isEqualTo(minute(101));
        assertThat(fired.observed()).isBetween(159.0, 161.0);
    }

    @Test
    void theEvidenceIsNeverAPointFromBeforeAGap() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var gap = watcher(ABOVE_150);
        learnFlat(gap, watch);
        sample("latency", POD, 101, 0);                 // scored, far outside the band, but no alarm
        sample("latency", POD, 150, 160);               // after 49 minutes without a point
        List<WatchEvent> events = gap.tick(List.of(watch), minute(150)).events();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.at()).isEqualTo(minute(150));
            assertThat(e.observed()).isBetween(159.0, 161.0);
        });
    }

    @Test
    void theEvidenceOfASecondEpisodeIsNeverTheFirstsPoint() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var watcher = watcher(ABOVE_150);
        learnFlat(watcher, watch);
        sample("latency", POD, 101, 300);            // the first episode, resolved after five normal points
        for (int i = 102; i <= 107; i++) {
            sample("latency", POD, i, 100);
        }
        sample("latency", POD, 108, 200);            // a second one, within 16 points of the first's spike

        List<WatchEvent> events = watcher.tick(List.of(watch), minute(108)).events();

        assertThat(events).extracting(WatchEvent::status)
                .containsExactly(EventStatus.FIRING, EventStatus.RESOLVED, EventStatus.FIRING);
        assertThat(events.getLast().observed()).isBetween(199.0, 201.0);
        assertThat(events.getLast().at()).isEqualTo(minute(108));
    }

    @Test
    void aLastingLevelShiftEndsItsEpisodeAfterTheLimit() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var watcher = new MetricWatcher(metrics, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 100, 240, 60, 5, 20, 10));
        for (int i = 0; i <= 50; i++) {
            sample("latency", POD, i, 100);
        }
        watcher.tick(List.of(watch), minute(50));
        for (int i = 51; i <= 100; i++) {
            sample("latency", POD, i, 300);
        }

        List<WatchEvent> events = watcher.tick(List.of(watch), minute(100)).events();

        // fires at 51 and ends 20 points later; the detector still calls every point anomalous, but
        // a new episode needs it to have called one normal first
        assertThat(events).extracting(WatchEvent::status, WatchEvent::at).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EventStatus.FIRING, minute(51)),
                org.assertj.core.groups.Tuple.tuple(EventStatus.RESOLVED, minute(71)));
        assertThat(events.getLast().toAlert().summary()).as("not back in its band: it stays at 300")
                .startsWith("Still outside the band it left (observed 300").contains("new normal");

        sample("latency", POD, 101, 100);
        sample("latency", POD, 102, 300);
        assertThat(watcher.tick(List.of(watch), minute(102)).events()).extracting(WatchEvent::status, WatchEvent::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EventStatus.FIRING, minute(102)));
    }

    @Test
    void eachTickQueriesOnlyTheRangeSinceTheLastOneAlignedToTheStep() {
        var watch = Watch.anomaly("w", "q", STEP);
        var watcher = watcher(ABOVE_150);

        watcher.tick(List.of(watch), minute(100).plusSeconds(30));
        watcher.tick(List.of(watch), minute(100).plusSeconds(50)); // same step: nothing to ask
        watcher.tick(List.of(watch), minute(103).plusSeconds(5));

        assertThat(metrics.calls()).containsExactly(
                new InMemoryMetricsQuery.Call("q", minute(100).minus(Duration.ofHours(6)), minute(100), STEP),
                new InMemoryMetricsQuery.Call("q", minute(100), minute(103), STEP));
    }

    @Test
    void anAnswerTooLargeToReadIsAskedForAgainOverHalfTheTimeUntilItCanBeRead() {
        for (int i = 0; i <= 400; i++) {
            sample("q", POD, i, 100);
        }
        // more than an hour of its series is more than the backend hands back
        var backend = new io.onloop.domain.metrics.MetricsQuery() {
            @Override
            public String backend() {
                return "test";
            }

            @Override
            public List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
                if (Duration.between(start, end).compareTo(Duration.ofHours(1)) > 0) {
                    throw new io.onloop.domain.metrics.MetricsUnavailableException.AnswerTooLarge("over 64 MiB", null);
                }
                return metrics.range(query, start, end, step);
            }

            @Override
            public List<MetricSeries> instant(String query, Instant at) {
                return metrics.instant(query, at);
            }
        };
        var watcher = new MetricWatcher(backend, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 100, 240, 60, 5, 360, 10));
        var watch = Watch.anomaly("w", "q", STEP);

        var first = watcher.tick(List.of(watch), minute(300));
        assertThat(first.failures()).singleElement().asString().contains("over 64 MiB");
        assertThat(first.warnings()).containsExactly("w: its answer over the last PT6H was too large to read; it asks for the last"
                + " PT3H from now on");
        assertThat(watcher.tick(List.of(watch), minute(301)).warnings()).singleElement().asString().endsWith("PT1H30M from now on");
        var third = watcher.tick(List.of(watch), minute(302));
        assertThat(third.warnings()).singleElement().asString().endsWith("PT45M from now on");
        var fourth = watcher.tick(List.of(watch), minute(303));
        assertThat(fourth.failures()).isEmpty();
        assertThat(fourth.trackedSeries()).as("it learns from the last 45 minutes and watches on").isEqualTo(1);
        // the next ticks ask only what is new
        sample("q", POD, 401, 300);
        assertThat(watcher.tick(List.of(watch), minute(304)).failures()).isEmpty();
    }

    @Test
    void aLimitQueryAnswerTooLargeSaysSoAndDoesNotShortenTheWatchsRange() {
        metrics.fail("size", new io.onloop.domain.metrics.MetricsUnavailableException.AnswerTooLarge("over 64 MiB", null));
        var watcher = watcher(ABOVE_150);
        var watch = DISK_AGAINST_SIZE;
        sample("used", POD, 0, 100);

        var result = watcher.tick(List.of(watch), minute(300));

        assertThat(result.failures()).singleElement().asString()
                .isEqualTo("disk: its limit-query's answer was too large to read (over 64 MiB); narrow the limit-query");
        assertThat(result.warnings()).as("not: it asks for less of the watch's own query").isEmpty();
    }

    @Test
    void pointsThatAreNotNumbersAreSkippedAndSaid() {
        var watcher = watcher(ABOVE_150);
        var watch = Watch.anomaly("errors", "latency", STEP);
        learnFlat(watcher, watch);
        metrics.add("latency", POD, minute(101), Double.NaN); // 0 errors over 0 requests
        metrics.add("latency", POD, minute(102), Double.POSITIVE_INFINITY);

        var result = watcher.tick(List.of(watch), minute(102));

        assertThat(result.events()).isEmpty();
        assertThat(result.points()).as("neither fed to the detector").isZero();
        assertThat(result.warnings()).containsExactly(
                "errors: some of its points are NaN or infinite (a ratio over zero?) and are skipped (said once)");
        sample("latency", POD, 103, 100);
        metrics.add("latency", POD, minute(104), Double.NaN);
        assertThat(watcher.tick(List.of(watch), minute(104)).warnings()).as("once, not at every idle minute").isEmpty();
    }

    @Test
    void aFineStepReachesBackAtMostTenThousandSteps() {
        var watcher = watcher(ABOVE_150);

        watcher.tick(List.of(Watch.anomaly("w", "q", Duration.ofSeconds(1))), minute(1000));

        assertThat(metrics.calls()).singleElement()
                .satisfies(c -> assertThat(c.start()).isEqualTo(minute(1000).minusSeconds(10_000)));
    }

    @Test
    void pointsAlreadySeenAreNotScoredTwice() {
        var watch = Watch.anomaly("w", "q", STEP);
        var watcher = watcher(ABOVE_150);
        for (int i = 0; i <= 10; i++) {
            sample("q", POD, i, 100);
        }
        assertThat(watcher.tick(List.of(watch), minute(10)).points()).isEqualTo(11);
        sample("q", POD, 11, 100);
        // the range starts at minute 10 again (inclusive), but only minute 11 is new
        assertThat(watcher.tick(List.of(watch), minute(11)).points()).isEqualTo(1);
    }

    @Test
    void aFailingBackendIsReportedAndItsRangeRetriedWhileOtherWatchesGoOn() {
        var broken = Watch.anomaly("broken", "broken_query", STEP);
        var fine = Watch.anomaly("fine", "q", STEP);
        var watcher = watcher(ABOVE_150);
        watcher.tick(List.of(broken, fine), minute(10));
        metrics.fail("broken_query", "prometheus refused the query (HTTP 400, bad_data): parse error");
        for (int i = 0; i <= 12; i++) {
            sample("q", POD, i, 100);
        }

        var result = watcher.tick(List.of(broken, fine), minute(12));

        assertThat(result.failures()).containsExactly("broken: prometheus refused the query (HTTP 400, bad_data): parse error");
        assertThat(result.points()).isEqualTo(3); // fine's minutes 10 to 12
        metrics.recover("broken_query");
        // an unexpected failure of one watch (a bug, an answer nobody foresaw) does not stop the others either
        var odd = Watch.anomaly("odd", "odd_query", STEP);
        MetricWatcher throwing = new MetricWatcher(ranges((query, answer) -> {
            if (query.equals("odd_query")) {
                throw new IllegalStateException("an answer nobody foresaw");
            }
            return answer;
        }), ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 100, 240, 60, 5, 360, 10));
        var mixed = throwing.tick(List.of(odd, fine), minute(12));
        assertThat(mixed.failures()).containsExactly("odd: java.lang.IllegalStateException: an answer nobody foresaw");
        assertThat(mixed.points()).isPositive();
        watcher.tick(List.of(broken, fine), minute(14));
        assertThat(metrics.calls()).filteredOn(c -> c.query().equals("broken_query")).extracting(InMemoryMetricsQuery.Call::start)
                .containsExactly(minute(10).minus(Duration.ofHours(6)), minute(10), minute(10));
    }

    @Test
    void trackedSeriesAreCappedLeastRecentlyUsedFirst() {
        var before = Watch.anomaly("before", "p", STEP);
        var after = Watch.anomaly("after", "q", STEP);
        var watcher = new MetricWatcher(metrics, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 2, 240, 60, 5, 360, 10));
        for (String pod : List.of("a", "b")) {
            sample("p", Map.of("pod", pod), 0, 100);
            sample("q", Map.of("pod", pod), 0, 100);
        }
        assertThat(watcher.tick(List.of(before), minute(0)).trackedSeries()).isEqualTo(2);

        var result = watcher.tick(List.of(after), minute(0)); // the watches changed: the old series make room

        assertThat(result.trackedSeries()).isEqualTo(2);
        assertThat(result.evicted()).isEqualTo(2);
        assertThat(watcher.stateBytes()).isPositive();
    }

    @Test
    void aReplacedPodTakesTheRoomOfTheOneItReplacedNotOfTheOthers() {
        // answers in label order, so the new pod "0" comes first, before the pods the table already holds
        var sorted = ranges((query, answer) -> answer.stream()
                .sorted(java.util.Comparator.comparing(s -> s.labels().get("pod"))).toList());
        var watch = Watch.anomaly("w", "q", STEP);
        var watcher = new MetricWatcher(sorted, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 4, 240, 60, 5, 360, 10));
        for (String pod : List.of("a", "b", "c", "d")) {
            sample("q", Map.of("pod", pod), 0, 100);
        }
        watcher.tick(List.of(watch), minute(0));
        for (String pod : List.of("0", "a", "b", "c")) { // a deploy replaced d with 0
            sample("q", Map.of("pod", pod), 1, 100);
        }

        var result = watcher.tick(List.of(watch), minute(1));

        // with the least recently used alone: 0 evicts a, a evicts b, b evicts c, c evicts d, each made again cold
        assertThat(result.evicted()).isZero();
        assertThat(result.trackedSeries()).isEqualTo(4);
    }

    @Test
    void theSeriesOfAWatchThatIsGoneAreForgotten() {
        var gone = Watch.anomaly("gone", "p", STEP);
        var stays = Watch.anomaly("stays", "q", STEP);
        var watcher = watcher(ABOVE_150);
        sample("p", Map.of("pod", "a"), 0, 100);
        sample("q", Map.of("pod", "a"), 0, 100);
        assertThat(watcher.tick(List.of(gone, stays), minute(0)).trackedSeries()).isEqualTo(2);
        sample("q", Map.of("pod", "a"), 1, 100);
        assertThat(watcher.tick(List.of(stays), minute(1)).trackedSeries()).isEqualTo(1);
    }

    @Test
    void anEpisodeWhoseSeriesStopsBeingReportedIsResolvedSayingSo() {
        var watch = Watch.anomaly("api-latency", "latency", STEP);
        var watcher = watcher(ABOVE_150);
        learnFlat(watcher, watch);
        for (int i = 101; i <= 103; i++) {
            sample("latency", POD, i, 300);
        }
        WatchEvent fired = watcher.tick(List.of(watch), minute(103)).events().getFirst();
        // the pod is gone (replaced, its target removed): no more points
        assertThat(watcher.tick(List.of(watch), minute(107)).events()).as("4 steps without a point: not yet").isEmpty();

        List<WatchEvent> gone = watcher.tick(List.of(watch), minute(108)).events();

        assertThat(gone).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.fingerprint()).isEqualTo(fired.fingerprint());
            assertThat(e.at()).as("its last point").isEqualTo(minute(103));
            assertThat(e.stopped()).contains("no longer reported");
            assertThat(e.toAlert().title()).isEqualTo("No longer watched: api-latency (namespace=shop, pod=api-1)");
            assertThat(e.toAlert().summary()).startsWith("The watcher stopped following this series while its anomaly was open")
                    .contains("Whether it ended is not known");
        });
        assertThat(watcher.tick(List.of(watch), minute(120)).events()).as("said once").isEmpty();

        // it comes back as it left: not a new episode until a point is scored normal, then one fires as usual
        for (int i = 121; i <= 125; i++) {
            sample("latency", POD, i, 300);
        }
        assertThat(watcher.tick(List.of(watch), minute(125)).events()).isEmpty();
        for (int i = 126; i <= 130; i++) {
            sample("latency", POD, i, i < 128 ? 100 : 300);
        }
        assertThat(watcher.tick(List.of(watch), minute(130)).events()).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.FIRING));
    }

    @Test
    void anExhaustionWhoseSeriesIsGoneIsResolvedAndSoAreTheEpisodesOfARemovedWatchAndOfEvictedSeries() {
        var leak = new Watch("api-memory", "memory", STEP, Watch.Kind.EXHAUSTION, Severity.HIGH, 0.5, 1000.0, null,
                Duration.ofHours(1), Map.of());
        var spikes = Watch.anomaly("api-latency", "latency", STEP);
        var watcher = new MetricWatcher(metrics, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 3, 240, 60, 5, 360, 10));
        for (int i = 0; i <= 45; i++) {
            sample("memory", POD, i, 500 + 5 * i);
            sample("memory", Map.of("pod", "api-2"), i, 500 + 5 * i);
            sample("latency", POD, i, i <= 40 ? 100 : 300);
        }
        watcher.tick(List.of(leak, spikes), minute(30)); // 70 minutes from the limit
        List<WatchEvent> fired = watcher.tick(List.of(leak, spikes), minute(45)).events();
        assertThat(fired).extracting(WatchEvent::status).containsOnly(EventStatus.FIRING).hasSize(3);

        // the latency watch is deleted (its alerting rule went): its open episode ends with it
        sample("memory", POD, 46, 730); // pod api-2 is gone: its last point was at minute 45
        List<WatchEvent> removed = watcher.tick(List.of(leak), minute(46)).events();
        assertThat(removed).singleElement().satisfies(e -> {
            assertThat(e.watch().name()).isEqualTo("api-latency");
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.stopped()).startsWith("its watch is no longer configured");
        });

        // api-1 goes on leaking. Two new pods come, and with room for one more series (3), api-2 makes room before
        // it has been missing for 5 steps
        for (int i = 47; i <= 48; i++) {
            sample("memory", POD, i, 500 + 5 * i);
        }
        sample("memory", Map.of("pod", "api-3"), 48, 100);
        sample("memory", Map.of("pod", "api-4"), 48, 100);
        List<WatchEvent> replaced = watcher.tick(List.of(leak), minute(48)).events();
        assertThat(replaced).singleElement().satisfies(e -> {
            assertThat(e.series()).containsEntry("pod", "api-2");
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.stopped()).contains("no longer in the watch's answer");
            assertThat(e.toAlert().summary()).contains("while its exhaustion was open");
        });
    }

    @Test
    void anEpisodeOfASeriesEvictedForAnotherWatchsIsResolved() {
        var first = Watch.anomaly("first", "p", STEP);
        var second = Watch.anomaly("second", "q", STEP);
        var watcher = new MetricWatcher(metrics, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 2, 240, 60, 5, 360, 10));
        for (int i = 0; i <= 10; i++) {
            sample("p", Map.of("pod", "a"), i, 100);
            sample("p", Map.of("pod", "b"), i, 100);
        }
        watcher.tick(List.of(first), minute(10));
        sample("p", Map.of("pod", "a"), 11, 300);
        sample("p", Map.of("pod", "b"), 11, 100);
        assertThat(watcher.tick(List.of(first), minute(11)).events()).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.FIRING));

        // the first watch alone filled the table (2); the second's series takes the place of the least recently used, a
        sample("q", POD, 12, 100);
        var result = watcher.tick(List.of(first, second), minute(12));

        assertThat(result.evicted()).isPositive();
        assertThat(result.events()).singleElement().satisfies(e -> {
            assertThat(e.watch().name()).isEqualTo("first");
            assertThat(e.series()).containsEntry("pod", "a");
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.stopped()).contains("max-series");
        });
    }

    @Test
    void aWatchMatchingTooManySeriesTracksItsShareAndLeavesTheOthersAlone() {
        var small = Watch.anomaly("small", "s", STEP);
        var big = Watch.anomaly("big", "q", STEP);
        var watcher = new MetricWatcher(metrics, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 4, 240, 60, 5, 360, 10));
        for (int i = 0; i <= 10; i++) {
            sample("s", Map.of("pod", "x"), i, 100);
            for (String pod : List.of("f", "e", "d", "c", "b", "a")) {
                sample("q", Map.of("pod", pod), i, 100);
            }
        }

        var result = watcher.tick(List.of(small, big), minute(10));

        assertThat(result.trackedSeries()).as("small's one, and the three it leaves to big").isEqualTo(4);
        assertThat(result.evicted()).isZero();
        assertThat(result.failures()).isEmpty();
        assertThat(result.warnings()).containsExactly("big: 3 of its series watched, the most one watch may track now "
                + "(max-series, shared among the watches); narrow its query");
        // the same three every tick, by their labels: a, b and c keep learning; small's series is still tracked
        sample("s", Map.of("pod", "x"), 11, 100);
        for (String pod : List.of("a", "b", "c", "d", "e", "f")) {
            sample("q", Map.of("pod", pod), 11, 100);
        }
        var next = watcher.tick(List.of(small, big), minute(11));
        assertThat(next.evicted()).isZero();
        assertThat(next.points()).as("minute 11 of small and of a, b, c; minute 10 is not scored twice").isEqualTo(4);
    }

    @Test
    void aNewSeriesTakesItsRoomFromTheWatchOverItsShareNotFromTheLeastRecentlyUsedOfAnother() {
        var other = Watch.anomaly("other", "o", STEP);
        var small = Watch.anomaly("small", "s", STEP);
        var big = Watch.anomaly("big", "q", STEP);
        // six series for three watches: an equal share is two; big takes the four the others leave
        var watcher = new MetricWatcher(metrics, ABOVE_150, new MetricWatcher.Settings(Duration.ofHours(6), 6, 240, 60, 5, 360, 10));
        for (int i = 0; i <= 11; i++) {
            sample("o", Map.of("pod", "o1"), i, 100);
            sample("s", Map.of("pod", "x"), i, i == 11 ? 200 : 100); // small's series fires at minute 11
            for (String pod : List.of("a", "b", "c", "d")) {
                sample("q", Map.of("pod", pod), i, 100);
            }
        }
        assertThat(watcher.tick(List.of(other, small, big), minute(10)).trackedSeries()).isEqualTo(6);
        assertThat(watcher.tick(List.of(other, small, big), minute(11)).events()).singleElement()
                .satisfies(e -> assertThat(e.watch().name()).isEqualTo("small"));

        // other gains a series: small's, the least recently used, must not go (with its open episode); big gives way
        sample("o", Map.of("pod", "o1"), 12, 100);
        sample("o", Map.of("pod", "o2"), 12, 100);
        sample("s", Map.of("pod", "x"), 12, 200);
        for (String pod : List.of("a", "b", "c", "d")) {
            sample("q", Map.of("pod", pod), 12, 100);
        }
        var next = watcher.tick(List.of(other, small, big), minute(12));

        assertThat(next.events()).noneSatisfy(e -> assertThat(e.watch().name()).isEqualTo("small"));
        assertThat(next.evicted()).isOne();
        assertThat(next.trackedSeries()).isEqualTo(6);
        assertThat(next.warnings()).containsExactly("big: 3 of its series watched, the most one watch may track now "
                + "(max-series, shared among the watches); narrow its query");
    }

    @Test
    void aLeakRaisesAnExhaustionEventWithItsEtaAndResolvesWhenTheTrendReverses() {
        var watch = new Watch("api-memory", "memory", STEP, Watch.Kind.EXHAUSTION, Severity.HIGH, 0.5, 1000.0, null,
                Duration.ofHours(1), Map.of("team", "shop"));
        var watcher = watcher(ABOVE_150);
        // 5 MB a minute from 500 MB: the 1000 MB limit is 100 minutes away at first, under an hour from minute 40
        for (int i = 0; i <= 30; i++) {
            sample("memory", POD, i, 500 + 5 * i);
        }
        assertThat(watcher.tick(List.of(watch), minute(30)).events()).as("about 70 minutes left").isEmpty();
        for (int i = 31; i <= 45; i++) {
            sample("memory", POD, i, 500 + 5 * i);
        }

        List<WatchEvent> events = watcher.tick(List.of(watch), minute(45)).events();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.FIRING);
            assertThat(e.limit()).isEqualTo(1000.0);
            assertThat(e.forecast().expected()).isBetween(Duration.ofMinutes(50), Duration.ofMinutes(60));
            assertThat(e.forecast().earliest()).isLessThanOrEqualTo(e.forecast().expected());
            assertThat(e.forecast().latest()).isGreaterThanOrEqualTo(e.forecast().expected());
            assertThat(e.toAlert().title()).startsWith("api-memory reaches its limit in about 5");
            assertThat(e.toAlert().labels()).containsEntry("team", "shop").containsEntry("detector", "exhaustion");
        });

        // the leak is fixed: memory drops and stays flat
        for (int i = 46; i <= 70; i++) {
            sample("memory", POD, i, 300);
        }
        List<WatchEvent> fixed = watcher.tick(List.of(watch), minute(70)).events();

        assertThat(fixed).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.fingerprint()).isEqualTo(events.getFirst().fingerprint());
        });
    }

    @Test
    void aLeakThatGoesOnIsSaidAgainAsItsLimitNearsAndOneSeverityHigherWithinAQuarterOfTheHorizon() {
        var watch = new Watch("api-memory", "memory", STEP, Watch.Kind.EXHAUSTION, Severity.HIGH, 0.5, 1000.0, null,
                Duration.ofHours(1), Map.of());
        var watcher = watcher(ABOVE_150);
        List<WatchEvent> said = new java.util.ArrayList<>();
        for (int i = 0; i <= 120; i++) {
            sample("memory", POD, i, Math.min(1000, 500 + 5 * i)); // full at minute 100, and stays full
            if (i >= 30 && i % 5 == 0) {
                said.addAll(watcher.tick(List.of(watch), minute(i)).events());
            }
        }
        assertThat(said).hasSizeBetween(3, 6).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.FIRING);
            assertThat(e.fingerprint()).isEqualTo(said.getFirst().fingerprint()); // one incident
            boolean near = e.forecast().expected().compareTo(Duration.ofMinutes(15)) <= 0;
            assertThat(e.severity()).isEqualTo(near ? Severity.CRITICAL : Severity.HIGH);
            assertThat(e.toAlert().severity()).isEqualTo(e.severity());
            assertThat(e.toAlert().labels()).containsEntry("severity", e.severity().id());
        });
        assertThat(said.getFirst().forecast().expected()).isBetween(Duration.ofMinutes(50), Duration.ofMinutes(60));
        for (int i = 1; i < said.size(); i++) {
            Duration before = said.get(i - 1).forecast().expected();
            // under half of what was said before, or the first one within a quarter of the horizon
            assertThat(said.get(i).forecast().expected()).as("event %d", i).isLessThan(
                    said.get(i).severity() != said.get(i - 1).severity() ? before : before.dividedBy(2));
        }
        assertThat(said.getLast().toAlert().title()).isEqualTo("api-memory is at its limit (namespace=shop, pod=api-1)");
        assertThat(said).extracting(WatchEvent::severity).contains(Severity.HIGH, Severity.CRITICAL);
    }

    @Test
    void comingWithinAQuarterOfTheHorizonIsSaidAtOnceNotAtTheNextHalving() {
        var watch = Watch.exhaustion("disk", "disk_used", STEP, 1000, Duration.ofHours(4)); // high; critical within 1 h
        var watcher = watcher(ABOVE_150);
        List<WatchEvent> said = new java.util.ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            sample("disk_used", POD, i, 800 + 2 * i); // 90 minutes left at minute 10, an hour at minute 40
            if (i >= 10 && i % 5 == 0) {
                said.addAll(watcher.tick(List.of(watch), minute(i)).events());
            }
        }
        assertThat(said.getFirst().severity()).isEqualTo(Severity.HIGH);
        assertThat(said.getFirst().forecast().expected()).isBetween(Duration.ofMinutes(85), Duration.ofMinutes(95));
        // the next halving would say it only under 45 minutes: the page would come a quarter of an hour late
        assertThat(said).filteredOn(e -> e.severity() == Severity.CRITICAL).first()
                .satisfies(e -> assertThat(e.forecast().expected()).isGreaterThanOrEqualTo(Duration.ofMinutes(50)));
    }

    @Test
    void aSeriesAlreadyPastItsLimitIsAtItsLimit() {
        var watch = Watch.exhaustion("pool", "connections", STEP, 100, Duration.ofHours(1));
        var watcher = watcher(ABOVE_150);
        for (int i = 0; i <= 20; i++) {
            sample("connections", POD, i, 80 + 2 * i);
        }

        assertThat(watcher.tick(List.of(watch), minute(20)).events()).singleElement().satisfies(e -> {
            assertThat(e.forecast().expected()).isZero();
            assertThat(e.toAlert().title()).isEqualTo("pool is at its limit (namespace=shop, pod=api-1)");
        });
    }

    @Test
    void aDiskThatFillsAndStaysFullIsNotResolvedWhileFull() {
        var watch = Watch.exhaustion("disk", "disk_used", STEP, 100, Duration.ofHours(1));
        var watcher = watcher(ABOVE_150);
        for (int i = 0; i <= 30; i++) {
            sample("disk_used", POD, i, 70 + i);
        }
        assertThat(watcher.tick(List.of(watch), minute(30)).events()).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.FIRING));
        // full from minute 30 on: usage is flat because it cannot grow, not because the trend reversed
        for (int i = 31; i <= 300; i++) {
            metrics.add("disk_used", POD, minute(i), 100);
        }
        // said once more, now that it is full (minutes before, it was about to be), and then not again
        assertThat(watcher.tick(List.of(watch), minute(60)).events()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.FIRING);
            assertThat(e.toAlert().title()).startsWith("disk is at its limit");
        });
        for (int m = 90; m <= 300; m += 30) {
            assertThat(watcher.tick(List.of(watch), minute(m)).events()).as("minute %d", m).isEmpty();
        }
        // full, jittering a hair below and above its size: still full, not resolved and raised again at each jitter
        for (int i = 301; i <= 360; i++) {
            metrics.add("disk_used", POD, minute(i), (i / 2) % 2 == 0 ? 99.99 : 100.01);
            assertThat(watcher.tick(List.of(watch), minute(i)).events()).as("minute %d", i).isEmpty();
        }
        // space freed: the trend falls, and the warning ends
        for (int i = 361; i <= 380; i++) {
            sample("disk_used", POD, i, 60);
        }
        assertThat(watcher.tick(List.of(watch), minute(380)).events()).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.RESOLVED));
    }

    @Test
    void theLimitCanComeFromAQueryMatchedOnLabels() {
        var watch = DISK_AGAINST_SIZE;
        var watcher = watcher(ABOVE_150);
        var small = Map.of("__name__", "used", "device", "sda");
        var large = Map.of("__name__", "used", "device", "sdb");
        var unbounded = Map.of("__name__", "used", "device", "sdc");
        metrics.add("size", Map.of("__name__", "size", "device", "sda"), minute(0), 400);
        metrics.add("size", Map.of("__name__", "size", "device", "sdb"), minute(0), 100_000);
        metrics.add("size", Map.of("__name__", "size", "device", "sdc"), minute(0), 0); // cAdvisor's "no limit"
        for (int i = 0; i <= 20; i++) {
            sample("used", small, i, 100 + 10 * i);
            sample("used", large, i, 100 + 10 * i);
            sample("used", unbounded, i, 100 + 10 * i);
        }

        var result = watcher.tick(List.of(watch), minute(20));

        // sda: at 300 of 400 rising 10/min, 10 minutes left; sdb is days away; sdc has no limit, not one of 0
        assertThat(result.events()).singleElement().satisfies(e -> {
            assertThat(e.series()).containsEntry("device", "sda");
            assertThat(e.limit()).isEqualTo(400.0);
        });
        assertThat(result.warnings()).as("every series had its limit, sdc's being none").isEmpty();
    }

    @Test
    void aLimitIsMatchedOnTheLabelsItHasAndNeverOnAnotherSeriesLabels() {
        var watch = DISK_AGAINST_SIZE;
        var watcher = watcher(ABOVE_150);
        // sizes summed by instance: each mountpoint of an instance runs out of that instance's space
        metrics.add("size", Map.of("instance", "a"), minute(0), 400);
        metrics.add("size", Map.of("instance", "b"), minute(0), 100_000);
        var root = Map.of("__name__", "used", "instance", "a", "mountpoint", "/");
        var var = Map.of("__name__", "used", "instance", "a", "mountpoint", "/var");
        var other = Map.of("__name__", "used", "instance", "b", "mountpoint", "/");
        var unknown = Map.of("__name__", "used", "instance", "c", "mountpoint", "/");
        for (int i = 0; i <= 20; i++) {
            for (var labels : List.of(root, var, other, unknown)) {
                sample("used", labels, i, 100 + 10 * i);
            }
        }

        var result = watcher.tick(List.of(watch), minute(20));

        assertThat(result.events()).extracting(e -> e.series().get("mountpoint") + "@" + e.series().get("instance"))
                .containsExactlyInAnyOrder("/@a", "/var@a");
        assertThat(result.events()).allSatisfy(e -> assertThat(e.limit()).isEqualTo(400.0));
        assertThat(result.warnings()).singleElement().asString().contains("1 of its series have no limit");
    }

    @Test
    void theOnlyLimitOfAnotherDiskIsNotThisDisksLimit() {
        var watch = DISK_AGAINST_SIZE;
        var watcher = watcher(ABOVE_150);
        metrics.add("size", Map.of("__name__", "size", "device", "sda"), minute(0), 400);
        for (int i = 0; i <= 20; i++) {
            sample("used", Map.of("__name__", "used", "device", "sdb"), i, 100 + 10 * i);
        }
        var result = watcher.tick(List.of(watch), minute(20));
        assertThat(result.events()).isEmpty();
        assertThat(result.warnings()).singleElement().asString().contains("1 of its series have no limit");
    }

    @Test
    void anExhaustionWhoseLimitGoesIsResolvedSayingWhy() {
        var watch = new Watch("memory", "used", STEP, Watch.Kind.EXHAUSTION, Severity.HIGH, 0.5, null, "size",
                Duration.ofHours(1), Map.of());
        var watcher = watcher(ABOVE_150);
        var pod = Map.of("__name__", "used", "pod", "api-1");
        metrics.add("size", Map.of("pod", "api-1"), minute(0), 400);
        for (int i = 0; i <= 20; i++) {
            sample("used", pod, i, 100 + 10 * i);
        }
        assertThat(watcher.tick(List.of(watch), minute(20)).events()).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.FIRING));
        // the limit is lifted (cAdvisor then says 0): there is nothing left to run out of
        metrics.add("size", Map.of("pod", "api-1"), minute(21), 0);
        sample("used", pod, 21, 310);

        assertThat(watcher.tick(List.of(watch), minute(21)).events()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.RESOLVED);
            assertThat(e.toAlert().summary()).contains("no longer gives it a limit");
        });
        sample("used", pod, 22, 320);
        assertThat(watcher.tick(List.of(watch), minute(22)).events()).isEmpty();
    }

    @Test
    void aLimitQueryWhoseSeriesCarryOtherLabelsIsSaidNotSilent() {
        var watch = DISK_AGAINST_SIZE;
        var watcher = watcher(ABOVE_150);
        metrics.add("size", Map.of("__name__", "size", "device", "sda", "fstype", "xfs"), minute(0), 400);
        metrics.add("size", Map.of("__name__", "size", "device", "sdb", "fstype", "xfs"), minute(0), 400);
        for (int i = 0; i <= 20; i++) {
            sample("used", Map.of("mountpoint", "/"), i, 100 + 10 * i); // summed by mountpoint: other labels
        }
        var result = watcher.tick(List.of(watch), minute(20));
        assertThat(result.events()).isEmpty();
        assertThat(result.warnings()).singleElement().asString().startsWith("disk: 1 of its series have no limit, so "
                + "are not forecast: limit-query gave none with their labels (such as {mountpoint=/}; it gave {device=");
    }

    @Test
    void anEventBecomesAnAlertWithStableFingerprintLabelsResourceAndEscapedEvidence() {
        var labels = Map.of("__name__", "http_latency", "namespace", "shop", "pod", "api-1", "path", "\"/x</script><b>");
        var watch = new Watch("api-latency", "histogram_quantile(0.99, sum by (le) (rate(x[5m])))", STEP, Watch.Kind.ANOMALY,
                Severity.HIGH, 0.5, null, null, null, Map.of("team", "shop"));
        var event = new WatchEvent(watch, EventStatus.FIRING, labels, minute(5), 312.5, 95, 105, 0.97, null, Double.NaN,
                List.of(new MetricSeries.Point(minute(4).toEpochMilli(), 100), new MetricSeries.Point(minute(5).toEpochMilli(), 312.5)));

        NormalizedAlert alert = event.toAlert();

        assertThat(alert.fingerprint()).startsWith("onloop-anomaly:").hasSize("onloop-anomaly:".length() + 32)
                .isEqualTo(new WatchEvent(watch, EventStatus.RESOLVED, Map.copyOf(labels), minute(9), 100, 95, 105, 0, null,
                        Double.NaN, List.of()).toAlert().fingerprint());
        assertThat(alert.fingerprint()).isNotEqualTo(event.toAlert().fingerprint().replace('a', 'b'))
                .isNotEqualTo(new WatchEvent(watch, EventStatus.FIRING, Map.of("pod", "api-2"), minute(5), 1, 0, 0, 1, null,
                        Double.NaN, List.of()).fingerprint());
        assertThat(alert.labels()).containsEntry("alertname", "api-latency").containsEntry("watch", "api-latency")
                .containsEntry("detector", "anomaly").containsEntry("metric", "http_latency").containsEntry("pod", "api-1")
                .containsEntry("team", "shop").containsEntry("severity", "high").doesNotContainKey("__name__");
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.resource().id()).isEqualTo("shop/Pod/api-1");
        assertThat(alert.occurredAt()).isEqualTo(minute(5));
        assertThat(alert.summary()).isEqualTo("Observed 312.5, expected 95.00 to 105.0 (anomaly score 0.970).");
        // the detectors weigh the shape of the latest points too: an alarm with no point outside the band says so
        assertThat(new WatchEvent(watch, EventStatus.FIRING, Map.copyOf(labels), minute(5), 101, 95, 105, 0.8, null,
                Double.NaN, List.of()).toAlert().summary()).isEqualTo("Observed 101.0, within its expected band (95.00 to"
                + " 105.0), but the pattern of its latest points is unlike its history (anomaly score 0.800).");
        assertThat(alert.rawPayload())
                .contains("\"observed\":312.5", "\"expected\":{\"low\":95.0,\"high\":105.0}", "\"score\":0.97")
                .contains("\"chart\":[[" + minute(4).toEpochMilli() + ",100.0],[" + minute(5).toEpochMilli() + ",312.5]]")
                .contains("\"path\":\"\\\"/x\\u003c/script\\u003e\\u003cb\\u003e\"")
                .doesNotContain("</script>");
    }

    @Test
    void theNoveltyDetectorCatchesALevelShiftAfterLearningFromHistory() {
        levelShiftAfterHistory(NoveltyDetector::new);
    }

    @Test
    void theDefaultEnsembleDetectorCatchesALevelShiftAfterLearningFromHistory() {
        levelShiftAfterHistory(EnsembleDetector::new);
    }

    /** A hiccup near the end of the history (e.g. where Prometheus filled a scrape gap) must not make the detector rest through the first live problem. */
    @Test
    void anAlarmInTheHistoryDoesNotSilenceTheNoveltyDetectorLive() {
        var watch = Watch.anomaly("queue-depth", "depth", STEP);
        var watcher = watcher(NoveltyDetector::new);
        for (int i = 0; i <= 300; i++) {
            sample("depth", POD, i, i == 295 ? 250 : 100);
        }
        assertThat(watcher.tick(List.of(watch), minute(300)).events()).as("the first range only learns").isEmpty();
        for (int i = 301; i <= 310; i++) {
            sample("depth", POD, i, i <= 303 ? 100 : 400);
        }

        List<WatchEvent> events = watcher.tick(List.of(watch), minute(310)).events();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.FIRING);
            assertThat(e.observed()).isGreaterThan(390);
        });
    }

    /** 85 minutes after the first (a fixed 300-point rest was five hours deaf at a one-minute step). */
    @Test
    void aSecondProblemOnceTheFirstHasSettledIsAnotherEvent() {
        var watch = Watch.anomaly("queue-depth", "depth", STEP);
        var watcher = watcher(NoveltyDetector::new);
        for (int i = 0; i <= 300; i++) {
            sample("depth", POD, i, 100);
        }
        watcher.tick(List.of(watch), minute(300));
        for (int i = 301; i <= 320; i++) {
            sample("depth", POD, i, i >= 306 && i <= 308 ? 400 : 100);
        }
        assertThat(watcher.tick(List.of(watch), minute(320)).events()).extracting(WatchEvent::status)
                .containsExactly(EventStatus.FIRING, EventStatus.RESOLVED);
        for (int i = 321; i <= 400; i++) {
            sample("depth", POD, i, i >= 391 ? 20 : 100);
        }

        List<WatchEvent> events = watcher.tick(List.of(watch), minute(400)).events();

        assertThat(events).first().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.FIRING);
            assertThat(e.observed()).isLessThan(25);
        });
    }

    void levelShiftAfterHistory(Supplier<AnomalyDetector> detector) {
        var watch = Watch.anomaly("queue-depth", "depth", STEP);
        var watcher = watcher(detector);
        for (int i = 0; i <= 300; i++) {
            sample("depth", POD, i, 100);
        }
        assertThat(watcher.tick(List.of(watch), minute(300)).events()).isEmpty();
        for (int i = 301; i <= 305; i++) {
            sample("depth", POD, i, 100);
        }
        assertThat(watcher.tick(List.of(watch), minute(305)).events()).as("still normal").isEmpty();
        for (int i = 306; i <= 310; i++) {
            sample("depth", POD, i, 400);
        }

        List<WatchEvent> events = watcher.tick(List.of(watch), minute(310)).events();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(EventStatus.FIRING);
            assertThat(e.observed()).isGreaterThan(390);
            assertThat(e.score()).isGreaterThanOrEqualTo(Watch.DEFAULT_THRESHOLD);
        });
    }
}
