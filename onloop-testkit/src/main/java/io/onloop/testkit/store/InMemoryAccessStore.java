package io.onloop.testkit.store;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.access.User;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link AccessStore} in memory, passing the same {@link AccessStoreContract} as the JDBC store:
 * a duplicate id, username or token hash fails with {@link IllegalStateException}, a row naming an
 * unknown tenant with {@link IllegalArgumentException}; instants are kept at microsecond precision.
 */
public final class InMemoryAccessStore implements AccessStore {
    private final Map<String, Tenant> tenants = new LinkedHashMap<>();
    private final Map<UUID, User> users = new LinkedHashMap<>();
    private final Map<UUID, ApiToken> tokens = new LinkedHashMap<>();
    private final Map<UUID, IngestSource> sources = new LinkedHashMap<>();

    @Override
    public synchronized void createTenant(Tenant tenant) {
        if (tenants.containsKey(tenant.id())) {
            throw new IllegalStateException("tenant already exists");
        }
        tenants.put(tenant.id(), new Tenant(tenant.id(), tenant.name(), micros(tenant.createdAt())));
    }

    @Override
    public synchronized Optional<Tenant> findTenant(String id) {
        return Optional.ofNullable(tenants.get(id));
    }

    @Override
    public synchronized List<Tenant> tenants() {
        return tenants.values().stream()
                .sorted(Comparator.comparing(Tenant::createdAt).thenComparing(Tenant::id)).toList();
    }

    @Override
    public synchronized void createUser(User u) {
        requireTenant(u.tenantId());
        if (users.containsKey(u.id()) || users.values().stream().anyMatch(x -> x.username().equals(u.username()))) {
            throw new IllegalStateException("user already exists");
        }
        users.put(u.id(), new User(u.id(), u.tenantId(), u.username(), u.passwordHash(), u.role(), u.disabled(),
                micros(u.createdAt())));
    }

    @Override
    public synchronized Optional<User> findUserByName(String username) {
        return users.values().stream().filter(u -> u.username().equals(username)).findFirst();
    }

    @Override
    public synchronized Optional<User> findUserByNameIgnoringCase(String username) {
        return users.values().stream().filter(u -> u.username().equalsIgnoreCase(username)).findFirst();
    }

    @Override
    public synchronized List<User> users(String tenantId) {
        return users.values().stream().filter(u -> u.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(User::username)).toList();
    }

    @Override
    public synchronized void createToken(ApiToken t) {
        requireTenant(t.tenantId());
        if (tokens.containsKey(t.id()) || tokens.values().stream().anyMatch(x -> x.tokenHash().equals(t.tokenHash()))) {
            throw new IllegalStateException("token already exists");
        }
        tokens.put(t.id(), new ApiToken(t.id(), t.tenantId(), t.name(), t.tokenHash(), t.role(), micros(t.createdAt()),
                micros(t.expiresAt()), t.revoked()));
    }

    @Override
    public synchronized Optional<ApiToken> findTokenByHash(String tokenHash) {
        return tokens.values().stream().filter(t -> t.tokenHash().equals(tokenHash)).findFirst();
    }

    @Override
    public synchronized List<ApiToken> tokens(String tenantId) {
        return sorted(tokens.values().stream().filter(t -> t.tenantId().equals(tenantId)).toList(),
                Comparator.comparing(ApiToken::createdAt));
    }

    @Override
    public synchronized boolean setUserDisabled(String tenantId, UUID id, boolean disabled) {
        User u = users.get(id);
        if (u == null || !u.tenantId().equals(tenantId)) {
            return false;
        }
        users.put(id, new User(u.id(), u.tenantId(), u.username(), u.passwordHash(), u.role(), disabled, u.createdAt()));
        return true;
    }

    @Override
    public synchronized boolean revokeToken(String tenantId, UUID id) {
        ApiToken t = tokens.get(id);
        if (t == null || !t.tenantId().equals(tenantId)) {
            return false;
        }
        tokens.put(id, new ApiToken(t.id(), t.tenantId(), t.name(), t.tokenHash(), t.role(), t.createdAt(),
                t.expiresAt(), true));
        return true;
    }

    @Override
    public synchronized void createSource(IngestSource s) {
        requireTenant(s.tenantId());
        if (sources.containsKey(s.id()) || sources.values().stream().anyMatch(x -> x.tokenHash().equals(s.tokenHash()))) {
            throw new IllegalStateException("source already exists");
        }
        sources.put(s.id(), new IngestSource(s.id(), s.tenantId(), s.format(), s.name(), s.tokenHash(),
                s.verifySignatures(), s.topicArns(), micros(s.createdAt())));
    }

    @Override
    public synchronized boolean setSourceTopics(String tenantId, UUID id, List<String> topicArns) {
        IngestSource s = sources.get(id);
        if (s == null || !s.tenantId().equals(tenantId)) {
            return false;
        }
        sources.put(id, s.withTopicArns(topicArns));
        return true;
    }

    @Override
    public synchronized Optional<IngestSource> findSourceByTokenHash(String tokenHash) {
        return sources.values().stream().filter(s -> s.tokenHash().equals(tokenHash)).findFirst();
    }

    @Override
    public synchronized List<IngestSource> sources(String tenantId) {
        return sorted(sources.values().stream().filter(s -> s.tenantId().equals(tenantId)).toList(),
                Comparator.comparing(IngestSource::createdAt));
    }

    @Override
    public synchronized boolean deleteSource(String tenantId, UUID id) {
        IngestSource s = sources.get(id);
        if (s == null || !s.tenantId().equals(tenantId)) {
            return false;
        }
        sources.remove(id);
        return true;
    }

    private void requireTenant(String tenantId) {
        if (!tenants.containsKey(tenantId)) {
            throw new IllegalArgumentException("unknown tenant " + tenantId);
        }
    }

    private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
        List<T> out = new ArrayList<>(list);
        out.sort(order);
        return out;
    }

    private static Instant micros(Instant t) {
        return InMemoryEventStore.micros(t);
    }
}
