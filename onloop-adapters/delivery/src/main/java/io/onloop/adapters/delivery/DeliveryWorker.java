package io.onloop.adapters.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.onloop.domain.delivery.Acknowledgement;
import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.RetryPolicy;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.routing.Notification;
import io.onloop.domain.routing.Receiver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Drains the outbox: claims due deliveries (a lease, so a crash mid-send means a later retry, not a
 * loss), sends each through its target, and records the outcome. Failures are retried with
 * {@link RetryPolicy} (backoff, jitter, Retry-After) until dead. Each target (tenant + receiver/name)
 * has a Resilience4j circuit breaker: while it is open nothing is sent there and its deliveries are
 * postponed without using up attempts.
 *
 * <p>Each outcome is counted per target ({@code onloop_deliveries_total} with {@code outcome} delivered, retry, dead or
 * circuit-open) and each send timed ({@code onloop_delivery_send_seconds}): what an operator alerts on when paging
 * itself stops working.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

    /** Finds a delivery's target settings in the tenant's current routing; empty if it is no longer configured. */
    @FunctionalInterface
    public interface TargetLookup {
        Optional<Receiver.Target> find(String tenantId, String target);
    }

    private final DeliveryStore store;
    private final Map<String, NotificationTarget> targets;
    private final TargetLookup lookup;
    private final RetryPolicy policy;
    private final Clock clock;
    private final CircuitBreakerRegistry breakers;
    private final MeterRegistry meters;
    /**
     * How long a claimed delivery is left to its send before it can be claimed again: a send must end well within it
     * (each HTTP call is bounded as a whole, {@link Http#TIMEOUT}) or it is sent twice.
     */
    static final Duration LEASE = Duration.ofMinutes(2);
    private final int batch;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * Sends under way: at most {@link #MAX_IN_FLIGHT} (each records its outcome through the database's small pool),
     * and at most {@link #MAX_PER_TARGET} to one target, so that slow targets leave room for the others: it takes 16
     * targets hanging at once to fill every slot (at 16 a target, four hanging webhooks held up all the others).
     */
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private static final int MAX_IN_FLIGHT = 64;
    private static final int MAX_PER_TARGET = 4;
    private final Map<String, Integer> perTarget = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closing;
    private ScheduledExecutorService poller;

    public DeliveryWorker(DeliveryStore store, Map<String, NotificationTarget> targets, TargetLookup lookup,
                          RetryPolicy policy, CircuitBreakerConfig breaker, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.meters = meters;
        Gauge.builder("onloop.deliveries.in.flight", inFlight, s -> MAX_IN_FLIGHT - s.availablePermits())
                .description("sends under way").register(meters);
        this.targets = Map.copyOf(targets);
        this.lookup = lookup;
        this.policy = policy;
        this.clock = clock;
        this.breakers = CircuitBreakerRegistry.of(breaker);
        this.batch = 100;
    }

    /** Opens after half of at least 5 of the last 10 sends failed; tries one send again after 30 s. */
    public static CircuitBreakerConfig defaultBreaker() {
        return CircuitBreakerConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30)).permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false).build();
    }

    /** Polls every {@code interval} on its own thread. */
    public synchronized void start(Duration interval) {
        if (poller != null) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "onloop-delivery");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                while (!closing && runOnce() > 0) {
                    // drain what is due before sleeping
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "delivery poll failed: " + e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Claims a batch of what is due and starts sending each on its own virtual thread, without waiting for them: a
     * target that answers slowly (up to its timeout) delays its own deliveries only, never the others'. The lease
     * keeps a delivery being sent from being claimed again, and the next of its thread from being claimed before it
     * is done (claimDue). Returns how many it started.
     */
    public int runOnce() {
        int room = Math.min(batch, inFlight.availablePermits());
        if (room == 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<Delivery> due = store.claimDue(now, now.plus(LEASE), room);
        int started = 0;
        for (Delivery d : due) {
            String target = targetKey(d.tenantId(), d.target());
            if (perTarget.merge(target, 1, Integer::sum) > MAX_PER_TARGET) {
                release(target);
                store.postpone(d.id(), now.plus(Duration.ofSeconds(1))); // its target's room is taken: a little later
                continue;
            }
            inFlight.acquireUninterruptibly(); // only this thread takes permits, and room were free
            try {
                senders.submit(() -> {
                    try {
                        deliver(d);
                    } catch (RuntimeException e) { // the outcome could not be recorded: the lease brings it back
                        LOG.log(Level.WARNING, "delivery " + d.id() + " failed unexpectedly", e);
                    } finally {
                        release(target);
                        inFlight.release();
                    }
                });
                started++;
            } catch (java.util.concurrent.RejectedExecutionException closed) { // shutting down: the lease brings it back
                release(target);
                inFlight.release();
            }
        }
        return started;
    }

    /** One target of one tenant: what a circuit breaker and the per-target limit are kept for. */
    private static String targetKey(String tenantId, String target) {
        return tenantId + "|" + target;
    }

    private void release(String target) {
        perTarget.computeIfPresent(target, (t, n) -> n == 1 ? null : n - 1);
    }

    public CircuitBreaker.State circuit(String tenantId, String target) {
        return breakers.circuitBreaker(targetKey(tenantId, target)).getState();
    }

    private void deliver(Delivery d) {
        NotificationTarget adapter = targets.get(d.targetType());
        Optional<Receiver.Target> target = lookup.find(d.tenantId(), d.target());
        if (adapter == null || target.isEmpty() || !target.get().type().equals(d.targetType())) {
            dead(d, d.attempts(), "target " + d.target() + " (" + d.targetType() + ") is no longer configured");
            return;
        }
        if (d.targetDigest() != null && !d.targetDigest().equals(target.get().digest())) {
            dead(d, d.attempts(), "target " + d.target() + " has no name of its own, and the route file has put another"
                    + " target in its place (or changed its settings) since this was written; replay it to send it to"
                    + " the target now named " + d.target());
            return;
        }
        CircuitBreaker cb = breakers.circuitBreaker(targetKey(d.tenantId(), d.target()));
        if (!cb.tryAcquirePermission()) {
            store.postpone(d.id(), clock.instant().plus(Duration.ofSeconds(5)));
            count(d, "circuit-open");
            return;
        }
        long start = System.nanoTime();
        SendResult result;
        try {
            Optional<String> ref = store.threadRef(d.tenantId(), d.target(), d.threadKey());
            result = NotificationJson.isAcknowledgement(d.payload())
                    ? adapter.acknowledge(NotificationJson.readAcknowledgement(d.payload()), target.get().settings(), ref)
                    : adapter.send(NotificationJson.read(d.payload()), target.get().settings(), ref);
        } catch (RuntimeException e) {
            // A defect, not the target's answer: say where, but not the message, which may quote a secret URL.
            LOG.warning("delivery " + d.id() + " to " + d.target() + " (" + d.targetType() + ") failed unexpectedly: "
                    + e.getClass().getName() + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
            result = SendResult.retry("unexpected " + e.getClass().getSimpleName(), null);
        }
        long took = System.nanoTime() - start;
        Timer.builder("onloop.delivery.send").description("one send to a target, until its answer")
                .tags("tenant", d.tenantId(), "target", d.target(), "type", d.targetType()).register(meters)
                .record(took, TimeUnit.NANOSECONDS);
        switch (result.outcome()) {
            case DELIVERED -> {
                cb.onSuccess(took, TimeUnit.NANOSECONDS);
                if (result.threadRef() != null) {
                    store.saveThreadRef(d.tenantId(), d.target(), d.threadKey(), result.threadRef());
                }
                store.markDelivered(d.id(), clock.instant());
                count(d, "delivered");
            }
            case FAILED -> {
                cb.onSuccess(took, TimeUnit.NANOSECONDS); // the target answered; the request was wrong
                dead(d, d.attempts() + 1, result.error());
            }
            case RETRY -> {
                cb.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException(result.error()));
                int attempt = d.attempts() + 1;
                if (policy.exhausted(attempt)) {
                    dead(d, attempt, "gave up after " + attempt + " attempts: ", result.error());
                } else {
                    store.markRetry(d.id(), clock.instant().plus(policy.delay(attempt, result.retryAfter(), random)),
                            result.error());
                    count(d, "retry");
                }
            }
        }
    }

    /**
     * Marks the delivery dead, with one WARNING line: what was not delivered, and why. Targets' errors carry no header
     * and no URL (Http, EmailTarget), so the line holds no credential.
     */
    private void dead(Delivery d, int attempts, String error) {
        dead(d, attempts, "", error);
    }

    /** {@code why}: what the stored error starts with (the log line says how many attempts already). */
    private void dead(Delivery d, int attempts, String why, String error) {
        store.markDead(d.id(), why + error);
        count(d, "dead");
        LOG.warning("delivery " + d.id() + " to " + d.target() + " (" + d.targetType() + ") is dead after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ", incidents " + incidents(d) + ": " + error);
    }

    /** Targets are configured, so their names are a bounded set of tag values. */
    private void count(Delivery d, String outcome) {
        Counter.builder("onloop.deliveries").description("deliveries by what became of them")
                .tags("tenant", d.tenantId(), "target", d.target(), "type", d.targetType(), "outcome", outcome)
                .register(meters).increment();
    }

    /** The incidents a delivery is about, for the log: a payload that cannot be read is said so, not thrown. */
    private static List<String> incidents(Delivery d) {
        try {
            if (NotificationJson.isAcknowledgement(d.payload())) {
                return List.of(NotificationJson.readAcknowledgement(d.payload()).incidentId().toString());
            }
            Notification n = NotificationJson.read(d.payload());
            return java.util.stream.Stream.concat(n.firing().stream(), n.resolved().stream())
                    .map(a -> a.incidentId()).filter(java.util.Objects::nonNull).map(Object::toString).distinct()
                    .toList();
        } catch (RuntimeException e) {
            return List.of("(unreadable payload)");
        }
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (poller != null) {
            poller.shutdown();
            try {
                poller.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.close();
    }

    /**
     * The outbox row that shows an acknowledgement on one target's thread. Queued behind what the
     * thread still has to send, so it never overtakes the message it acknowledges; written once per
     * acknowledgement whatever retries.
     */
    public static Delivery acknowledgementFor(Delivery last, Acknowledgement ack, Instant now) {
        return new Delivery(io.onloop.domain.event.Ids.newId(now), last.tenantId(), last.target(), last.targetType(),
                last.threadKey() + "#ack-" + ack.incidentId() + "-" + ack.at().toEpochMilli() + "#" + last.target(),
                last.threadKey(), NotificationJson.write(ack), io.onloop.domain.delivery.DeliveryStatus.PENDING, 0, now,
                "", now, null, last.targetDigest());
    }

    /** The outbox rows for one notification: one per target of its receiver. */
    public static List<Delivery> deliveriesFor(Notification n, Receiver receiver, Instant now) {
        String payload = NotificationJson.write(n);
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < receiver.targets().size(); i++) {
            Receiver.Target t = receiver.targets().get(i);
            String target = receiver.name() + "/" + t.name();
            // a target without a name of its own is named by its place (RoutesYaml): pinned to where it sends
            String digest = t.name().equals(RoutesYaml.defaultTargetName(t.type(), i)) ? t.digest() : null;
            out.add(new Delivery(io.onloop.domain.event.Ids.newId(now), n.tenantId(), target, t.type(),
                    n.dedupKey() + "#" + target, n.threadKey(), payload,
                    io.onloop.domain.delivery.DeliveryStatus.PENDING, 0, now, "", now, null, digest));
        }
        return out;
    }
}
