package io.onloop.adapters.store.jdbc;

import io.onloop.domain.store.NotDurableException;
import io.onloop.domain.store.Transactions;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.AutoSave;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link Transactions} for the JDBC stores: while {@link #inOne} runs, every connection the stores take from
 * {@link #dataSource()} on that thread is the one connection of its transaction. The stores' own transaction calls
 * on it ({@code setAutoCommit}, {@code commit}, {@code close}) then do nothing, so each store's code stays as it is,
 * and what they write is committed once, at the end. A store's {@code rollback} undoes everything at once and
 * makes the whole unit fail, even if that store goes on.
 * <p>
 * A statement that fails (a store may catch that and go on, e.g. update after an insert lost a race) undoes only
 * itself, on both databases: H2 does that by itself; PostgreSQL would ignore the rest of the transaction and answer
 * its commit with a rollback, so there pgjdbc's autosave puts a savepoint before each statement of the unit.
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
        Unit unit = begin();
        current.set(unit);
        T result;
        try {
            result = work.get();
            if (unit.rolledBack) {
                throw new JdbcStoreException("a store undid its part of the change, so none of it was made");
            }
            unit.connection.commit();
        } catch (SQLException e) {
            rollback(unit.connection, e);
            unit.end(false);
            throw JdbcEventStore.failure("transaction failed", e);
        } catch (RuntimeException | Error e) {
            rollback(unit.connection, e);
            unit.end(false);
            throw e;
        } finally {
            current.remove();
        }
        try {
            unit.end(true);
        } finally { // committed: what waits for the commit runs, even if the commit is not on the disk yet
            for (Runnable action : unit.afterCommit) {
                try {
                    action.run();
                } catch (RuntimeException e) { // the change is committed; say so all the same
                    LOG.log(System.Logger.Level.WARNING, "an action after a commit failed", e);
                }
            }
        }
        return result;
    }

    private Unit begin() {
        Connection c;
        try {
            c = target.getConnection();
        } catch (SQLException e) {
            throw JdbcEventStore.failure("no database connection", e);
        }
        try {
            c.setAutoCommit(false);
            PGConnection pg = c.isWrapperFor(PGConnection.class) ? c.unwrap(PGConnection.class) : null;
            AutoSave before = pg == null ? null : pg.getAutosave();
            if (pg != null) {
                pg.setAutosave(AutoSave.ALWAYS);
            }
            return new Unit(c, pg, before);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof SQLException s ? JdbcEventStore.failure("cannot begin a transaction", s) : (RuntimeException) e;
        }
    }

    @Override
    public void afterCommit(Runnable action) {
        Unit unit = current.get();
        if (unit == null) {
            action.run();
        } else {
            unit.afterCommit.add(action);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The transaction's connection, and the face of it the stores see. */
    private static final class Unit {
        final Connection connection;
        final Connection joined;
        /** Null unless PostgreSQL; then the autosave mode to give back. */
        final PGConnection postgres;
        final AutoSave autosaveBefore;
        final List<Runnable> afterCommit = new ArrayList<>();
        boolean rolledBack;

        Unit(Connection connection, PGConnection postgres, AutoSave autosaveBefore) {
            this.connection = connection;
            this.postgres = postgres;
            this.autosaveBefore = autosaveBefore;
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

        /** As {@link JdbcEventStore}: once committed, only a failure to put it on the disk is reported. */
        void end(boolean committed) {
            try (connection) {
                if (postgres != null) {
                    postgres.setAutosave(autosaveBefore);
                }
                connection.setAutoCommit(true);
            } catch (SyncingDataSource.NotForcedException e) {
                if (committed) {
                    throw new NotDurableException("change committed but not forced to the disk", e);
                }
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "could not return a connection cleanly: SQLState " + e.getSQLState());
            }
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
