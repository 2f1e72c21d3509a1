package io.onloop.adapters.store.jdbc;

import io.onloop.domain.store.NotDurableException;
import io.onloop.domain.store.Transactions;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * {@link Transactions} for the JDBC stores: while {@link #inOne} runs, every connection the stores take from
 * {@link #dataSource()} on that thread is the one connection of its transaction. The stores' own transaction calls
 * on it ({@code setAutoCommit}, {@code commit}, {@code close}) then do nothing, so each store's code stays as it is,
 * and what they write is committed once, at the end. A store's {@code rollback} undoes everything at once and
 * makes the whole unit fail, even if that store goes on, as does a statement that failed on PostgreSQL.
 * <p>
 * By hand rather than Spring's transaction-aware data source: the stores live outside Spring, and that one passes
 * a store's own commit through, which would commit half of the work.
 */
final class JdbcTransactions implements Transactions {
    private static final System.Logger LOG = System.getLogger(JdbcTransactions.class.getName());

    private final DataSource target;
    private final DataSource dataSource;
    private final ThreadLocal<Unit> current = new ThreadLocal<>();

    JdbcTransactions(DataSource target) {
        this.target = target;
        this.dataSource = (DataSource) Proxy.newProxyInstance(JdbcTransactions.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Unit unit = current.get();
                    if (unit != null && method.getName().equals("getConnection")) {
                        return unit.joined;
                    }
                    return invoke(target, method, args);
                });
    }

    /** What the stores take their connections from. */
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public <T> T inOne(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        Connection c;
        try {
            c = target.getConnection();
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("no database connection", e);
        }
        Unit unit = new Unit(c);
        current.set(unit);
        T result;
        try {
            result = work.get();
            if (unit.rolledBack || failedOnPostgres(c)) {
                throw new JdbcStoreException("part of the change failed, so none of it was made");
            }
            c.commit();
        } catch (SQLException e) {
            rollback(c, e);
            close(c, false);
            throw JdbcEventStore.failure("transaction failed", e);
        } catch (RuntimeException | Error e) {
            rollback(c, e);
            close(c, false);
            throw e;
        } finally {
            current.remove();
        }
        close(c, true);
        return result;
    }

    /**
     * A statement that failed inside the work, its failure caught and the work gone on: PostgreSQL then ignores the
     * rest and answers the commit with a rollback, which pgjdbc does not report by default. (H2 keeps the rest.)
     */
    private static boolean failedOnPostgres(Connection c) throws SQLException {
        return c.isWrapperFor(BaseConnection.class)
                && c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** As {@link JdbcEventStore}: once committed, only a failure to put it on the disk is reported. */
    private static void close(Connection c, boolean committed) {
        try (c) {
            c.setAutoCommit(true);
        } catch (SyncingDataSource.NotForcedException e) {
            if (committed) {
                throw new NotDurableException("change committed but not forced to the disk", e);
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not return a connection cleanly: SQLState " + e.getSQLState());
        }
    }

    /** The transaction's connection, and the face of it the stores see. */
    private static final class Unit {
        final Connection joined;
        boolean rolledBack;

        Unit(Connection connection) {
            this.joined = (Connection) Proxy.newProxyInstance(JdbcTransactions.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "close", "commit", "setAutoCommit" -> null;
                        case "isClosed" -> false;
                        case "rollback" -> {
                            rolledBack = true;
                            yield invoke(connection, method, args);
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> invoke(connection, method, args);
                    });
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
