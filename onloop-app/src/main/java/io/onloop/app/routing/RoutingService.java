package io.onloop.app.routing;

import io.onloop.adapters.delivery.DeliveryWorker;
import io.onloop.adapters.delivery.InvalidRoutesException;
import io.onloop.adapters.delivery.RoutesYaml;
import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.ingest.CommittedEventsListener;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Transactions;
import io.onloop.domain.routing.Dispatcher;
import io.onloop.domain.routing.DryRun;
import io.onloop.domain.routing.GroupLog;
import io.onloop.domain.routing.Notification;
import io.onloop.domain.routing.Receiver;
import io.onloop.domain.routing.RecipeSummaries;
import io.onloop.domain.routing.RoutingConfig;
import io.onloop.domain.routing.RoutingConfigStore;
import io.onloop.domain.routing.RoutingConfigStore.StoredRouting;
import io.onloop.domain.routing.RoutingLabels;
import io.onloop.domain.routing.Silence;
import io.onloop.domain.routing.SilenceStore;
import io.onloop.domain.store.StoreUnreachableException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The routing stage: hears committed events (on the ingest writer's thread, so it only queues
 * them), and on its own thread puts them into the {@link Dispatcher}'s groups, flushes what is due,
 * and writes each notification's deliveries to the outbox, all of a notification's targets in
 * one transaction. Tenants' route files and silences are cached here and reloaded when changed.
 * <p>
 * Groups live in memory; what each last said is in the {@link GroupLog}, written with its outbox
 * rows, so after a restart a group that forms again continues its thread.
 */
public final class RoutingService implements CommittedEventsListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RoutingService.class.getName());
    private static final Duration SILENCE_REFRESH = Duration.ofSeconds(10);
    private static final int BATCH = 10_000;
    /**
     * With the backoff (0.5 s doubling to 30 s), about three minutes of failures other than an unreachable store
     * (which is waited for, however long): an event or a notification that cannot be routed (a defect) does not hold
     * back all the others forever.
     */
    static final int MAX_ATTEMPTS = 12;

    private final RoutingConfigStore configs;
    private final SilenceStore silenceStore;
    private final DeliveryStore deliveries;
    private final Map<String, NotificationTarget> adapters;
    private final EventStore incidents;
    private final RoutesYaml parser;
    private final RecipeSummaries recipes;
    private final Transactions transactions;
    private final Clock clock;
    private final String fileYaml;
    private final BlockingQueue<Event> queue;
    private final Dispatcher dispatcher;
    private final Map<String, RoutingConfig> configCache = new ConcurrentHashMap<>();
    private final Map<String, CachedSilences> silenceCache = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    /** How long routing waits after a failed step, doubled for each one after; tests shorten it before start(). */
    Duration firstBackoff = Duration.ofMillis(500);
    private final Failures eventFailures = new Failures();
    private final Failures notificationFailures = new Failures();
    private final Supplier<List<Event>> firingAtStart;
    /** Whether the alerts firing at start are in the dispatcher (done first, on the routing thread). */
    private boolean firingTakenUp;
    private volatile boolean running;
    private Thread thread;

    /** {@code readAt}: when they were read from the store; {@code checkedAt}: when that was last tried. */
    private record CachedSilences(List<Silence> silences, Instant readAt, Instant checkedAt) {
    }

    /**
     * @param adapters  the targets by type, to tell which show acknowledgements
     * @param incidents where a first notification's incidents are looked up, to say those already acknowledged
     */
    public RoutingService(RoutingConfigStore configs, SilenceStore silenceStore, DeliveryStore deliveries,
                          Map<String, NotificationTarget> adapters, EventStore incidents,
                          GroupLog groupLog, Supplier<List<Event>> firingAtStart, RoutesYaml parser,
                          RecipeSummaries recipes, Transactions transactions, Clock clock, RoutingProperties props) {
        this.adapters = Map.copyOf(adapters);
        this.incidents = incidents;
        this.firingAtStart = firingAtStart;
        this.configs = configs;
        this.transactions = transactions;
        this.silenceStore = silenceStore;
        this.deliveries = deliveries;
        this.parser = parser;
        this.recipes = recipes;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(props.queueCapacity());
        this.fileYaml = props.file() == null ? null : readFile(props);
        if (fileYaml != null) {
            parser.parse(fileYaml); // a broken file stops startup with its problems, not the first alert
        }
        this.dispatcher = new Dispatcher(t -> new Dispatcher.TenantRules(config(t), silences(t)), groupLog);
    }

    private static String readFile(RoutingProperties props) {
        try {
            return Files.readString(props.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read onloop.routing.file " + props.file(), e);
        }
    }

    @Override
    public void committed(List<Event> events) {
        for (Event e : events) {
            if (!queue.offer(e)) {
                if (dropped.incrementAndGet() % 1000 == 1) {
                    LOG.warning("routing queue full: events are stored but not routed (" + dropped.get() + " so far)");
                }
            }
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("onloop-routing").daemon().start(this::loop);
    }

    private void loop() {
        Deque<Event> unrouted = new ArrayDeque<>(); // taken from the queue, not yet in the dispatcher
        int failedSteps = 0;
        while (running) {
            try {
                if (failedSteps > 0) {
                    Thread.sleep(backoff(failedSteps).toMillis());
                }
                long waitMs = 0;
                if (unrouted.isEmpty()) {
                    Instant now = clock.instant();
                    synchronized (dispatcher) {
                        waitMs = dispatcher.nextFlush().map(t -> Duration.between(now, t).toMillis()).orElse(1000L);
                    }
                }
                Event first = queue.poll(Math.clamp(waitMs, 0, 1000), TimeUnit.MILLISECONDS);
                if (first != null) {
                    unrouted.add(first);
                }
                queue.drainTo(unrouted, Math.max(0, BATCH - unrouted.size()));
                synchronized (dispatcher) {
                    Instant at = clock.instant();
                    if (!firingTakenUp) {
                        takeUpFiring(at);
                    }
                    while (!unrouted.isEmpty()) {
                        dispatcher.accept(unrouted.peekFirst(), at);
                        eventFailures.succeeded(unrouted.removeFirst().id());
                    }
                    dispatcher.flush(at, this::write);
                }
                if (failedSteps > 0) {
                    LOG.info("routing resumed after " + failedSteps + " failed attempts");
                    failedSteps = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Nothing taken is lost: the events not yet routed and the notifications not yet written are tried
                // again after a backoff. Only an event that fails alone, again and again, while the store can be
                // reached, is given up, loudly.
                failedSteps++;
                if (failedSteps == 1) {
                    LOG.log(Level.WARNING, "routing step failed, retrying: " + e.getMessage(), e);
                } else {
                    LOG.warning("routing step failed again (" + failedSteps + " in a row), retrying in "
                            + backoff(failedSteps).toMillis() + " ms: " + e.getMessage());
                }
                // only the first event can have failed: those before it are in the dispatcher
                if (!unrouted.isEmpty() && eventFailures.givesUp(unrouted.peekFirst().id(), e)) {
                    Event skipped = unrouted.removeFirst();
                    LOG.severe("event " + skipped.id() + " of tenant " + skipped.tenantId() + " is not routed: routing it"
                            + " failed " + MAX_ATTEMPTS + " times in a row (" + e.getMessage() + ")");
                }
            }
        }
    }

    /**
     * Groups live in memory: an alert accepted shortly before a restart, whose group had not spoken yet, would never be
     * announced (one-shot senders do not send it again), and a group would forget its other firing alerts. So the
     * first step puts every alert firing in an open incident back into its groups, before any event that came since
     * (those are newer). Groups that spoke continue from their log and say nothing new; those that had not, speak
     * after their group_wait.
     */
    private void takeUpFiring(Instant at) {
        List<Event> firing;
        try {
            firing = firingAtStart.get();
        } catch (RuntimeException e) {
            if (StoreUnreachableException.in(e)) {
                throw e; // waited for, as every step is
            }
            firingTakenUp = true;
            LOG.log(Level.SEVERE, "could not read the alerts firing before this start: groups that had not spoken yet"
                    + " stay silent until their alerts come again", e);
            return;
        }
        for (Event e : firing) {
            dispatcher.accept(e, at); // again after a failed step: the same alert put again changes nothing
        }
        firingTakenUp = true;
        if (!firing.isEmpty()) {
            LOG.info("routing took up " + firing.size() + " alerts firing in open incidents");
        }
    }

    /** {@link #firstBackoff} after the first failed step, doubling up to 30 s. */
    private Duration backoff(int failedSteps) {
        return Duration.ofMillis(Math.min(30_000, firstBackoff.toMillis() << Math.min(failedSteps - 1, 6)));
    }

    /**
     * How many times in a row one item (an event, a notification) failed: the routing thread's count towards giving
     * it up. Others succeeding in between do not clear it; an unreachable store is not counted.
     */
    static final class Failures {
        private Object item; // an event's id, a notification's dedup key
        private int times;

        /** Counts this failure of {@code key}; true once it is the {@link #MAX_ATTEMPTS}th in a row. */
        boolean givesUp(Object key, RuntimeException failure) {
            if (StoreUnreachableException.in(failure)) {
                return false;
            }
            times = key.equals(item) ? times + 1 : 1;
            item = key;
            if (times < MAX_ATTEMPTS) {
                return false;
            }
            item = null;
            return true;
        }

        void succeeded(Object key) {
            if (key.equals(item)) {
                item = null;
            }
        }
    }

    /**
     * {@link #enqueue}, given up (loudly) for a notification that failed {@link #MAX_ATTEMPTS} times in a row while
     * the store could be reached.
     */
    private void write(Notification n) {
        try {
            enqueue(n);
            notificationFailures.succeeded(n.dedupKey());
        } catch (RuntimeException e) {
            if (!notificationFailures.givesUp(n.dedupKey(), e)) {
                throw e;
            }
            LOG.severe("notification " + n.dedupKey() + " of tenant " + n.tenantId() + " to receiver " + n.receiver()
                    + " is not sent: writing it failed " + MAX_ATTEMPTS + " times in a row (" + e.getMessage() + ")");
        }
    }

    /**
     * Writes one notification's deliveries (one per target of its receiver) and its group log entry
     * in one transaction.
     */
    void enqueue(Notification n) {
        Receiver receiver = config(n.tenantId()).receivers().get(n.receiver());
        List<Delivery> rows = List.of();
        if (receiver != null && !receiver.targets().isEmpty()) {
            String runbook = n.incidentIds().stream().findFirst()
                    .flatMap(id -> recipes.summary(n.tenantId(), id)).orElse("");
            rows = DeliveryWorker.deliveriesFor(n.withRunbook(runbook), receiver, clock.instant());
            List<Delivery> acks;
            try {
                acks = AcknowledgementRelay.alreadyAcknowledged(n, rows, receiver, adapters,
                        id -> incidents.findIncident(n.tenantId(), id), clock.instant());
            } catch (RuntimeException e) { // the page goes out even if whether it was acknowledged cannot be read
                LOG.warning("notification " + n.dedupKey() + ": could not read whether its incidents were acknowledged"
                        + " already; sent without it (" + e.getMessage() + ")");
                acks = List.of();
            }
            if (!acks.isEmpty()) {
                rows = new java.util.ArrayList<>(rows);
                rows.addAll(acks);
            }
        }
        deliveries.enqueue(rows, n.logEntry());
    }

    /** The tenant's routing: its saved file, else the configured file, else nowhere. */
    public RoutingConfig config(String tenantId) {
        return configCache.computeIfAbsent(tenantId, t -> {
            String yaml = yaml(t).map(StoredRouting::yaml).orElse(null);
            if (yaml == null) {
                return RoutingConfig.empty();
            }
            try {
                return parser.parse(yaml);
            } catch (InvalidRoutesException e) { // saved files were validated; only a newer check could refuse one
                try {
                    RoutingConfig asSaved = parser.parseSaved(yaml);
                    LOG.severe("the route file of tenant " + t + " has problems this version finds, and routes as it"
                            + " was saved until it is saved again: " + e.getMessage());
                    return asSaved;
                } catch (InvalidRoutesException still) {
                    LOG.severe("the route file of tenant " + t + " is invalid, so its alerts are routed nowhere until"
                            + " it is saved again: " + e.getMessage());
                    return RoutingConfig.empty();
                }
            }
        });
    }

    /** The route file text in force for a tenant: saved through the API, else the configured file. */
    public Optional<StoredRouting> yaml(String tenantId) {
        Optional<StoredRouting> saved = configs.routing(tenantId);
        if (saved.isPresent() || fileYaml == null) {
            return saved;
        }
        return Optional.of(new StoredRouting(fileYaml, null, "file"));
    }

    /** Validates and saves; the next routing step after the commit uses it. */
    public RoutingConfig save(String tenantId, String yaml, String actor) {
        RoutingConfig parsed = parser.parse(yaml);
        configs.saveRouting(tenantId, new StoredRouting(yaml, clock.instant(), actor));
        transactions.afterCommit(() -> configCache.remove(tenantId));
        return parsed;
    }

    public RoutingConfig validate(String yaml) {
        return parser.parse(yaml);
    }

    public List<Silence> silences(String tenantId) {
        Instant now = clock.instant();
        CachedSilences c = silenceCache.get(tenantId);
        if (c == null || c.checkedAt().plus(SILENCE_REFRESH).isBefore(now)) {
            try {
                c = new CachedSilences(silenceStore.silences(tenantId, false, now), now, now);
            } catch (RuntimeException e) {
                if (c == null) {
                    throw e;
                }
                // As stale as the cache is by design, for one more refresh: better than not routing at all.
                LOG.warning("cannot refresh the silences of tenant " + tenantId + ", using those read at "
                        + c.readAt() + ": " + e.getMessage());
                c = new CachedSilences(c.silences(), c.readAt(), now);
            }
            silenceCache.put(tenantId, c);
        }
        return c.silences();
    }

    public void saveSilence(Silence s) {
        silenceStore.saveSilence(s);
        transactions.afterCommit(() -> silenceCache.remove(s.tenantId()));
    }

    public Optional<Silence> findSilence(String tenantId, UUID id) {
        return silenceStore.findSilence(tenantId, id);
    }

    public List<Silence> allSilences(String tenantId) {
        return silenceStore.silences(tenantId, true, clock.instant());
    }

    /**
     * The dry runs of alerts that arrive together (one body): each is judged with the others as they would be at the
     * flush, firing or resolved, so one that the body's other alerts inhibit is said to be.
     */
    public List<DryRun> dryRun(List<Event> together) {
        if (together.isEmpty()) {
            return List.of();
        }
        String tenant = together.getFirst().tenantId();
        Map<String, Map<String, String>> firing = new HashMap<>(dispatcher.firingAlerts(tenant));
        for (Event e : together) {
            if (e.status() == EventStatus.FIRING) {
                firing.put(e.fingerprint(), RoutingLabels.of(e));
            } else if (e.status() == EventStatus.RESOLVED) {
                firing.remove(e.fingerprint());
            }
        }
        RoutingConfig config = config(tenant);
        List<Silence> silences = silences(tenant);
        Instant now = clock.instant();
        return together.stream().map(e -> DryRun.of(e, config, silences, firing, now)).toList();
    }

    /** For the delivery worker: a target's settings in the tenant's current routing. */
    public Optional<Receiver.Target> target(String tenantId, String target) {
        int slash = target.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        Receiver r = config(tenantId).receivers().get(target.substring(0, slash));
        String name = target.substring(slash + 1);
        return r == null ? Optional.empty() : r.targets().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
