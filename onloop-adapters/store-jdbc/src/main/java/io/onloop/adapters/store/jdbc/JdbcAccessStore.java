package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.*;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Work in progress. */
final class JdbcAccessStore implements AccessStore {
    private final DataSource dataSource;

    JdbcAccessStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override public void createTenant(Tenant tenant) { throw new UnsupportedOperationException(); }
    @Override public Optional<Tenant> findTenant(String id) { throw new UnsupportedOperationException(); }
    @Override public List<Tenant> tenants() { throw new UnsupportedOperationException(); }
    @Override public void createUser(User user) { throw new UnsupportedOperationException(); }
    @Override public Optional<User> findUserByName(String username) { throw new UnsupportedOperationException(); }
    @Override public List<User> users(String tenantId) { throw new UnsupportedOperationException(); }
    @Override public void createToken(ApiToken token) { throw new UnsupportedOperationException(); }
    @Override public Optional<ApiToken> findTokenByHash(String tokenHash) { throw new UnsupportedOperationException(); }
    @Override public List<ApiToken> tokens(String tenantId) { throw new UnsupportedOperationException(); }
    @Override public boolean revokeToken(String tenantId, UUID id) { throw new UnsupportedOperationException(); }
    @Override public void createSource(IngestSource source) { throw new UnsupportedOperationException(); }
    @Override public Optional<IngestSource> findSourceByTokenHash(String tokenHash) { throw new UnsupportedOperationException(); }
    @Override public List<IngestSource> sources(String tenantId) { throw new UnsupportedOperationException(); }
    @Override public boolean deleteSource(String tenantId, UUID id) { throw new UnsupportedOperationException(); }
}
