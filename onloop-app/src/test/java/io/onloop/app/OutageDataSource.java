package io.onloop.app;

import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A real H2 database whose connections can be cut off, as when the database host is unreachable. */
public final class OutageDataSource extends HikariDataSource {
    public volatile boolean down;

    public OutageDataSource(Path dir) {
        setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop"));
        setUsername("sa");
        setPassword("");
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("database unreachable (test)"); // as Hikari's timeout
        }
        return super.getConnection();
    }
}
