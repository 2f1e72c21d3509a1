package io.onloop.adapters.store.jdbc;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

/**
 * Replaces event_labels (one row per label keyed by tenant, name and value) with event_label_keys
 * (one row per label keyed by a 64-bit hash, {@link LabelKeys}), copying every existing label. Java,
 * not SQL, because the key is SHA-256 computed the same way the store computes it.
 */
public class V6__event_label_keys extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE event_label_keys (label_key BIGINT NOT NULL, event_id UUID NOT NULL,"
                    + " PRIMARY KEY (label_key, event_id))");
        }
        try (Statement read = c.createStatement();
             PreparedStatement write = c.prepareStatement("INSERT INTO event_label_keys (label_key, event_id) VALUES (?, ?)")) {
            read.setFetchSize(1000);
            int pending = 0;
            try (ResultSet rs = read.executeQuery("SELECT tenant_id, event_id, label_name, label_value FROM event_labels")) {
                while (rs.next()) {
                    write.setLong(1, LabelKeys.key(rs.getString(1), rs.getString(3), rs.getString(4)));
                    write.setObject(2, rs.getObject(2, UUID.class));
                    write.addBatch();
                    if (++pending == 1000) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE event_labels");
        }
    }
}
