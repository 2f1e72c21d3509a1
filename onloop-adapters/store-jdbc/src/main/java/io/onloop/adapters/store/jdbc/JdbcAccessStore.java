package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.access.User;
import io.onloop.domain.event.SourceType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link AccessStore} over plain JDBC. Each call is its own (autocommit) statement.
 * A duplicate (id, username, token hash) fails with {@link IllegalStateException}; a row naming a
 * tenant that does not exist fails with {@link IllegalArgumentException}.
 */
final class JdbcAccessStore implements AccessStore {
    private static final String USER_COLUMNS = "id, tenant_id, username, password_hash, role, disabled, created_at";
    private static final String TOKEN_COLUMNS = "id, tenant_id, name, token_hash, role, created_at, expires_at, revoked";
    private static final String SOURCE_COLUMNS = "id, tenant_id, format, name, token_hash, verify_signatures, topic_arns, created_at";

    private final DataSource dataSource;

    JdbcAccessStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void createTenant(Tenant t) {
        insert("tenant", "INSERT INTO tenants (id, name, created_at) VALUES (?,?,?)",
                List.of(t.id(), t.name(), t.createdAt()));
    }

    @Override
    public Optional<Tenant> findTenant(String id) {
        return read(c -> JdbcEventStore.one(c, "SELECT id, name, created_at FROM tenants WHERE id = ?", List.of(id),
                JdbcAccessStore::tenant));
    }

    @Override
    public List<Tenant> tenants() {
        return read(c -> JdbcEventStore.list(c, "SELECT id, name, created_at FROM tenants ORDER BY created_at, id",
                List.of(), JdbcAccessStore::tenant));
    }

    @Override
    public void createUser(User u) {
        insert("user", "INSERT INTO users (" + USER_COLUMNS + ") VALUES (?,?,?,?,?,?,?)",
                List.of(u.id(), u.tenantId(), u.username(), u.passwordHash(), u.role().id(), u.disabled(), u.createdAt()));
    }

    @Override
    public Optional<User> findUserByName(String username) {
        return read(c -> JdbcEventStore.one(c, "SELECT " + USER_COLUMNS + " FROM users WHERE username = ?",
                List.of(username), JdbcAccessStore::user));
    }

    @Override
    public Optional<User> findUserByNameIgnoringCase(String username) {
        // LOWER is the same in both databases for ASCII, and names are ASCII; few users, so no index.
        return read(c -> JdbcEventStore.one(c, "SELECT " + USER_COLUMNS + " FROM users WHERE LOWER(username) = ?",
                List.of(username.toLowerCase(java.util.Locale.ROOT)), JdbcAccessStore::user));
    }

    @Override
    public List<User> users(String tenantId) {
        return read(c -> JdbcEventStore.list(c, "SELECT " + USER_COLUMNS + " FROM users WHERE tenant_id = ? ORDER BY username",
                List.of(tenantId), JdbcAccessStore::user));
    }

    @Override
    public void createToken(ApiToken t) {
        insert("token", "INSERT INTO api_tokens (" + TOKEN_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)",
                List.of(t.id(), t.tenantId(), t.name(), t.tokenHash(), t.role().id(), t.createdAt(),
                        Sql.timeOrNull(t.expiresAt()), t.revoked()));
    }

    @Override
    public Optional<ApiToken> findTokenByHash(String tokenHash) {
        return read(c -> JdbcEventStore.one(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE token_hash = ?",
                List.of(tokenHash), JdbcAccessStore::token));
    }

    @Override
    public List<ApiToken> tokens(String tenantId) {
        return read(c -> JdbcEventStore.list(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE tenant_id = ?"
                + " ORDER BY created_at, id", List.of(tenantId), JdbcAccessStore::token));
    }

    @Override
    public boolean setUserDisabled(String tenantId, UUID id, boolean disabled) {
        return read(c -> JdbcEventStore.update(c, "UPDATE users SET disabled = ? WHERE tenant_id = ? AND id = ?",
                List.of(disabled, tenantId, id))) == 1;
    }

    @Override
    public boolean revokeToken(String tenantId, UUID id) {
        return read(c -> JdbcEventStore.update(c, "UPDATE api_tokens SET revoked = TRUE WHERE tenant_id = ? AND id = ?",
                List.of(tenantId, id))) == 1;
    }

    @Override
    public void createSource(IngestSource s) {
        insert("source", "INSERT INTO ingest_sources (" + SOURCE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)",
                List.of(s.id(), s.tenantId(), s.format().id(), s.name(), s.tokenHash(), s.verifySignatures(),
                        joinLines(s.topicArns()), s.createdAt()));
    }

    @Override
    public Optional<IngestSource> findSourceByTokenHash(String tokenHash) {
        return read(c -> JdbcEventStore.one(c, "SELECT " + SOURCE_COLUMNS + " FROM ingest_sources WHERE token_hash = ?",
                List.of(tokenHash), JdbcAccessStore::source));
    }

    @Override
    public List<IngestSource> sources(String tenantId) {
        return read(c -> JdbcEventStore.list(c, "SELECT " + SOURCE_COLUMNS + " FROM ingest_sources WHERE tenant_id = ?"
                + " ORDER BY created_at, id", List.of(tenantId), JdbcAccessStore::source));
    }

    @Override
    public boolean setSourceTopics(String tenantId, UUID id, List<String> topicArns) {
        return read(c -> JdbcEventStore.update(c, "UPDATE ingest_sources SET topic_arns = ? WHERE tenant_id = ? AND id = ?",
                List.of(joinLines(topicArns), tenantId, id))) == 1;
    }

    @Override
    public boolean deleteSource(String tenantId, UUID id) {
        return read(c -> JdbcEventStore.update(c, "DELETE FROM ingest_sources WHERE tenant_id = ? AND id = ?",
                List.of(tenantId, id))) == 1;
    }

    private void insert(String what, String sql, List<?> params) {
        try (Connection c = dataSource.getConnection()) {
            JdbcEventStore.update(c, sql, params);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.equals("23505")) {
                throw new IllegalStateException(what + " already exists", e);
            }
            if (state.startsWith("23")) { // H2 says 23506, PostgreSQL 23503: the tenant does not exist
                throw new IllegalArgumentException(what + " violates a constraint (unknown tenant?): " + e.getMessage(), e);
            }
            throw JdbcEventStore.failure("cannot create " + what, e);
        }
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("access store failed", e);
        }
    }

    private static Tenant tenant(ResultSet rs) throws SQLException {
        return new Tenant(rs.getString("id"), rs.getString("name"), Sql.instant(rs, "created_at"));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(Sql.uuid(rs, "id"), rs.getString("tenant_id"), rs.getString("username"),
                rs.getString("password_hash"), Role.fromId(rs.getString("role")), rs.getBoolean("disabled"),
                Sql.instant(rs, "created_at"));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(Sql.uuid(rs, "id"), rs.getString("tenant_id"), rs.getString("name"),
                rs.getString("token_hash"), Role.fromId(rs.getString("role")), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"), rs.getBoolean("revoked"));
    }

    private static IngestSource source(ResultSet rs) throws SQLException {
        return new IngestSource(Sql.uuid(rs, "id"), rs.getString("tenant_id"),
                SourceType.fromId(rs.getString("format")).orElseThrow(), rs.getString("name"),
                rs.getString("token_hash"), rs.getBoolean("verify_signatures"), splitLines(rs.getString("topic_arns")),
                Sql.instant(rs, "created_at"));
    }

    /** Topics are stored one per line (an ARN holds no line break); none is the empty string. */
    private static String joinLines(List<String> topics) {
        return String.join("\n", topics);
    }

    private static List<String> splitLines(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
