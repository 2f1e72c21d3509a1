package io.onloop.app.api;

import io.onloop.app.AppTestBase;
import io.onloop.app.RoundTrip;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The round trip on the embedded H2 store; {@link PostgresRoundTripTest} runs the same on PostgreSQL. */
class H2RoundTripTest extends AppTestBase {

    @Test
    void ingestToIncidentToAcknowledgeAndResolve() {
        assertThat(RoundTrip.run(http, ADMIN_TOKEN)).containsExactlyElementsOf(RoundTrip.EXPECTED);
    }

    @Test
    void halfAnEmojiIsStoredAsAReplacementCharacterAndItsAlertResolves() {
        RoundTrip.halfAnEmoji(http, ADMIN_TOKEN);
    }
}
