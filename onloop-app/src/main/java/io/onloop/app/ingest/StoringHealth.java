package io.onloop.app.ingest;

import io.onloop.domain.ingest.EventIngestor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * {@code /actuator/health} is DOWN while storing has been paused for {@link #PAUSED_TOO_LONG} because the store cannot
 * be reached, or has failed that long for any other reason: accepted alerts wait in the journal and no incident moves.
 * Before, health stayed UP while every API call answered 503, for good when the embedded database had closed itself
 * (an out-of-memory in its writer). So it is when nothing has been stored for that long while accepted alerts wait,
 * whatever the reason (a PostgreSQL lock held: the applier waits, and neither fails). It is DOWN at once while writes
 * to the journal fail (a full disk): every alert is
 * refused until one works again. And it is DOWN while the last {@link #QUARANTINED_TOO_MANY} records or more were all set
 * aside, none stored between them: the database refuses every alert (a constraint, a trigger) while it takes other
 * writes, so storing never stalls, and before this health said UP while nothing was stored.
 */
@Component("storing")
class StoringHealth implements HealthIndicator {
    static final Duration PAUSED_TOO_LONG = Duration.ofSeconds(30);
    /** One bad request is set aside and the rest go on; ten in a row with nothing stored between is no accident. */
    static final int QUARANTINED_TOO_MANY = 10;

    private final EventIngestor ingestor;

    StoringHealth(EventIngestor ingestor) {
        this.ingestor = ingestor;
    }

    @Override
    public Health health() {
        Duration refusing = ingestor.acceptingFailingFor();
        if (refusing.isPositive()) {
            return Health.down().withDetail("accepting", "every write to the ingest journal has failed for "
                    + refusing.toSeconds() + " s (a full disk? see the log): alerts are refused with 503").build();
        }
        Duration paused = ingestor.storingPausedFor();
        if (paused.compareTo(PAUSED_TOO_LONG) >= 0) {
            return Health.down().withDetail("storing", "paused for " + paused.toSeconds() + " s: the store cannot be reached or"
                    + " takes no writes (read-only? out of space? see the log)")
                    .build();
        }
        Duration stalled = ingestor.storingStalledFor();
        if (stalled.compareTo(PAUSED_TOO_LONG) >= 0) {
            return Health.down().withDetail("storing", "nothing stored for " + stalled.toSeconds() + " s while "
                    + ingestor.backlogBytes() + " bytes of accepted alerts wait (failing: see the log; or waiting on"
                    + " the database, a lock held?)").build();
        }
        int setAside = ingestor.quarantinedInARow();
        if (setAside >= QUARANTINED_TOO_MANY) {
            return Health.down().withDetail("storing", "the last " + setAside + " accepted requests were all refused by the"
                    + " database and set aside in the journal's quarantine, none stored between them (see the log)").build();
        }
        return Health.up().build();
    }
}
