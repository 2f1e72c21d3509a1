package io.onloop.app.config;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresConnectionsTest {

    static HikariDataSource ds(String url) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        return ds;
    }

    @Test
    void postgresPlansEachStatementWithItsValuesUnlessTheUrlSaysOtherwise() {
        HikariDataSource pg = ds("jdbc:postgresql://127.0.0.1:5432/onloop");
        new PostgresConnections().postProcessBeforeInitialization(pg, "dataSource");
        assertThat(pg.getDataSourceProperties()).containsEntry("prepareThreshold", "0");

        HikariDataSource chosen = ds("jdbc:postgresql://127.0.0.1:5432/onloop?prepareThreshold=5");
        new PostgresConnections().postProcessBeforeInitialization(chosen, "dataSource");
        assertThat(chosen.getDataSourceProperties()).doesNotContainKey("prepareThreshold");

        // behind a PgBouncer one may set it as a data-source property: it moves into the URL, where the event
        // store's batches look for it (PostgresFlushStatementsTest.aUrlThatSetsPrepareThresholdIsObeyed)
        HikariDataSource property = ds("jdbc:postgresql://127.0.0.1:5432/onloop?sslmode=disable");
        property.addDataSourceProperty("prepareThreshold", "0");
        new PostgresConnections().postProcessBeforeInitialization(property, "dataSource");
        assertThat(property.getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/onloop?sslmode=disable&prepareThreshold=0");
        assertThat(property.getDataSourceProperties()).doesNotContainKey("prepareThreshold");

        assertThat(pg.getDataSourceProperties()).containsEntry("options", "-c idle_in_transaction_session_timeout=60s");
        assertThat(pg.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "true");
        HikariDataSource rowByRow = ds("jdbc:postgresql://127.0.0.1:5432/onloop?reWriteBatchedInserts=false");
        new PostgresConnections().postProcessBeforeInitialization(rowByRow, "dataSource");
        assertThat(rowByRow.getDataSourceProperties()).doesNotContainKey("reWriteBatchedInserts");
        HikariDataSource own = ds("jdbc:postgresql://127.0.0.1:5432/onloop?options=-c%20search_path%3Dx");
        new PostgresConnections().postProcessBeforeInitialization(own, "dataSource");
        assertThat(own.getDataSourceProperties()).as("an operator's options are theirs").doesNotContainKey("options");

        HikariDataSource h2 = ds("jdbc:h2:mem:x");
        new PostgresConnections().postProcessBeforeInitialization(h2, "dataSource");
        assertThat(h2.getDataSourceProperties()).isEmpty();
    }
}
