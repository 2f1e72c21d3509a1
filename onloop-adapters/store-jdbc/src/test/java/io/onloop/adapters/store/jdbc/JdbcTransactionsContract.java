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
     * A failed statement undoes only itself, on both databases (PostgreSQL would otherwise ignore the rest and
     * answer the commit with a rollback): a store may catch it and go on, as the runbook store does after a race.
     */
    @Test
    void aFailedStatementTheWorkCaughtUndoesOnlyItself() {
        var user = new User(Ids.newId(T0), tenant, "ana", "hash", Role.APPROVER, false, T0);
        stores().accessStore().createUser(user);

        stores().transactions().inOne(() -> {
            assertThatThrownBy(() -> stores().accessStore().createUser(user)) // taken: the insert fails
                    .isInstanceOf(IllegalStateException.class);
            return approveAndAudit();
        });

        assertThat(status()).isEqualTo(Status.APPROVED);
        assertThat(auditActions()).containsExactly("recommendation.approve");
        assertThat(stores().accessStore().users(tenant)).hasSize(1);
    }

    @Test
    void aStoreMayGoOnWithTheSameConnectionAfterAStatementFailed() throws Exception {
        var user = new User(Ids.newId(T0), tenant, "bo", "hash", Role.APPROVER, false, T0);
        stores().accessStore().createUser(user);
        stores().transactions().inOne(() -> {
            try (var c = ((JdbcTransactions) stores().transactions()).dataSource().getConnection();
                 var insert = c.prepareStatement("INSERT INTO users (id, tenant_id, username, password_hash, role,"
                         + " disabled, created_at) VALUES (?, ?, 'bo', 'h', 'viewer', FALSE, ?)")) {
                insert.setObject(1, user.id()); // taken: fails, as a store's insert that lost a race
                insert.setString(2, tenant);
                insert.setObject(3, java.time.OffsetDateTime.now());
                assertThatThrownBy(insert::executeUpdate).isInstanceOf(java.sql.SQLException.class);
                try (var update = c.prepareStatement("UPDATE users SET role = 'admin' WHERE id = ?")) {
                    update.setObject(1, user.id()); // and then updates instead, on the same connection
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return approveAndAudit();
        });

        assertThat(stores().accessStore().users(tenant)).singleElement()
                .satisfies(u -> assertThat(u.role()).isEqualTo(Role.ADMIN));
        assertThat(status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void aStoreThatRollsBackUndoesTheWholeUnit() {
        assertThatThrownBy(() -> stores().transactions().inOne(() -> {
            approveAndAudit();
            try (var c = ((JdbcTransactions) stores().transactions()).dataSource().getConnection()) {
                c.rollback(); // as a store does before it rethrows; this work goes on regardless
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return null;
        })).isInstanceOf(JdbcStoreException.class).hasMessageContaining("none of it was made");

        assertThat(status()).isEqualTo(Status.OPEN);
        assertThat(auditActions()).isEmpty();
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
    void actionsAfterTheCommitSeeTheChangeAndDoNotRunAfterARollback() {
        var seen = new java.util.ArrayList<Status>();
        stores().transactions().inOne(() -> {
            approveAndAudit();
            stores().transactions().afterCommit(() -> seen.add(statusOnAnotherThread()));
            assertThat(seen).isEmpty();
            return null;
        });
        assertThat(seen).containsExactly(Status.APPROVED);

        assertThatThrownBy(() -> stores().transactions().inOne(() -> {
            stores().transactions().afterCommit(() -> seen.add(Status.REJECTED));
            throw new IllegalStateException("rolled back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(seen).containsExactly(Status.APPROVED);

        stores().transactions().afterCommit(() -> seen.add(Status.OPEN)); // outside a unit: at once
        assertThat(seen).containsExactly(Status.APPROVED, Status.OPEN);
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

    /** As another request would read it: outside this thread's unit. */
    private Status statusOnAnotherThread() {
        try {
            return java.util.concurrent.CompletableFuture.supplyAsync(this::status).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Status status() {
        return stores().recommendationStore().find(tenant, open.id()).orElseThrow().status();
    }

    private java.util.List<String> auditActions() {
        return stores().eventStore().auditLog(tenant, 10, null).items().stream().map(AuditEntry::action).toList();
    }
}
