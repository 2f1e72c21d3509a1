package io.onloop.domain.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIngestorReasonTest {

    @Test
    void aQuarantinedRecordsReasonSaysWhatEachCauseSaid() {
        var cause = new IllegalStateException("insert failed",
                new java.sql.SQLDataException("Value too long for column \"TITLE\""));

        assertThat(EventIngestor.reason(cause)).isEqualTo("java.lang.IllegalStateException: insert failed; caused by "
                + "java.sql.SQLDataException: Value too long for column \"TITLE\"");
    }

    @Test
    void aLongReasonIsCut() {
        assertThat(EventIngestor.reason(new IllegalStateException("x".repeat(10_000)))).hasSize(4003).endsWith("...");
    }
}
