package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.access.User;
import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.testkit.rightsizing.RecommendationStoreContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Units of work across the JDBC stores: a change and its audit entry are committed together or not at all. */
abstract class JdbcTransactionsContract {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    protected abstract JdbcStores stores();

    private String tenant;
    private StoredRecommendation open;

    @BeforeEach
    void tenantWithAnOpenRecommendation() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 13);
        stores().accessStore().createTenant(new Tenant(tenant, tenant, T0));
        open = StoredRecommendation.open(Ids.newId(T0), tenant,
                RecommendationStoreContract.kubernetes("prod", "shop", "cart", 40, 10, 0.2), T0);
        stores().recommendationStore().insert(open);
    }

    @Test
    void aChangeAndItsAuditEntryAreCommittedTogether() {
        boolean approved = stores().transactions().inOne(() -> approveAndAudit());

        assertThat(approved).isTrue();
        assertThat(status()).isEqualTo(Status.APPROVED);
        assertThat(auditActions()).containsExactly("recommendation.approve");
    }

    @Test
    void aFailureAfterBothUndoesBoth() {
        assertThatThrownBy(() -> stores().transactions().inOne(() -> {
            approveAndAudit();
            throw new IllegalStateException("the process failed here");
        })).hasMessage("the process failed here");

        assertThat(status()).isEqualTo(Status.OPEN);
        assertThat(auditActions()).isEmpty();
    }

    /**
     * PostgreSQL ignores everything after a failed statement and answers the commit with a rollback; H2 keeps the
     * rest. Either way the unit never says it committed what it did not.
     */
    @Test
    void aStoreFailureTheWorkCaughtNeverPassesForACommit() {
        var user = new User(Ids.newId(T0), tenant, "ana", "hash", Role.APPROVER, false, T0);
        stores().accessStore().createUser(user);

        boolean committed;
        try {
            committed = stores().transactions().inOne(() -> {
                boolean approved = approveAndAudit();
                try {
                    stores().accessStore().createUser(user); // taken: the insert fails
                } catch (IllegalStateException ignored) {
                    // the work goes on as if nothing happened
                }
                return approved;
            });
        } catch (JdbcStoreException e) {
            assertThat(e).hasMessageContaining("none of it was made");
            committed = false;
        }

        assertThat(status()).isEqualTo(committed ? Status.APPROVED : Status.OPEN);
        assertThat(auditActions()).hasSize(committed ? 1 : 0);
    }

    @Test
    void anInnerUnitJoinsTheOuterOne() {
        assertThatThrownBy(() -> stores().transactions().inOne(() -> {
            stores().transactions().inOne(this::approveAndAudit);
            throw new IllegalStateException("after the inner unit returned");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(status()).isEqualTo(Status.OPEN);
        assertThat(auditActions()).isEmpty();
    }

    @Test
    void outsideAUnitEachStoreCommitsOnItsOwn() {
        assertThatThrownBy(() -> {
            approveAndAudit();
            throw new IllegalStateException("no unit to undo anything");
        }).isInstanceOf(IllegalStateException.class);

        assertThat(status()).isEqualTo(Status.APPROVED);
        assertThat(auditActions()).containsExactly("recommendation.approve");
    }

    private boolean approveAndAudit() {
        boolean updated = stores().recommendationStore().update(
                open.decided(Status.APPROVED, "ana", T0, "fine", null), Status.OPEN);
        stores().eventStore().inTransaction(tx -> {
            tx.appendAudit(new AuditEntry(Ids.newId(T0), tenant, T0, "ana", "recommendation.approve", "recommendation",
                    open.id().toString(), ""));
            return null;
        });
        return updated;
    }

    private Status status() {
        return stores().recommendationStore().find(tenant, open.id()).orElseThrow().status();
    }

    private java.util.List<String> auditActions() {
        return stores().eventStore().auditLog(tenant, 10, null).items().stream().map(AuditEntry::action).toList();
    }
}
