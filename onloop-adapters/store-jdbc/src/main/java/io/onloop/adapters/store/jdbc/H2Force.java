package io.onloop.adapters.store.jdbc;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Forces embedded H2's file to the disk with everything committed before the call in it.
 * <p>
 * Not {@code CHECKPOINT SYNC}: with a WRITE_DELAY, H2's background writer hands commits to H2's own
 * serialization and save threads and returns, and {@code CHECKPOINT SYNC} does not wait for them. It
 * stores only what is still unsaved, and then fsyncs, possibly before a chunk taken a moment earlier is
 * in the file (H2 2.4: {@code MVStore.store} returns at once when nothing is unsaved). So this goes to
 * H2's store itself: store what is unsaved, wait until every chunk already handed to those threads is
 * written ({@code executeFilestoreOperation} drains them), then fsync. H2's own API has no call that
 * does all three.
 */
final class H2Force {

    private H2Force() {
    }

    static void force(Connection connection) throws SQLException {
        if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            // H2 over TCP: its server writes the file, and this is all a client can ask of it
            try (Statement s = connection.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
            return;
        }
        MVStore store = session.getDatabase().getStore().getMvStore();
        try {
            store.commit();
            store.executeFilestoreOperation(() -> { });
            store.sync();
        } catch (MVStoreException e) {
            throw new SQLException(e.getMessage(), e); // the callers say what could not be forced
        }
    }
}
