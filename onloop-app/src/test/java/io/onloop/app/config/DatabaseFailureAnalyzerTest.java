package io.onloop.app.config;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.mock.env.MockEnvironment;

import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DatabaseFailureAnalyzerTest {

    @Test
    void aDatabaseThatCannotBeReachedIsReportedWithItsUrlAndWhatToCheck() {
        String url = "jdbc:postgresql://127.0.0.1:1/onloop?user=onloop&password=s3cret";
        // the real driver's failure, as deep in the start's bean errors as it was found
        SQLException refused = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url));
        var failure = new BeanCreationException("ingestFilter", new BeanCreationException("jdbcStores",
                new IllegalStateException("cannot connect to the database: " + refused.getMessage(), refused)));
        var analysis = new DatabaseFailureAnalyzer(new MockEnvironment().withProperty("spring.datasource.url", url))
                .analyze(failure);
        assertThat(analysis.getDescription()).startsWith("onloop could not open its database jdbc:postgresql://127.0.0.1:1/onloop: ")
                .contains("Connection to 127.0.0.1:1 refused").doesNotContain("s3cret");
        assertThat(analysis.getAction()).contains("spring.datasource.url", "spring.datasource.password");
        assertThat(analysis.getCause()).isSameAs(refused);
    }

    @Test
    void theEmbeddedDatabasePointsAtTheDataDirectoryAndOtherFailuresAreLeftToOthers() {
        var environment = new MockEnvironment().withProperty("onloop.data-dir", "/var/lib/onloop")
                .withProperty("spring.datasource.url", "jdbc:h2:file:/var/lib/onloop/onloop;PASSWORD=x;LOCK_TIMEOUT=10000");
        var analyzer = new DatabaseFailureAnalyzer(environment);
        var analysis = analyzer.analyze(new IllegalStateException("x",
                new SQLException("Database may be already in use", "90020", 90020)));
        assertThat(analysis.getDescription())
                .isEqualTo("onloop could not open its database jdbc:h2:file:/var/lib/onloop/onloop: Database may be already in use");
        assertThat(analysis.getAction()).contains("onloop.data-dir (/var/lib/onloop)");
        assertThat(analyzer.analyze(new BeanCreationException("x", new IllegalStateException("port in use")))).isNull();
        // the database opened, and a migration failed: that report names the migration, not "is the server up?"
        assertThat(analyzer.analyze(new IllegalStateException("Migration V14 failed",
                new SQLException("relation \"deliveries\" does not exist", "42P01")))).isNull();
    }
}
