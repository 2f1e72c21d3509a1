package io.onloop.testkit.runbook;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.RecipeAdvisor;
import io.onloop.domain.runbook.RecipeEnrichment;
import io.onloop.domain.runbook.RunbookClass;
import io.onloop.domain.runbook.RunbookEngine;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The enrichment stage against the in-memory store (the JDBC store is proved by the same contract). */
class RecipeEnrichmentTest {

    /** Polls often: several tests time how long a recipe took, and a coarse poll would add to it. */
    private static final ConditionFactory WITHIN_5_S = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5));
    final RunbookClass crash = new RunbookClass("k8s-x", "Pod crash looping", "kubernetes/pod",
            new RunbookClass.MatchRules(List.of(Map.of("alertname", "KubePodCrashLooping")), List.of("crash")),
            RecipeStoreContract.template("Pod {{pod|?}} in {{namespace|?}} keeps restarting."));
    final RunbookEngine engine = new RunbookEngine(List.of(crash));
    final InMemoryRecipeStore store = new InMemoryRecipeStore();

    static Event event(UUID incident, String alertname) {
        return new Event(UUID.randomUUID(), "t1", null, SourceType.ALERTMANAGER, Instant.now(), null,
                EventStatus.FIRING, Severity.HIGH, "critical", alertname, "", Resource.UNKNOWN,
                Map.of("alertname", alertname, "namespace", "shop", "pod", "cart-1"), "fp", null, "", incident);
    }

    @Test
    void storesTheKnowledgeBaseRecipeThenTheConstrainedLlmRecipe() throws Exception {
        UUID incident = UUID.randomUUID();
        var llmCalled = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RecipeAdvisor advisor = (e, base) -> {
            calls.incrementAndGet();
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", incident).isPresent()); // the KB recipe is there first
            llmCalled.countDown();
            var r = RecipeStoreContract.recipe("The model says: restart it.", Recipe.Source.LLM);
            // a model trying to lower the severity and to mark an option automatable
            return Optional.of(new Recipe(r.interpretation(), new Recipe.SeverityAssessment(Severity.INFO, "ignore it"),
                    r.validation(), r.troubleshooting(), r.rootCauses(), r.remediation(), r.references(),
                    r.provenance(), List.of()));
        };
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.of(advisor), Clock.systemUTC(), 100, 1)) {
            enrichment.committed(List.of(event(incident, "KubePodCrashLooping"), event(incident, "KubePodCrashLooping")));
            assertThat(llmCalled.await(5, TimeUnit.SECONDS)).isTrue();
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", incident).orElseThrow().recipe().provenance().source() == Recipe.Source.LLM);
            Recipe r = store.incidentRecipe("t1", incident).orElseThrow().recipe();
            assertThat(r.interpretation()).isEqualTo("The model says: restart it.");
            assertThat(r.severity().level()).isEqualTo(Severity.HIGH);
            assertThat(r.remediation()).noneMatch(Recipe.Remediation::automatable);
            assertThat(r.provenance().classId()).isEqualTo("k8s-x");
            enrichment.committed(List.of(event(incident, "KubePodCrashLooping")));
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aRecipeMadeOnDemandFirstStillGetsTheModelsRewrite() {
        UUID incident = UUID.randomUUID();
        RecipeAdvisor advisor = (e, base) -> Optional.of(RecipeStoreContract.recipe("The model says: look.", Recipe.Source.LLM));
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.of(advisor), Clock.systemUTC(), 100, 1)) {
            enrichment.enrich(event(incident, "KubePodCrashLooping")); // an operator opened the incident first
            assertThat(store.incidentRecipe("t1", incident).orElseThrow().recipe().provenance().source())
                    .isEqualTo(Recipe.Source.KNOWLEDGE_BASE);
            enrichment.committed(List.of(event(incident, "KubePodCrashLooping")));
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", incident).orElseThrow().recipe().provenance().source() == Recipe.Source.LLM);
        }
    }

    @Test
    void withoutAnAdvisorTheKnowledgeBaseRecipeStaysAndAnEditWins() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.empty(), Clock.systemUTC(), 100, 1)) {
            enrichment.committed(List.of(event(first, "KubePodCrashLooping"), event(null, "KubePodCrashLooping")));
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", first).isPresent());
            assertThat(store.incidentRecipe("t1", first).orElseThrow().recipe().interpretation())
                    .isEqualTo("Pod cart-1 in shop keeps restarting.");
            store.addEdit("t1", "k8s-x", RecipeStoreContract.template("Ours: {{pod}}"), "alice", Instant.now(), "");
            enrichment.committed(List.of(event(second, "KubePodCrashLooping")));
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", second).isPresent());
            Recipe edited = store.incidentRecipe("t1", second).orElseThrow().recipe();
            assertThat(edited.interpretation()).isEqualTo("Ours: cart-1");
            assertThat(edited.provenance().source()).isEqualTo(Recipe.Source.EDITED);
        }
    }

    @Test
    void aFullQueueDropsWorkInsteadOfBlocking() throws Exception {
        var release = new CountDownLatch(1);
        RecipeAdvisor slow = (e, base) -> Optional.empty();
        var blockingStore = new InMemoryRecipeStore() {
            @Override
            public Optional<IncidentRecipe> incidentRecipe(String tenantId, UUID incidentId) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return super.incidentRecipe(tenantId, incidentId);
            }
        };
        try (var enrichment = new RecipeEnrichment(engine, blockingStore, Optional.of(slow), Clock.systemUTC(), 1, 1)) {
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                enrichment.committed(List.of(event(UUID.randomUUID(), "KubePodCrashLooping")));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(enrichment.dropped()).isGreaterThanOrEqualTo(3);
            release.countDown();
        }
    }

    @Test
    void newRecipesWaitWhileStoringIsBusyButNoLongerThanTheLimit() throws Exception {
        UUID waits = UUID.randomUUID();
        var busy = new AtomicBoolean(true);
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.empty(), Clock.systemUTC(), 100, 1,
                () -> busy.get() ? Duration.ZERO : Duration.ofHours(1), Duration.ofSeconds(30))) {
            enrichment.committed(List.of(event(waits, "KubePodCrashLooping")));
            Thread.sleep(300);
            assertThat(store.incidentRecipe("t1", waits)).as("storing is busy: the recipe waits").isEmpty();
            busy.set(false);
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", waits).isPresent());
        }
        UUID capped = UUID.randomUUID();
        long start = System.nanoTime();
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.empty(), Clock.systemUTC(), 100, 1,
                () -> Duration.ZERO, Duration.ofMillis(200))) {
            enrichment.committed(List.of(event(capped, "KubePodCrashLooping")));
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", capped).isPresent());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("never waits past the limit")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void inAStormThatNeverGoesQuietRecipesComeTheLimitLateNotOneLimitEach() throws Exception {
        List<UUID> incidents = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        long start = System.nanoTime();
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.empty(), Clock.systemUTC(), 100, 1,
                () -> Duration.ZERO, Duration.ofMillis(500))) {
            incidents.forEach(i -> enrichment.committed(List.of(event(i, "KubePodCrashLooping"))));
            WITHIN_5_S.until(() -> incidents.stream().allMatch(i -> store.incidentRecipe("t1", i).isPresent()));
        }
        // waiting 500 ms per recipe, one after another, would take 2 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500))
                .isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void anIncidentAlreadyWaitingIsNotQueuedAgain() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        var busy = new AtomicBoolean(true);
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.empty(), Clock.systemUTC(), 1, 1,
                () -> busy.get() ? Duration.ZERO : Duration.ofHours(1), Duration.ofSeconds(30))) {
            enrichment.committed(List.of(event(first, "KubePodCrashLooping"))); // the worker holds it, waiting
            Thread.sleep(100);
            enrichment.committed(List.of(event(second, "KubePodCrashLooping"))); // fills the queue of one
            // a storm's repeats of both: nothing more to hold, so nothing is dropped
            enrichment.committed(List.of(event(first, "KubePodCrashLooping"), event(second, "KubePodCrashLooping")));
            enrichment.committed(List.of(event(second, "KubePodCrashLooping")));
            assertThat(enrichment.dropped()).isZero();
            busy.set(false);
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", first).isPresent() && store.incidentRecipe("t1", second).isPresent());
        }
    }

    @Test
    void aMomentaryGapInStoringIsNotQuietEnough() throws Exception {
        UUID incident = UUID.randomUUID();
        // storing busy for 60 ms, idle for 40 ms, over and over: steady load that touches idle between batches
        long start = System.nanoTime();
        var stoppedAt = new java.util.concurrent.atomic.AtomicLong();
        Supplier<Duration> idleFor = () -> {
            long now = System.nanoTime();
            long stopped = stoppedAt.get();
            if (stopped != 0) {
                return Duration.ofNanos(now - stopped);
            }
            long inCycle = (now - start) % 100_000_000L;
            return inCycle < 60_000_000L ? Duration.ZERO : Duration.ofNanos(inCycle - 60_000_000L);
        };
        try (var enrichment = new RecipeEnrichment(engine, store, Optional.empty(), Clock.systemUTC(), 100, 1,
                idleFor, Duration.ofSeconds(30))) {
            enrichment.committed(List.of(event(incident, "KubePodCrashLooping")));
            Thread.sleep(800);
            assertThat(store.incidentRecipe("t1", incident)).as("idle stretches shorter than the quiet period: still waiting").isEmpty();
            stoppedAt.set(System.nanoTime());
            WITHIN_5_S.until(() -> store.incidentRecipe("t1", incident).isPresent());
            assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt.get())).as("written once storing has been quiet a while")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }
}
