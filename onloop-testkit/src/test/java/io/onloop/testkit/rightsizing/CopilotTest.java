package io.onloop.testkit.rightsizing;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.copilot.AlreadyDecidedException;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import io.onloop.domain.rightsizing.copilot.ChangePlan;
import io.onloop.domain.rightsizing.copilot.ChangePlanner;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.PlanException;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static io.onloop.testkit.rightsizing.RecommendationStoreContract.kubernetes;
import static io.onloop.testkit.rightsizing.RecommendationStoreContract.lambda;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopilotTest {
    private static final String T = "acme";
    private final InMemoryRecommendationStore store = new InMemoryRecommendationStore();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final Copilot copilot = new Copilot(store, events, new TickingClock());

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

        assertThat(audit()).as("the scan that only refreshed is not audited").extracting(AuditEntry::action)
                .containsOnly("recommendation.scan").hasSize(2);
        assertThat(audit().getFirst().detail()).isEqualTo("source k8s: 1 new, 1 superseded, 0 withdrawn, 0 unchanged");
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
        assertThatThrownBy(() -> copilot.approve(T, searchOpen.id(), "alice", "ok", null))
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
        var approved = copilot.approve(T, cart.id(), "alice", "  looks right  ", null).orElseThrow();
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
                + "memory.request 2Gi -> 512Mi; saves 30.00 USD/month").doesNotContain("looks right");
    }

    @Test
    void aDecidedRecommendationCannotBeDecidedAgain() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var id = all(Status.OPEN).getFirst().id();
        var rejected = copilot.reject(T, id, "bob", "peak season").orElseThrow();
        assertThatThrownBy(() -> copilot.approve(T, id, "alice", "", null))
                .isInstanceOf(AlreadyDecidedException.class)
                .hasMessage("recommendation " + id + " is already rejected by bob at " + rejected.decidedAt() + "; only an open"
                        + " recommendation can be approved or rejected");
        assertThatThrownBy(() -> copilot.reject(T, id, "alice", "again")).isInstanceOf(AlreadyDecidedException.class);
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
        copilot.approve(T, cartId, "alice", "", null);
        copilot.reject(T, fnId, "bob", "batch jobs need the memory");

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
        assertThatThrownBy(() -> copilot.reject(T, id, "bob", "  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rejection needs a comment saying why");
        assertThatThrownBy(() -> copilot.approve(T, id, "bob", "x".repeat(Copilot.MAX_COMMENT_CHARS + 1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a comment is at most 10000 characters");
        assertThat(copilot.find(T, id).orElseThrow().status()).isEqualTo(Status.OPEN);
    }

    @Test
    void anApprovalWithoutAPossiblePlanLeavesTheRecommendationOpen() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var id = all(Status.OPEN).getFirst().id();
        assertThatThrownBy(() -> copilot.approve(T, id, "alice", "", new ChangePlanner.Manifest("x.yaml",
                "kind: Deployment\nmetadata:\n  name: other\n"))).isInstanceOf(PlanException.class)
                .hasMessage("the manifest has no Deployment \"cart\"");
        assertThat(copilot.find(T, id).orElseThrow().status()).isEqualTo(Status.OPEN);
        assertThat(audit()).extracting(AuditEntry::action).containsExactly("recommendation.scan");
    }

    @Test
    void anotherTenantsRecommendationIsNotFound() {
        copilot.record(T, "k8s", found(kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        var id = all(Status.OPEN).getFirst().id();
        assertThat(copilot.approve("other", id, "alice", "", null)).isEmpty();
        assertThat(copilot.reject("other", id, "alice", "no")).isEmpty();
        assertThat(copilot.approve(T, UUID.randomUUID(), "alice", "", null)).isEmpty();
        assertThat(copilot.find(T, id).orElseThrow().status()).isEqualTo(Status.OPEN);
    }
}
