package io.onloop.testkit.store;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.access.User;
import io.onloop.domain.event.SourceType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link AccessStore} must do. A duplicate id, username or token hash fails with
 * {@link IllegalStateException}; a user, token or source naming an unknown tenant fails with
 * {@link IllegalArgumentException}. Instants are kept at microsecond precision.
 * Every test invents its own tenants and names, so {@link #store()} may return a shared store.
 */
public abstract class AccessStoreContract {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.654321Z");

    /** The store under test. */
    protected abstract AccessStore store();

    protected AccessStore store;
    private String a;
    private String b;

    @BeforeEach
    void openStore() {
        store = store();
        a = tenant("Alpha");
        b = tenant("Beta");
    }

    private String tenant(String name) {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 13);
        store.createTenant(new Tenant(id, name, T0));
        return id;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void tenantsAreCreatedFoundAndListed() {
        assertThat(store.findTenant(a)).contains(new Tenant(a, "Alpha", T0));
        assertThat(store.findTenant("no-such-tenant")).isEmpty();
        assertThat(store.tenants()).contains(new Tenant(a, "Alpha", T0), new Tenant(b, "Beta", T0));
        assertThatThrownBy(() -> store.createTenant(new Tenant(a, "Again", T0))).isInstanceOf(IllegalStateException.class);
        Instant precise = T0.plusNanos(999); // below a microsecond: truncated
        String c = "t-" + UUID.randomUUID().toString().substring(0, 13);
        store.createTenant(new Tenant(c, "Gamma ☃", precise));
        assertThat(store.findTenant(c)).contains(new Tenant(c, "Gamma ☃", T0));
    }

    @Test
    void usernamesAreUniqueAcrossTenants() {
        String name = unique("alice");
        User alice = new User(UUID.randomUUID(), a, name, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Role.ADMIN, false, T0);
        store.createUser(alice);
        assertThat(store.findUserByName(name)).contains(alice);
        assertThat(store.findUserByName(unique("nobody"))).isEmpty();
        assertThat(store.findUserByName(name.toUpperCase(java.util.Locale.ROOT))).isEmpty();
        assertThat(store.findUserByNameIgnoringCase(name.toUpperCase(java.util.Locale.ROOT))).contains(alice);
        assertThat(store.findUserByNameIgnoringCase(unique("nobody"))).isEmpty();
        assertThatThrownBy(() -> store.createUser(new User(UUID.randomUUID(), b, name, "x", Role.VIEWER, false, T0)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.createUser(new User(UUID.randomUUID(), "no-such-tenant", unique("x"), "x",
                Role.VIEWER, false, T0))).isInstanceOf(IllegalArgumentException.class);

        User bob = new User(UUID.randomUUID(), b, unique("bob"), "hash", Role.RESPONDER, true, T0);
        store.createUser(bob);
        assertThat(store.users(a)).containsExactly(alice);
        assertThat(store.users(b)).containsExactly(bob);
    }

    @Test
    void usersAreDisabledAndEnabledOnlyInTheirTenant() {
        User carol = new User(UUID.randomUUID(), a, unique("carol"), "hash", Role.ADMIN, false, T0);
        store.createUser(carol);
        assertThat(store.setUserDisabled(b, carol.id(), true)).isFalse();
        assertThat(store.findUserByName(carol.username()).orElseThrow().disabled()).isFalse();
        assertThat(store.setUserDisabled(a, carol.id(), true)).isTrue();
        assertThat(store.findUserByName(carol.username()).orElseThrow().disabled()).isTrue();
        assertThat(store.setUserDisabled(a, carol.id(), false)).isTrue();
        assertThat(store.findUserByName(carol.username()).orElseThrow().disabled()).isFalse();
        assertThat(store.setUserDisabled(a, UUID.randomUUID(), true)).isFalse();
    }

    @Test
    void tokensAreFoundByHashListedPerTenantAndRevokedOnlyInTheirTenant() {
        String hash = unique("sha256");
        ApiToken token = new ApiToken(UUID.randomUUID(), a, "ci", hash, Role.RESPONDER, T0, null, false);
        ApiToken expiring = new ApiToken(UUID.randomUUID(), a, "temp", unique("sha256"), Role.VIEWER, T0.plusSeconds(1),
                T0.plusSeconds(3600), false);
        ApiToken other = new ApiToken(UUID.randomUUID(), b, "ci", unique("sha256"), Role.ADMIN, T0, null, false);
        store.createToken(token);
        store.createToken(expiring);
        store.createToken(other);

        assertThat(store.findTokenByHash(hash)).contains(token);
        assertThat(store.findTokenByHash(unique("nope"))).isEmpty();
        assertThat(store.tokens(a)).containsExactly(token, expiring);
        assertThat(store.tokens(b)).containsExactly(other);
        assertThatThrownBy(() -> store.createToken(new ApiToken(UUID.randomUUID(), b, "same hash", hash, Role.VIEWER,
                T0, null, false))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.createToken(new ApiToken(UUID.randomUUID(), "no-such-tenant", "x",
                unique("h"), Role.VIEWER, T0, null, false))).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.revokeToken(b, token.id())).isFalse(); // another tenant cannot revoke it
        assertThat(store.findTokenByHash(hash).orElseThrow().revoked()).isFalse();
        assertThat(store.revokeToken(a, token.id())).isTrue();
        assertThat(store.findTokenByHash(hash).orElseThrow().revoked()).isTrue();
        assertThat(store.findTokenByHash(hash).orElseThrow().usableAt(T0)).isFalse();
        assertThat(store.revokeToken(a, UUID.randomUUID())).isFalse();
        assertThat(store.findTokenByHash(other.tokenHash()).orElseThrow().revoked()).isFalse();
    }

    @Test
    void sourcesAreFoundByHashListedPerTenantAndDeletedOnlyInTheirTenant() {
        String hash = unique("sha256");
        IngestSource am = new IngestSource(UUID.randomUUID(), a, SourceType.ALERTMANAGER, "prod alertmanager", hash, true,
                List.of(), T0);
        IngestSource sns = new IngestSource(UUID.randomUUID(), a, SourceType.SNS, "sns test", unique("sha256"), false,
                List.of("arn:aws:sns:eu-west-1:123456789012:alarms", "arn:aws-cn:sns:cn-north-1:123456789012:ops.fifo"),
                T0.plusSeconds(1));
        IngestSource other = new IngestSource(UUID.randomUUID(), b, SourceType.AZURE_MONITOR, "azure", unique("sha256"), true,
                List.of(), T0);
        store.createSource(am);
        store.createSource(sns);
        store.createSource(other);

        assertThat(store.findSourceByTokenHash(hash)).contains(am);
        assertThat(store.findSourceByTokenHash(unique("nope"))).isEmpty();
        assertThat(store.sources(a)).containsExactly(am, sns);
        assertThat(store.sources(b)).containsExactly(other);
        assertThatThrownBy(() -> store.createSource(new IngestSource(UUID.randomUUID(), b, SourceType.GENERIC, "dup",
                hash, true, List.of(), T0))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.createSource(new IngestSource(UUID.randomUUID(), "no-such-tenant",
                SourceType.GENERIC, "x", unique("h"), true, List.of(), T0))).isInstanceOf(IllegalArgumentException.class);

        List<String> topics = List.of("arn:aws:sns:us-east-1:123456789012:only-this");
        assertThat(store.setSourceTopics(b, sns.id(), topics)).isFalse(); // nor change it
        assertThat(store.setSourceTopics(a, sns.id(), topics)).isTrue();
        assertThat(store.findSourceByTokenHash(sns.tokenHash()).orElseThrow().topicArns()).isEqualTo(topics);
        assertThat(store.setSourceTopics(a, sns.id(), List.of())).isTrue();
        assertThat(store.findSourceByTokenHash(sns.tokenHash()).orElseThrow().topicArns()).isEmpty();
        assertThat(store.setSourceTopics(a, UUID.randomUUID(), topics)).isFalse();
        assertThat(store.setSourceTopics(a, sns.id(), sns.topicArns())).isTrue();

        assertThat(store.deleteSource(b, am.id())).isFalse(); // another tenant cannot delete it
        assertThat(store.findSourceByTokenHash(hash)).contains(am);
        assertThat(store.deleteSource(a, am.id())).isTrue();
        assertThat(store.findSourceByTokenHash(hash)).isEmpty();
        assertThat(store.deleteSource(a, am.id())).isFalse();
        assertThat(store.sources(a)).containsExactly(sns);
        assertThat(store.sources(b)).containsExactly(other);
    }
}
