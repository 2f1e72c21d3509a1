package io.onloop.app.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * PostgreSQL connections plan every statement with its actual values ({@code prepareThreshold=0}) unless
 * the URL says otherwise. With pgjdbc's default, a statement run five times becomes a server-side
 * prepared statement whose generic plan can be fixed while the tables are still new and small: a
 * sequential scan, kept for the connection's life and paid on every row version as the tables grow.
 * On the ingest benchmark that made storing about eight times slower (docs/benchmarks.md). The store's batch
 * statements are prepared once all the same, in a way that avoids that trap (JdbcEventStore, prepareOnce),
 * unless the URL sets prepareThreshold; one set among Hikari's data-source properties is moved into the URL. And
 * PostgreSQL ends a session left idle in a transaction ({@link #ABANDONED_TRANSACTIONS}) unless {@code options} is set.
 * Batched inserts are sent as multi-row inserts ({@code reWriteBatchedInserts}) unless the URL or the properties say.
 */
public final class PostgresConnections implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource ds) {
            configure(ds);
        }
        return bean;
    }

    /**
     * A session of onloop's left idle in a transaction for this long is ended by PostgreSQL, and its locks with it.
     * onloop's transactions do not wait between statements; a session that does belongs to an instance that died
     * (a host crash, a network partition) while its connection stayed open, and held its incidents' locks, so that the
     * instance started in its place waited on them without end and stored nothing.
     */
    static final String ABANDONED_TRANSACTIONS = "-c idle_in_transaction_session_timeout=60s";

    static void configure(HikariDataSource ds) {
        String url = ds.getJdbcUrl();
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return;
        }
        if (!url.contains("options=") && !ds.getDataSourceProperties().containsKey("options")) {
            ds.addDataSourceProperty("options", ABANDONED_TRANSACTIONS);
        }
        if (!url.contains("reWriteBatchedInserts") && !ds.getDataSourceProperties().containsKey("reWriteBatchedInserts")) {
            // the ingest writer's batches of inserts go as multi-row INSERTs, not one statement per row
            ds.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        if (url.contains("prepareThreshold")) {
            return;
        }
        Object chosen = ds.getDataSourceProperties().remove("prepareThreshold");
        if (chosen == null) {
            ds.addDataSourceProperty("prepareThreshold", "0");
        } else {
            // an operator's own setting goes into the URL, which is where the event store looks for it
            ds.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "prepareThreshold=" + chosen);
        }
    }
}
