package io.onloop.testkit.rightsizing;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.copilot.AlreadyDecidedException;
import io.onloop.domain.rightsizing.copilot.ChangedSinceReadException;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import io.onloop.domain.rightsizing.copilot.ChangePlan;
import io.onloop.domain.rightsizing.copilot.ChangePlanner;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.PlanException;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.store.Transactions;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.onloop.testkit.rightsizing.RecommendationStoreContract.kubernetes;
import static io.onloop.testkit.rightsizing.RecommendationStoreContract.lambda;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopilotTest {
    private static final String T = "acme";
    private final InMemoryRecommendationStore store = new InMemoryRecommendationStore();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final Copilot copilot = new Copilot(store, events, Transactions.DIRECT, new TickingClock());

    /** A second later at every reading, so audit entries have an order. */
    static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T12:00:00Z");

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A scan that found these and, for most tests, evaluated nothing else. */
    static RecommendationSource.Scan found(Recommendation... found) {
        return new RecommendationSource.Scan(List.of(found), java.util.Set.of());
    }

    static RecommendationSource.Scan scan(List<Recommendation> found, String... evaluated) {
        return new RecommendationSource.Scan(found, java.util.Set.of(evaluated));
    }

    private List<StoredRecommendation> all(Status status) {
        return copilot.list(RecommendationQuery.all(T, status, 100)).items();
    }

    private List<AuditEntry> audit() {
        return events.auditLog(T, 100, null).items();
    }

    @Test
    void aScanCreatesRefreshesAndSupersedes() {
        var first = copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2),
                lambda("acct", "resize", 12, 4)));
        assertThat(first).isEqualTo(new Copilot.ScanOutcome(2, 0, 0, 0));
        var cart = all(Status.OPEN).getFirst();

        // the same change again, with fresher costs: refreshed in place, not duplicated
        var again = kubernetes("prod", "shop", "cart", 44, 10, 0.2);
        assertThat(copilot.record(T, "k8s", found(again))).isEqualTo(new Copilot.ScanOutcome(0, 0, 1, 0));
        assertThat(all(null)).hasSize(2);
        var refreshed = copilot.find(T, cart.id()).orElseThrow();
        assertThat(refreshed.recommendation()).isEqualTo(again);
        assertThat(refreshed.status()).isEqualTo(Status.OPEN);

        // a different change for the same workload: the open one is superseded by a new one
        var base = kubernetes("prod", "shop", "cart", 44, 8, 0.2);
        var lower = new Recommendation(base.workload(), base.direction(),
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "1", "200m")), base.evidence(),
                44, 8, "USD", 0.2, List.of(), 0.9, base.computedAt());
        assertThat(copilot.record(T, "k8s", found(lower))).isEqualTo(new Copilot.ScanOutcome(1, 1, 0, 0));
        var old = copilot.find(T, cart.id()).orElseThrow();
        assertThat(old.status()).isEqualTo(Status.SUPERSEDED);
        assertThat(old.decidedBy()).isEqualTo(Copilot.SCAN_ACTOR);
        var open = all(Status.OPEN);
        assertThat(open).hasSize(2).extracting(StoredRecommendation::recommendation).contains(lower);
        assertThat(old.comment()).isEqualTo("superseded by " + open.stream()
                .filter(r -> r.recommendation().equals(lower)).findFirst().orElseThrow().id());

        assertThat(audit()).as("the scan that only refreshed is not audited; the supersession is, naming it")
                .extracting(AuditEntry::action)
                .containsExactly("recommendation.scan", "recommendation.supersede", "recommendation.scan");
        assertThat(audit().getFirst().detail()).isEqualTo("source k8s: 1 new, 1 superseded, 0 withdrawn, 0 unchanged");
        assertThat(audit().get(1).targetId()).isEqualTo(cart.id().toString());
        assertThat(audit().get(1).detail()).startsWith("by ").endsWith("cpu.request 1 -> 200m; saves 36.00 USD/month");
    }

    @Test
    void anOpenRecommendationTheScanEvaluatedAndNoLongerMakesIsWithdrawnAndCannotBeApproved() {
        String cart = "kubernetes/prod/shop/Deployment/cart/app";
        String search = "kubernetes/prod/shop/Deployment/search/app";
        String staging = "kubernetes/staging/shop/Deployment/cart/app";
        copilot.record(T, "kubernetes/prod", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2),
                kubernetes("prod", "shop", "search", 30, 10, 0.2), kubernetes("staging", "shop", "cart", 20, 10, 0.2)));
        var searchOpen = all(Status.OPEN).stream().filter(r -> r.workloadKey().equals(search)).findFirst().orElseThrow();

        // usage of search rose back: evaluated, nothing to recommend; staging was not looked at by this scan
        var outcome = copilot.record(T, "kubernetes/prod", scan(List.of(kubernetes("prod", "shop", "cart", 40, 10, 0.2)),
                cart, search));

        assertThat(outcome).isEqualTo(new Copilot.ScanOutcome(0, 0, 1, 1));
        var withdrawn = copilot.find(T, searchOpen.id()).orElseThrow();
        assertThat(withdrawn.status()).isEqualTo(Status.SUPERSEDED);
        assertThat(withdrawn.decidedBy()).isEqualTo(Copilot.SCAN_ACTOR);
        assertThat(withdrawn.comment()).isEqualTo("withdrawn: the latest scan of kubernetes/prod no longer recommends a change here");
        assertThat(all(Status.OPEN)).extracting(StoredRecommendation::workloadKey).containsExactlyInAnyOrder(cart, staging);
        assertThatThrownBy(() -> copilot.approve(T, searchOpen.id(), "alice", "ok", null, null))
                .isInstanceOf(AlreadyDecidedException.class);
        assertThat(audit().getFirst().detail()).isEqualTo("source kubernetes/prod: 0 new, 0 superseded, 1 withdrawn, 1 unchanged");

        // a scan whose usage reads failed evaluated nothing: it withdraws nothing
        assertThat(copilot.record(T, "kubernetes/prod", RecommendationSource.Scan.NONE))
                .isEqualTo(new Copilot.ScanOutcome(0, 0, 0, 0));
        assertThat(all(Status.OPEN)).hasSize(2);
        // recommended again later: a new one, open
        assertThat(copilot.record(T, "kubernetes/prod", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2),
                kubernetes("prod", "shop", "search", 30, 10, 0.2)))).isEqualTo(new Copilot.ScanOutcome(1, 0, 1, 0));
    }

    @Test
    void anApprovedPlanTheDataNoLongerSupportsIsSupersededOrWithdrawnKeepingWhoApprovedIt() {
        String cart = "kubernetes/prod/shop/Deployment/cart/app";
        String search = "kubernetes/prod/shop/Deployment/search/app";
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2),
                kubernetes("prod", "shop", "search", 30, 10, 0.2)));
        var cartOpen = all(Status.OPEN).stream().filter(r -> r.workloadKey().equals(cart)).findFirst().orElseThrow();
        var searchOpen = all(Status.OPEN).stream().filter(r -> r.workloadKey().equals(search)).findFirst().orElseThrow();
        var cartApproved = copilot.approve(T, cartOpen.id(), "alice", "ok", null, null).orElseThrow();
        copilot.approve(T, searchOpen.id(), "alice", "ok", null, null).orElseThrow();

        // the same change as approved: nothing; someone resized cart by hand (now 2 CPUs), and search's usage rose back
        assertThat(copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2))))
                .isEqualTo(new Copilot.ScanOutcome(0, 0, 1, 0));
        var base = kubernetes("prod", "shop", "cart", 80, 10, 0.2);
        var afterHandResize = new Recommendation(base.workload(), base.direction(),
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "2", "250m")), base.evidence(),
                80, 10, "USD", 0.3, List.of(), 0.8, base.computedAt());
        assertThat(copilot.record(T, "k8s", scan(List.of(afterHandResize), cart, search)))
                .isEqualTo(new Copilot.ScanOutcome(1, 1, 0, 1));

        var cartNow = copilot.find(T, cartOpen.id()).orElseThrow();
        assertThat(cartNow.status()).isEqualTo(Status.SUPERSEDED);
        assertThat(cartNow.plan()).as("the approved plan stays on the record").isEqualTo(cartApproved.plan());
        assertThat(cartNow.comment()).startsWith("superseded by ").contains("approved by alice at " + cartApproved.decidedAt())
                .endsWith("; not known to have been applied)");
        assertThat(copilot.find(T, searchOpen.id()).orElseThrow().status()).isEqualTo(Status.SUPERSEDED);
        assertThat(all(Status.APPROVED)).as("no approved plan is left that the data no longer supports").isEmpty();
        assertThat(all(Status.OPEN)).singleElement().satisfies(r -> assertThat(r.recommendation()).isEqualTo(afterHandResize));

        var entries = audit().stream().filter(e -> !e.action().equals("recommendation.scan")
                && !e.action().equals("recommendation.approve")).toList();
        assertThat(entries).extracting(AuditEntry::action, AuditEntry::targetId).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("recommendation.supersede", cartOpen.id().toString()),
                org.assertj.core.groups.Tuple.tuple("recommendation.withdraw", searchOpen.id().toString()));
        assertThat(entries).allSatisfy(e -> assertThat(e.detail()).startsWith("approved; "));
    }

    @Test
    void anApprovalSomeoneAppliedStandsWhenTheScanRecommendsAFurtherStep() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2))); // cpu 1 -> 250m, memory 2Gi -> 512Mi
        var open = all(Status.OPEN).getFirst();
        copilot.approve(T, open.id(), "alice", "ok", null, null).orElseThrow();
        // alice applied it: the scan reads 250m and 512Mi now, and recommends going further
        var base = kubernetes("prod", "shop", "cart", 10, 6, 0.2);
        var further = new Recommendation(base.workload(), base.direction(),
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "250m", "150m"),
                        new SettingChange(SettingChange.MEMORY_REQUEST, "512Mi", "384Mi")),
                base.evidence(), 10, 6, "USD", 0.2, List.of(), 0.8, base.computedAt());

        assertThat(copilot.record(T, "k8s", found(further))).isEqualTo(new Copilot.ScanOutcome(1, 0, 0, 0));
        assertThat(copilot.find(T, open.id()).orElseThrow().status()).isEqualTo(Status.APPROVED);
        assertThat(all(Status.OPEN)).singleElement().satisfies(r -> assertThat(r.recommendation()).isEqualTo(further));
    }

    @Test
    void anApprovalTheScanSeesAppliedStandsWhenNothingMoreIsRecommended() {
        String cart = "kubernetes/prod/shop/Deployment/cart/app";
        String search = "kubernetes/prod/shop/Deployment/search/app";
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2),
                kubernetes("prod", "shop", "search", 30, 10, 0.2))); // each cpu 1 -> 250m, memory 2Gi -> 512Mi
        var open = all(Status.OPEN);
        open.forEach(r -> copilot.approve(T, r.id(), "alice", "ok", null, null).orElseThrow());
        // alice applied cart's plan (the scan reads it at 250m, written 252m, and 512Mi); search was not applied
        Map<String, Map<String, String>> settings = Map.of(
                cart, Map.of(SettingChange.CPU_REQUEST, "252m", SettingChange.CPU_LIMIT, "",
                        SettingChange.MEMORY_REQUEST, "512Mi", SettingChange.MEMORY_LIMIT, ""),
                search, Map.of(SettingChange.CPU_REQUEST, "1000m", SettingChange.CPU_LIMIT, "",
                        SettingChange.MEMORY_REQUEST, "2048Mi", SettingChange.MEMORY_LIMIT, ""));

        var outcome = copilot.record(T, "k8s", new RecommendationSource.Scan(List.of(), settings));

        assertThat(outcome).as("search's usage rose back: withdrawn; cart was applied: it stands")
                .isEqualTo(new Copilot.ScanOutcome(0, 0, 0, 1));
        assertThat(all(Status.APPROVED)).singleElement().satisfies(r -> {
            assertThat(r.workloadKey()).isEqualTo(cart);
            assertThat(r.comment()).isEqualTo("ok");
        });
        assertThat(audit()).filteredOn(e -> e.action().equals("recommendation.withdraw")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains(search));
    }

    @Test
    void aDecisionOnWhatAScanRefreshedSinceItWasReadIsRefused() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var read = all(Status.OPEN).getFirst();
        // a later scan nudges it (within 10%): the same recommendation, refreshed
        var base = kubernetes("prod", "shop", "cart", 40, 10, 0.2);
        var nudged = new Recommendation(base.workload(), base.direction(),
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "1", "240m"),
                        new SettingChange(SettingChange.MEMORY_REQUEST, "2Gi", "500Mi")),
                base.evidence(), 40, 10, "USD", 0.35, List.of(), 0.8, base.computedAt());
        copilot.record(T, "k8s", found(nudged));

        assertThatThrownBy(() -> copilot.approve(T, read.id(), "alice", "ok", null, read.updatedAt()))
                .isInstanceOf(ChangedSinceReadException.class).hasMessageContaining("cpu.request 1 -> 240m");
        assertThatThrownBy(() -> copilot.reject(T, read.id(), "alice", "no", read.updatedAt()))
                .isInstanceOf(ChangedSinceReadException.class);
        var current = copilot.find(T, read.id()).orElseThrow();
        assertThat(current.status()).isEqualTo(Status.OPEN);

        var approved = copilot.approve(T, read.id(), "alice", "ok", null, current.updatedAt()).orElseThrow();
        assertThat(approved.recommendation()).isEqualTo(nudged);
    }

    @Test
    void aNudgeOfTheSlidingWindowRefreshesInsteadOfSuperseding() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var base = kubernetes("prod", "shop", "cart", 40, 10, 0.2);
        // 250m -> 251m and 512Mi -> 520Mi: within 10%, the same change seen again
        var nudged = new Recommendation(base.workload(), base.direction(),
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "1", "251m"),
                        new SettingChange(SettingChange.MEMORY_REQUEST, "2Gi", "520Mi")),
                base.evidence(), 40, 10, "USD", 0.2, List.of(), 0.8, base.computedAt());
        assertThat(copilot.record(T, "k8s", found(nudged))).isEqualTo(new Copilot.ScanOutcome(0, 0, 1, 0));
        assertThat(all(Status.OPEN)).singleElement().satisfies(r -> assertThat(r.recommendation()).isEqualTo(nudged));
        // 512Mi -> 1Gi is another change
        var doubled = new Recommendation(base.workload(), base.direction(),
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "1", "251m"),
                        new SettingChange(SettingChange.MEMORY_REQUEST, "2Gi", "1Gi")),
                base.evidence(), 40, 10, "USD", 0.2, List.of(), 0.8, base.computedAt());
        assertThat(copilot.record(T, "k8s", found(doubled))).isEqualTo(new Copilot.ScanOutcome(1, 1, 0, 0));
        assertThat(Copilot.quantity("1.5Gi")).hasValue(1.5 * 1024 * 1024 * 1024);
        assertThat(Copilot.quantity("m5.large")).isEmpty();
    }

    @Test
    void approvalMakesThePlanAndIsAudited() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var cart = all(Status.OPEN).getFirst();
        var approved = copilot.approve(T, cart.id(), "alice", "  looks right  ", null, null).orElseThrow();
        assertThat(approved.status()).isEqualTo(Status.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("alice");
        assertThat(approved.decidedAt()).isAfter(cart.createdAt());
        assertThat(approved.createdAt()).isEqualTo(cart.createdAt());
        assertThat(approved.comment()).isEqualTo("looks right");
        assertThat(approved.plan().steps()).extracting(ChangePlan.Step::kind).containsExactly(
                ChangePlan.Kind.KUBERNETES_PATCH, ChangePlan.Kind.KUBECTL, ChangePlan.Kind.KUSTOMIZE_PATCH);
        assertThat(copilot.find(T, cart.id())).contains(approved);

        var entry = audit().getFirst();
        assertThat(entry.action()).isEqualTo("recommendation.approve");
        assertThat(entry.actor()).isEqualTo("alice");
        assertThat(entry.targetType()).isEqualTo("recommendation");
        assertThat(entry.targetId()).isEqualTo(cart.id().toString());
        assertThat(entry.detail()).isEqualTo("kubernetes/prod/shop/Deployment/cart/app: cpu.request 1 -> 250m, "
                + "memory.request 2Gi -> 512Mi; saves 30.00 USD/month; risk 0.20").doesNotContain("looks right");
    }

    @Test
    void aDecidedRecommendationCannotBeDecidedAgain() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var id = all(Status.OPEN).getFirst().id();
        var rejected = copilot.reject(T, id, "bob", "peak season", null).orElseThrow();
        assertThatThrownBy(() -> copilot.approve(T, id, "alice", "", null, null))
                .isInstanceOf(AlreadyDecidedException.class)
                .hasMessage("recommendation " + id + " is already rejected by bob at " + rejected.decidedAt() + "; only an open"
                        + " recommendation can be approved or rejected");
        assertThatThrownBy(() -> copilot.reject(T, id, "alice", "again", null)).isInstanceOf(AlreadyDecidedException.class);
        assertThat(copilot.find(T, id).orElseThrow().comment()).isEqualTo("peak season");
        assertThat(audit()).extracting(AuditEntry::action).containsExactly("recommendation.reject", "recommendation.scan");
    }

    @Test
    void aDecidedChangeIsNotProposedAgainButADifferentOneIs() {
        var cart = kubernetes("prod", "shop", "cart", 40, 10, 0.2);
        var fn = lambda("acct", "resize", 12, 4);
        copilot.record(T, "k8s", found(cart, fn));
        var open = all(Status.OPEN);
        var cartId = open.stream().filter(r -> r.recommendation().equals(cart)).findFirst().orElseThrow().id();
        var fnId = open.stream().filter(r -> r.recommendation().equals(fn)).findFirst().orElseThrow().id();
        copilot.approve(T, cartId, "alice", "", null, null);
        copilot.reject(T, fnId, "bob", "batch jobs need the memory", null);

        assertThat(copilot.record(T, "k8s", found(cart, fn))).isEqualTo(new Copilot.ScanOutcome(0, 0, 2, 0));
        assertThat(all(Status.OPEN)).isEmpty();

        var lessMemory = new Recommendation(fn.workload(), fn.direction(),
                List.of(new SettingChange(SettingChange.FUNCTION_MEMORY_MB, "1024", "768")), fn.evidence(), 12, 8,
                "USD", 0.05, List.of(), 0.6, fn.computedAt());
        assertThat(copilot.record(T, "k8s", found(lessMemory))).isEqualTo(new Copilot.ScanOutcome(1, 0, 0, 0));
        assertThat(all(Status.OPEN)).singleElement().extracting(StoredRecommendation::recommendation)
                .isEqualTo(lessMemory);
        assertThat(copilot.find(T, fnId).orElseThrow().status()).as("the rejection stands").isEqualTo(Status.REJECTED);
    }

    @Test
    void aRejectionNeedsAComment() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var id = all(Status.OPEN).getFirst().id();
        assertThatThrownBy(() -> copilot.reject(T, id, "bob", "  ", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rejection needs a comment saying why");
        assertThatThrownBy(() -> copilot.approve(T, id, "bob", "x".repeat(Copilot.MAX_COMMENT_CHARS + 1), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a comment is at most 10000 characters");
        assertThat(copilot.find(T, id).orElseThrow().status()).isEqualTo(Status.OPEN);
    }

    @Test
    void anApprovalWithoutAPossiblePlanLeavesTheRecommendationOpen() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var id = all(Status.OPEN).getFirst().id();
        assertThatThrownBy(() -> copilot.approve(T, id, "alice", "", new ChangePlanner.Manifest("x.yaml",
                "kind: Deployment\nmetadata:\n  name: other\n"), null)).isInstanceOf(PlanException.class)
                .hasMessage("the manifest has no Deployment \"cart\"");
        assertThat(copilot.find(T, id).orElseThrow().status()).isEqualTo(Status.OPEN);
        assertThat(audit()).extracting(AuditEntry::action).containsExactly("recommendation.scan");
    }

    @Test
    void anotherTenantsRecommendationIsNotFound() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var id = all(Status.OPEN).getFirst().id();
        assertThat(copilot.approve("other", id, "alice", "", null, null)).isEmpty();
        assertThat(copilot.reject("other", id, "alice", "no", null)).isEmpty();
        assertThat(copilot.approve(T, UUID.randomUUID(), "alice", "", null, null)).isEmpty();
        assertThat(copilot.find(T, id).orElseThrow().status()).isEqualTo(Status.OPEN);
    }
}
