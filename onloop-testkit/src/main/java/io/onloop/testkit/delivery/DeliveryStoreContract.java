package io.onloop.testkit.delivery;

import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Severity;
import io.onloop.domain.inbox.Ticket;
import io.onloop.domain.inbox.TicketComment;
import io.onloop.domain.inbox.TicketStore;
import io.onloop.domain.routing.GroupLog;
import io.onloop.domain.routing.Matcher;
import io.onloop.domain.routing.RoutingConfigStore;
import io.onloop.domain.routing.Silence;
import io.onloop.domain.routing.SilenceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every outbox ({@link DeliveryStore}) and silence/routing store must do. The outbox's claim is
 * global (any tenant), so each test gets a fresh, empty store from {@link #open()}.
 */
public abstract class DeliveryStoreContract {
    protected static final Instant T0 = Instant.parse("2026-03-02T10:00:00.123456Z");

    /** The stores under test over one fresh, empty database. */
    public record Stores(DeliveryStore deliveries, SilenceStore silences, RoutingConfigStore routing,
                         TicketStore tickets, GroupLog groupLog, AutoCloseable database) {
    }

    protected abstract Stores open();

    private final List<Stores> opened = new ArrayList<>();

    private Stores fresh() {
        Stores s = open();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (Stores s : opened) {
            s.database().close();
        }
    }

    static final String DIGEST = "0123456789abcdef0123456789abcdef";

    public static Delivery pending(String tenant, String target, String thread, int sequence, Instant due) {
        return new Delivery(Ids.newId(due), tenant, target, "webhook", thread + "#" + sequence + "#" + target, thread,
                "{\"n\":" + sequence + "}", DeliveryStatus.PENDING, 0, due, "", due, null, DIGEST);
    }

    private static Delivery withPayload(String tenant, String thread, int sequence, Instant created, String payload) {
        Delivery d = pending(tenant, "ops/pd", thread, sequence, created);
        return new Delivery(d.id(), d.tenantId(), d.target(), d.targetType(), d.dedupKey(), d.threadKey(), payload,
                d.status(), d.attempts(), d.nextAttempt(), d.lastError(), d.createdAt(), d.deliveredAt(), d.targetDigest());
    }

    @Test
    void retentionDeletesFinishedDeliveriesOlderThanTheCutoffAndKeepsPendingOnes() {
        DeliveryStore store = fresh().deliveries();
        Instant cutoff = T0.plusSeconds(3600);
        Delivery delivered = pending("t1", "ops/slack", "a", 1, T0);
        Delivery dead = pending("t1", "ops/slack", "b", 1, T0.plusSeconds(1));
        Delivery stillPending = pending("t1", "ops/slack", "c", 1, T0.plusSeconds(2));
        Delivery replayed = pending("t1", "ops/slack", "d", 1, T0.plusSeconds(3));
        Delivery recent = pending("t1", "ops/slack", "e", 1, cutoff.plusSeconds(1));
        Delivery otherTenants = pending("t2", "ops/slack", "a", 1, T0);
        store.enqueue(List.of(delivered, dead, stillPending, replayed, recent, otherTenants));
        store.markDelivered(delivered.id(), T0.plusSeconds(5));
        store.markDead(dead.id(), "410 Gone");
        store.markDead(replayed.id(), "503");
        store.replay("t1", replayed.id(), T0.plusSeconds(10));
        store.markDelivered(recent.id(), cutoff.plusSeconds(5));
        store.markDelivered(otherTenants.id(), T0.plusSeconds(5));

        assertThat(store.pruneFinished("t1", cutoff, 1)).isEqualTo(1); // oldest first: the delivered one
        assertThat(store.findDelivery("t1", delivered.id())).isEmpty();
        assertThat(store.findDelivery("t1", dead.id())).isPresent();
        assertThat(store.pruneFinished("t1", cutoff, 100)).isEqualTo(1);
        assertThat(store.pruneFinished("t1", cutoff, 100)).isZero();
        assertThat(store.findDelivery("t1", dead.id())).isEmpty();
        for (Delivery kept : List.of(stillPending, replayed, recent)) {
            assertThat(store.findDelivery("t1", kept.id())).as(kept.threadKey()).isPresent();
        }
        assertThat(store.findDelivery("t2", otherTenants.id())).isPresent();
    }

    @Test
    void findsTheDeliveriesWhosePayloadMentionsATextSinceATimeOldestFirst() {
        DeliveryStore store = fresh().deliveries();
        String incident = "0190f5a2-6c1d-7abc-8def-0123456789ab";
        store.enqueue(List.of(withPayload("t1", "old", 1, T0.minusSeconds(60), "{\"incident_id\":\"" + incident + "\"}"),
                withPayload("t1", "a", 1, T0, "{\"incident_id\":\"" + incident + "\"}"),
                withPayload("t1", "b", 1, T0.plusSeconds(1), "{\"incident_id\":\"other\"}"),
                withPayload("t2", "c", 1, T0.plusSeconds(2), "{\"incident_id\":\"" + incident + "\"}")));
        store.enqueue(List.of(withPayload("t1", "a", 2, T0.plusSeconds(3), "{\"x\":[\"" + incident + "\"]}")));
        assertThat(store.mentioning("t1", incident, T0)).extracting(Delivery::dedupKey)
                .containsExactly("a#1#ops/pd", "a#2#ops/pd");
        // LIKE wildcards in the text are literal
        assertThat(store.mentioning("t1", "%", T0.minusSeconds(600))).isEmpty();
        assertThat(store.mentioning("t1", "incident_id", T0.minusSeconds(600))).hasSize(3);
    }

    @Test
    void deliveriesArePagedNewestFirstWithOrWithoutAStatus() {
        DeliveryStore store = fresh().deliveries();
        List<Delivery> all = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // two per second: the cursor must tell deliveries of the same time apart
            all.add(pending("t1", "ops/hook", "th" + i, 1, T0.plusSeconds(i / 2)));
        }
        store.enqueue(all);
        store.enqueue(List.of(pending("t2", "ops/hook", "other", 1, T0)));
        store.markDead(all.get(1).id(), "410 Gone");
        store.markDead(all.get(3).id(), "410 Gone");

        List<java.util.UUID> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var page = store.deliveries("t1", null, 2, cursor);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            page.items().forEach(d -> seen.add(d.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).as("every one once, newest first").hasSize(5).doesNotHaveDuplicates()
                .startsWith(all.get(4).id());
        assertThat(seen.subList(3, 5)).containsExactlyInAnyOrder(all.get(0).id(), all.get(1).id());
        var dead = store.deliveries("t1", DeliveryStatus.DEAD, 1, null);
        assertThat(dead.items()).extracting(Delivery::id).containsExactly(all.get(3).id());
        assertThat(store.deliveries("t1", DeliveryStatus.DEAD, 1, dead.nextCursor()).items()).extracting(Delivery::id)
                .containsExactly(all.get(1).id());
        assertThatThrownBy(() -> store.deliveries("t1", null, 2, "garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writingTheSameDecisionTwiceStoresItOnce() {
        DeliveryStore store = fresh().deliveries();
        Delivery d = pending("t1", "ops/hook", "th1", 1, T0);
        assertThat(store.enqueue(List.of(d, pending("t1", "ops/mail", "th1", 1, T0)))).isEqualTo(2);
        Delivery again = pending("t1", "ops/hook", "th1", 1, T0.plusSeconds(1));
        assertThat(store.enqueue(List.of(again))).isZero();
        assertThat(store.deliveries("t1", DeliveryStatus.PENDING, 10)).hasSize(2);
        assertThat(store.findDelivery("t1", d.id())).get().satisfies(x -> {
            assertThat(x.payload()).isEqualTo("{\"n\":1}");
            assertThat(x.nextAttempt()).isEqualTo(T0);
        });
        assertThat(store.findDelivery("t2", d.id())).isEmpty();
    }

    @Test
    void aNotificationIsSettledOnceNoneOfItsRowsWaitsAndAtTheLastDelivery() {
        Stores s = fresh();
        Delivery hook = pending("t1", "ops/hook", "th1", 1, T0);
        Delivery mail = pending("t1", "ops/mail", "th1", 1, T0);
        Delivery next = pending("t1", "ops/hook", "th1", 2, T0.plusSeconds(60)); // another notification of the thread
        Delivery elsewhere = pending("t2", "ops/hook", "th1", 1, T0);
        s.deliveries().enqueue(List.of(hook, mail, next, elsewhere));
        GroupLog log = s.groupLog();

        assertThat(log.settledAt("t1", "th1", 1, T0)).as("both on their way").isEmpty();
        s.deliveries().markDelivered(hook.id(), T0.plusSeconds(10));
        assertThat(log.settledAt("t1", "th1", 1, T0)).as("the mail still retrying").isEmpty();
        s.deliveries().markDead(mail.id(), "gave up");
        assertThat(log.settledAt("t1", "th1", 1, T0)).contains(T0.plusSeconds(10));
        assertThat(log.settledAt("t1", "th1", 3, T0.plusSeconds(99))).as("nothing written: when it was decided")
                .contains(T0.plusSeconds(99));
        s.deliveries().markDead(elsewhere.id(), "gave up");
        assertThat(log.settledAt("t2", "th1", 1, T0)).as("reached no target").contains(T0);
    }

    @Test
    void aDecisionAndItsDeliveriesAreWrittenTogetherAndTheGroupLogKeepsTheLatest() {
        Stores s = fresh();
        String key = "root|ops|{alertname=" + "x".repeat(3000) + "}"; // longer than any index would take
        assertThat(s.groupLog().last("t1", key)).isEmpty();
        s.deliveries().enqueue(List.of(pending("t1", "ops/hook", "th1", 1, T0)),
                new GroupLog.Entry("t1", key, "th1", 1, java.util.Set.of("a", "b"), T0, false));
        s.deliveries().enqueue(List.of(pending("t1", "ops/hook", "th1", 2, T0.plusSeconds(300))),
                new GroupLog.Entry("t1", key, "th1", 2, java.util.Set.of("b"), T0.plusSeconds(300), false));
        GroupLog.Entry last = s.groupLog().last("t1", key).orElseThrow();
        assertThat(last.sequence()).isEqualTo(2);
        assertThat(last.firing()).containsExactly("b");
        assertThat(last.sentAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(last.threadKey()).isEqualTo("th1");
        assertThat(last.groupKey()).isEqualTo(key);
        assertThat(s.groupLog().last("t2", key)).isEmpty();
        assertThat(s.deliveries().deliveries("t1", DeliveryStatus.PENDING, 10)).hasSize(2);
    }

    @Test
    void aClaimIsALeaseAndAnUpdateWaitsForTheMessageItUpdates() {
        DeliveryStore store = fresh().deliveries();
        Delivery first = pending("t1", "ops/hook", "th1", 1, T0);
        Delivery second = pending("t1", "ops/hook", "th1", 2, T0);
        Delivery other = pending("t1", "ops/hook", "th2", 1, T0.plusSeconds(5));
        store.enqueue(List.of(first, second, other));
        assertThat(store.claimDue(T0.minusSeconds(1), T0.plusSeconds(60), 10)).isEmpty();
        List<Delivery> claimed = store.claimDue(T0.plusSeconds(10), T0.plusSeconds(60), 10);
        assertThat(claimed).extracting(Delivery::id).containsExactly(first.id(), other.id());
        // leased: nobody else gets them until the lease lapses
        assertThat(store.claimDue(T0.plusSeconds(20), T0.plusSeconds(60), 10)).isEmpty();
        store.markDelivered(first.id(), T0.plusSeconds(21));
        assertThat(store.claimDue(T0.plusSeconds(22), T0.plusSeconds(60), 10)).extracting(Delivery::id)
                .containsExactly(second.id());
        // the unfinished "other" comes back after its lease
        assertThat(store.claimDue(T0.plusSeconds(61), T0.plusSeconds(120), 10)).extracting(Delivery::id)
                .containsExactlyInAnyOrder(other.id(), second.id());
    }

    @Test
    void retriesCountAndDeadDeliveriesCanBeReplayedOnce() {
        DeliveryStore store = fresh().deliveries();
        Delivery d = pending("t1", "ops/hook", "th1", 1, T0);
        store.enqueue(List.of(d));
        store.claimDue(T0, T0.plusSeconds(30), 10);
        store.postpone(d.id(), T0.plusSeconds(40));
        assertThat(store.findDelivery("t1", d.id()).orElseThrow().attempts()).as("postponing is no attempt").isZero();
        store.markRetry(d.id(), T0.plusSeconds(100), "HTTP 503");
        assertThat(store.claimDue(T0.plusSeconds(99), T0.plusSeconds(130), 10)).isEmpty();
        assertThat(store.claimDue(T0.plusSeconds(100), T0.plusSeconds(130), 10)).hasSize(1);
        store.markDead(d.id(), "HTTP 400 invalid_payload");
        Delivery dead = store.findDelivery("t1", d.id()).orElseThrow();
        assertThat(dead.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.lastError()).isEqualTo("HTTP 400 invalid_payload");
        assertThat(store.deliveries("t1", DeliveryStatus.DEAD, 10)).extracting(Delivery::id).containsExactly(d.id());
        assertThat(store.replay("t2", d.id(), T0.plusSeconds(200))).as("other tenant").isFalse();
        assertThat(store.replay("t1", d.id(), T0.plusSeconds(200))).isTrue();
        assertThat(store.replay("t1", d.id(), T0.plusSeconds(200))).as("no longer dead").isFalse();
        assertThat(store.claimDue(T0.plusSeconds(200), T0.plusSeconds(230), 10)).extracting(Delivery::id)
                .containsExactly(d.id());
        store.markDelivered(d.id(), T0.plusSeconds(201));
        assertThat(store.findDelivery("t1", d.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void onlyTheLatestNotificationOfAThreadIsReplayed() {
        DeliveryStore store = fresh().deliveries();
        Delivery trigger = pending("t1", "ops/pd", "th1", 1, T0);
        Delivery resolve = pending("t1", "ops/pd", "th1", 2, T0.plusSeconds(1));
        Delivery elsewhere = pending("t1", "ops/slack", "th1", 1, T0);
        store.enqueue(List.of(trigger, resolve, elsewhere));
        store.markDead(trigger.id(), "HTTP 400");
        store.markDead(elsewhere.id(), "HTTP 400");
        assertThat(store.claimDue(T0.plusSeconds(2), T0.plusSeconds(30), 10)).extracting(Delivery::id).contains(resolve.id());
        store.markDelivered(resolve.id(), T0.plusSeconds(3));

        assertThat(store.replay("t1", trigger.id(), T0.plusSeconds(10))).as("its resolve was delivered").isFalse();
        assertThat(store.findDelivery("t1", trigger.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(store.replay("t1", elsewhere.id(), T0.plusSeconds(10))).as("another target's thread").isTrue();

        // both dead (the target was down throughout): the resolve is replayed, the trigger is not
        Delivery trigger2 = pending("t1", "ops/pd", "th2", 1, T0);
        Delivery resolve2 = pending("t1", "ops/pd", "th2", 2, T0.plusSeconds(1));
        store.enqueue(List.of(trigger2, resolve2));
        store.markDead(trigger2.id(), "HTTP 503");
        store.markDead(resolve2.id(), "HTTP 503");
        assertThat(store.replay("t1", trigger2.id(), T0.plusSeconds(10))).isFalse();
        assertThat(store.findDelivery("t1", resolve2.id()).orElseThrow().targetDigest()).isEqualTo(DIGEST);
        assertThat(store.replay("t1", resolve2.id(), T0.plusSeconds(10))).isTrue();
        assertThat(store.findDelivery("t1", resolve2.id()).orElseThrow().targetDigest())
                .as("a replay goes to the target of that name as it is now").isNull();

        // an acknowledgement queued behind a dead first message (and dead too: there was nothing to mark) does not
        // make that message unreplayable
        Delivery first = pending("t1", "ops/slack", "th3", 1, T0);
        Delivery ack = new Delivery(Ids.newId(T0.plusSeconds(2)), "t1", "ops/slack", "slack",
                "th3#ack-" + java.util.UUID.randomUUID() + "-1#ops/slack", "th3", "{\"kind\":\"acknowledgement\"}",
                DeliveryStatus.PENDING, 0, T0.plusSeconds(2), "", T0.plusSeconds(2), null, null);
        store.enqueue(List.of(first, ack));
        store.markDead(first.id(), "HTTP 500");
        store.markDead(ack.id(), "slack: the thread's first message was never sent");
        assertThat(store.replay("t1", first.id(), T0.plusSeconds(10))).isTrue();
    }

    @Test
    void concurrentWorkersNeverClaimTheSameDelivery() throws Exception {
        DeliveryStore store = fresh().deliveries();
        List<Delivery> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(pending("t1", "ops/hook", "th" + i, 1, T0));
        }
        store.enqueue(all);
        var seen = ConcurrentHashMap.<UUID>newKeySet();
        var twice = ConcurrentHashMap.<UUID>newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                jobs.add(pool.submit(() -> {
                    List<Delivery> got;
                    while (!(got = store.claimDue(T0, T0.plus(Duration.ofHours(1)), 7)).isEmpty()) {
                        got.forEach(d -> {
                            if (!seen.add(d.id())) {
                                twice.add(d.id());
                            }
                        });
                    }
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        }
        assertThat(twice).isEmpty();
        assertThat(seen).hasSize(200);
    }

    @Test
    void threadRefsAreKeptPerTenantTargetAndThread() {
        DeliveryStore store = fresh().deliveries();
        assertThat(store.threadRef("t1", "ops/slack", "th1")).isEmpty();
        store.saveThreadRef("t1", "ops/slack", "th1", "1700000000.000100");
        store.saveThreadRef("t1", "ops/slack", "th1", "1700000000.000200");
        assertThat(store.threadRef("t1", "ops/slack", "th1")).contains("1700000000.000200");
        assertThat(store.threadRef("t2", "ops/slack", "th1")).isEmpty();
        assertThat(store.threadRef("t1", "ops/jira", "th1")).isEmpty();
    }

    @Test
    void silencesAreKeptWithTheirMatchersAndExpireWithoutBeingDeleted() {
        SilenceStore store = fresh().silences();
        Silence s = new Silence(UUID.randomUUID(), "t1", List.of(Matcher.parse("service=~\"db|cache\""),
                Matcher.parse("env!=\"dev\"")), T0, T0.plus(Duration.ofHours(2)), "ana", "failover \"test\"", T0);
        store.saveSilence(s);
        assertThat(store.findSilence("t1", s.id())).contains(s);
        assertThat(store.findSilence("t2", s.id())).isEmpty();
        assertThat(store.silences("t1", false, T0.plusSeconds(10))).containsExactly(s);
        Silence expired = s.expired(T0.plusSeconds(60));
        store.saveSilence(expired);
        assertThat(store.silences("t1", false, T0.plusSeconds(61))).isEmpty();
        assertThat(store.silences("t1", true, T0.plusSeconds(61))).containsExactly(expired);
    }

    @Test
    void routingFilesAreKeptPerTenant() {
        RoutingConfigStore store = fresh().routing();
        assertThat(store.routing("t1")).isEmpty();
        store.saveRouting("t1", new RoutingConfigStore.StoredRouting("route:\n  receiver: a\n", T0, "ana"));
        store.saveRouting("t1", new RoutingConfigStore.StoredRouting("route:\n  receiver: b\n", T0.plusSeconds(1), "bo"));
        assertThat(store.routing("t1")).get().satisfies(r -> {
            assertThat(r.yaml()).contains("receiver: b");
            assertThat(r.updatedBy()).isEqualTo("bo");
        });
        assertThat(store.routing("t2")).isEmpty();
    }

    @Test
    void oneTicketPerThreadAndOneCommentPerDedupKey() {
        TicketStore store = fresh().tickets();
        Ticket t = new Ticket(UUID.randomUUID(), "t1", "th1", "Disk full", Severity.HIGH, Ticket.Status.OPEN, null,
                "body <b>", T0, T0, null, null);
        Ticket opened = store.openTicket(t);
        assertThat(opened).isEqualTo(t);
        Ticket again = store.openTicket(new Ticket(UUID.randomUUID(), "t1", "th1", "retry", Severity.HIGH,
                Ticket.Status.OPEN, null, "", T0.plusSeconds(1), null, null, null));
        assertThat(again.id()).as("the thread's existing ticket").isEqualTo(t.id());
        assertThat(store.findTicket("t2", t.id())).isEmpty();

        assertThat(store.addComment(new TicketComment(UUID.randomUUID(), "t1", t.id(), T0.plusSeconds(2), "onloop",
                "update 2", "th1#2"))).isTrue();
        assertThat(store.addComment(new TicketComment(UUID.randomUUID(), "t1", t.id(), T0.plusSeconds(3), "onloop",
                "update 2 again", "th1#2"))).isFalse();
        assertThat(store.addComment(new TicketComment(UUID.randomUUID(), "t1", t.id(), T0.plusSeconds(4), "ana",
                "looking", null))).isTrue();
        assertThat(store.addComment(new TicketComment(UUID.randomUUID(), "t2", t.id(), T0.plusSeconds(4), "eve",
                "not my tenant", null))).isFalse();
        assertThat(store.comments("t1", t.id())).extracting(TicketComment::text).containsExactly("update 2", "looking");

        store.updateTicket(t.assigned("ana", T0.plusSeconds(5)).closed("ana", T0.plusSeconds(6)));
        Ticket closed = store.findTicket("t1", t.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(Ticket.Status.CLOSED);
        assertThat(closed.assignee()).isEqualTo("ana");
        assertThat(closed.closedBy()).isEqualTo("ana");
        assertThat(store.tickets("t1", Ticket.Status.OPEN, 10)).isEmpty();
        assertThat(store.tickets("t1", null, 10)).extracting(Ticket::id).containsExactly(t.id());
    }
}
