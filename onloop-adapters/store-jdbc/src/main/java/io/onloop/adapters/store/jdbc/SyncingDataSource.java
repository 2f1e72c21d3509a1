package io.onloop.adapters.store.jdbc;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Makes embedded H2's commits durable. H2 2.x writes a commit into its file (in the background, within
 * WRITE_DELAY) but does not force the file to the disk (only a checkpoint, a clean shutdown and moving
 * chunks while compacting do), so a power cut or a kernel crash could take back writes that were
 * answered 2xx, and journal segments released after being stored. Here a connection that prepared a
 * writing statement forces the file ({@link H2Force}) when it is closed, which the stores do before
 * they return: one fsync per API change. The ingest applier's transactions bypass this and are
 * forced together, at most once a second, before the journal may reclaim them
 * ({@link JdbcEventStore#inTransactionForcedLater}). PostgreSQL needs none of this: it flushes its
 * write-ahead log at every commit (unless {@code synchronous_commit} is turned off).
 * <p>
 * A JDBC proxy rather than a call after every write: the stores write in dozens of places, and a
 * missed one would be silently less durable.
 */
final class SyncingDataSource {

    private SyncingDataSource() {
    }

    static DataSource wrap(DataSource dataSource) {
        return (DataSource) Proxy.newProxyInstance(SyncingDataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    return result instanceof Connection c ? syncing(c) : result;
                });
    }

    private static Connection syncing(Connection connection) {
        return (Connection) Proxy.newProxyInstance(SyncingDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new SyncOnClose(connection));
    }

    private static final class SyncOnClose implements InvocationHandler {
        private final Connection connection;
        private boolean wrote;

        SyncOnClose(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                // a statement without its SQL up front might write
                case "createStatement" -> wrote = true;
                case "prepareStatement", "prepareCall" -> wrote |= writes((String) args[0]);
                case "close" -> {
                    if (wrote && !connection.isClosed()) {
                        wrote = false;
                        try (connection) {
                            H2Force.force(connection);
                        } catch (SQLException e) {
                            throw new NotForcedException(e);
                        }
                        return null;
                    }
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                }
            }
            return SyncingDataSource.invoke(connection, method, args);
        }

        private static boolean writes(String sql) {
            return !sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("SELECT");
        }
    }

    /** What was committed on this connection may not be on the disk (the connection is closed all the same). */
    static final class NotForcedException extends SQLException {
        NotForcedException(SQLException cause) {
            super("committed, but H2 could not force it to the disk: " + cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
