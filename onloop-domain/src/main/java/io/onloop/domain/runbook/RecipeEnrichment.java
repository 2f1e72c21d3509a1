package io.onloop.domain.runbook;

import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.CommittedEventsListener;
import io.onloop.domain.ingest.StoringQuiet;
import io.onloop.domain.runbook.Recipe.Remediation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The enrichment stage: hears committed events and gives each new incident its recipe, off the
 * ingest writer's thread. The knowledge-base (or edited, or generic) recipe is stored at once; when
 * an advisor (LLM) is configured, its answer replaces it later, constrained so it can neither change
 * the severity nor claim an option is automatable. A full queue drops work (counted), never blocks
 * ingestion; an incident without a stored recipe is enriched on demand when someone asks for it.
 */
public final class RecipeEnrichment implements CommittedEventsListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RecipeEnrichment.class.getName());
    /** Incidents enriched recently: repeats of a storm need no store lookup. */
    private static final int REMEMBERED = 10_000;

    private final RunbookEngine engine;
    private final RecipeStore store;
    private final Optional<RecipeAdvisor> advisor;
    private final Clock clock;
    private final ExecutorService kbWorker;
    private final ExecutorService llmWorker;
    private final Map<String, Boolean> enriched = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            });
    /** Incidents with an event waiting in the queue. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Supplier<Duration> storingIdleFor;
    private final Duration maxYield;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public RecipeEnrichment(RunbookEngine engine, RecipeStore store, Optional<RecipeAdvisor> advisor, Clock clock,
                            int queueCapacity, int llmThreads) {
        this(engine, store, advisor, clock, queueCapacity, llmThreads, () -> ChronoUnit.FOREVER.getDuration(), Duration.ZERO);
    }

    /**
     * @param storingIdleFor how long storing has had nothing to do (zero while accepted events wait to be
     *                       stored); new recipes wait for {@link StoringQuiet#QUIET_PERIOD} of it, at most until
     *                       {@code maxYield} after they were queued: on a small machine storing what was
     *                       accepted comes first, and an incident opened meanwhile gets its recipe on demand
     */
    public RecipeEnrichment(RunbookEngine engine, RecipeStore store, Optional<RecipeAdvisor> advisor, Clock clock,
                            int queueCapacity, int llmThreads, Supplier<Duration> storingIdleFor, Duration maxYield) {
        this.storingIdleFor = storingIdleFor;
        this.maxYield = maxYield;
        this.engine = engine;
        this.store = store;
        this.advisor = advisor;
        this.clock = clock;
        this.kbWorker = worker("onloop-enrich", 1, queueCapacity);
        this.llmWorker = advisor.isPresent() ? worker("onloop-enrich-llm", llmThreads, queueCapacity) : null;
    }

    private static ExecutorService worker(String name, int threads, int capacity) {
        AtomicLong n = new AtomicLong();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void committed(List<Event> events) {
        // one event per incident waits: the first (the rest of a storm's repeats would only be held in memory)
        List<Event> fresh = new ArrayList<>();
        for (Event e : events) {
            if (e.incidentId() != null) {
                String key = key(e.tenantId(), e.incidentId());
                if (!enriched.containsKey(key) && queued.add(key)) {
                    fresh.add(e);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        long queuedAt = System.nanoTime();
        try {
            kbWorker.execute(() -> enrichQuietly(fresh, queuedAt));
        } catch (RejectedExecutionException e) {
            fresh.forEach(f -> queued.remove(key(f.tenantId(), f.incidentId())));
            dropped.addAndGet(fresh.size()); // the recipe is made on demand when someone opens the incident
        }
    }

    /** A batch's new incidents: their recipes are made, then stored together (one transaction). */
    private void enrichQuietly(List<Event> fresh, long queuedAt) {
        try {
            yieldToStoring(queuedAt);
            Instant now = clock.instant();
            List<RecipeStore.IncidentRecipe> made = new ArrayList<>();
            List<Map.Entry<Event, Recipe>> bases = new ArrayList<>();
            for (Event e : fresh) {
                try {
                    if (enriched.containsKey(key(e.tenantId(), e.incidentId()))) {
                        continue;
                    }
                    // someone may have opened the incident meanwhile, which made its recipe on demand
                    Optional<Recipe> onDemand = store.incidentRecipe(e.tenantId(), e.incidentId())
                            .map(RecipeStore.IncidentRecipe::recipe);
                    Recipe base = onDemand.orElseGet(() -> recipeFor(e));
                    if (onDemand.isEmpty()) {
                        made.add(new RecipeStore.IncidentRecipe(e.tenantId(), e.incidentId(), base, now));
                    }
                    bases.add(Map.entry(e, base));
                } catch (RuntimeException ex) {
                    failed.incrementAndGet();
                    LOG.log(Level.WARNING, "enrichment failed for incident " + e.incidentId(), ex);
                }
            }
            try {
                store.addIncidentRecipes(made);
            } catch (RuntimeException ex) {
                failed.addAndGet(made.size());
                LOG.log(Level.WARNING, "storing " + made.size() + " recipes failed", ex);
                return;
            }
            for (var b : bases) {
                Event e = b.getKey();
                Recipe base = b.getValue();
                enriched.put(key(e.tenantId(), e.incidentId()), true);
                Recipe.Source source = base.provenance().source();
                if (llmWorker != null && (source == Recipe.Source.KNOWLEDGE_BASE || source == Recipe.Source.GENERIC)) {
                    try {
                        llmWorker.execute(() -> advise(e, base));
                    } catch (RejectedExecutionException full) {
                        dropped.incrementAndGet();
                    }
                }
            }
        } finally {
            fresh.forEach(e -> queued.remove(key(e.tenantId(), e.incidentId())));
        }
    }

    /**
     * Waits for storing to be quiet ({@link StoringQuiet}), at most until {@code maxYield} after the work was
     * queued. Counted from the queueing, not per recipe: in a storm that never goes quiet, recipes come
     * {@code maxYield} late rather than one per {@code maxYield}.
     */
    private void yieldToStoring(long queuedAt) {
        StoringQuiet.await(storingIdleFor, queuedAt + maxYield.toNanos());
    }

    /** Makes and stores the knowledge-base (or edited, or generic) recipe of the event's incident. */
    public Recipe enrich(Event e) {
        Recipe recipe = recipeFor(e);
        store.putIncidentRecipe(e.tenantId(), e.incidentId(), recipe, clock.instant());
        return recipe;
    }

    /** The recipe for an event now, without storing it: the tenant's edit wins over the knowledge base. */
    public Recipe recipeFor(Event e) {
        return engine.recipeFor(e, (tenant, classId) -> store.currentEdit(tenant, classId)
                .flatMap(RecipeStore.RecipeEdit::effective));
    }

    private void advise(Event e, Recipe base) {
        try {
            advisor.orElseThrow().advise(e, base).ifPresent(answer ->
                    store.putIncidentRecipe(e.tenantId(), e.incidentId(), constrain(answer, base), clock.instant()));
        } catch (RuntimeException ex) {
            failed.incrementAndGet();
            LOG.log(Level.WARNING, "LLM enrichment failed for incident " + e.incidentId() + "; keeping the "
                    + base.provenance().source().id() + " recipe", ex);
        }
    }

    /**
     * What a model may not decide: the severity stays the base recipe's, no option is automatable
     * on its word, the class and the base's warnings stay, and the safety pass runs again.
     */
    static Recipe constrain(Recipe answer, Recipe base) {
        List<Remediation> options = answer.remediation().stream()
                .map(o -> new Remediation(o.action(), o.command(), o.risk(), o.effect(), o.reversible(), false))
                .toList();
        List<String> warnings = new ArrayList<>(base.warnings());
        answer.warnings().stream().filter(w -> !warnings.contains(w)).forEach(warnings::add);
        var p = base.provenance();
        var provenance = new Recipe.Provenance(Recipe.Source.LLM, p.classId(), p.confidence(), p.matchedBy(),
                (p.why().isEmpty() ? "" : p.why() + "; ") + "written by a language model from the "
                        + p.source().id() + " recipe");
        return RecipeSafety.apply(new Recipe(answer.interpretation(), base.severity(), answer.validation(),
                answer.troubleshooting(), answer.rootCauses(), options, answer.references(), provenance, warnings));
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    private static String key(String tenant, UUID incident) {
        return tenant + '/' + incident;
    }

    /** Finishes queued work (up to the timeout), then stops. */
    @Override
    public void close() {
        for (ExecutorService w : llmWorker == null ? List.of(kbWorker) : List.of(kbWorker, llmWorker)) {
            w.shutdown();
            try {
                if (!w.awaitTermination(10, TimeUnit.SECONDS)) {
                    w.shutdownNow();
                }
            } catch (InterruptedException e) {
                w.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
