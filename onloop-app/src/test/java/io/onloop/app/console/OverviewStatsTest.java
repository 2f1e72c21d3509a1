package io.onloop.app.console;

import com.zaxxer.hikari.HikariDataSource;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The overview's counts over the real embedded store. */
class OverviewStatsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aFloodOfNewerMediumIncidentsHidesNoCriticalOne() {
        try (var ds = new HikariDataSource()) {
            ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop"));
            ds.setUsername("sa");
            EventStore store = JdbcStores.migrateAndOpen(ds).eventStore();
            store.inTransaction(tx -> {
                tx.insertIncident(incident("Database primary down", Severity.CRITICAL, NOW.minusSeconds(3600)));
                tx.insertIncident(incident("Disk almost full", Severity.HIGH, NOW.minusSeconds(3500)));
                for (int i = 0; i < 520; i++) {
                    tx.insertIncident(incident("noise " + i, Severity.MEDIUM, NOW.minusSeconds(3000 - i)));
                }
                return null;
            });

            var stats = OverviewStats.read(store, "t", Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(stats.openBySeverity()).containsEntry(Severity.CRITICAL, 1).containsEntry(Severity.HIGH, 1)
                    .containsEntry(Severity.MEDIUM, 520).containsEntry(Severity.LOW, 0);
            assertThat(stats.openTotal()).isEqualTo(522); // counted exactly, however many are open
            assertThat(stats.latestOpen()).hasSize(OverviewStats.MOST_SEVERE);
            assertThat(stats.latestOpen().get(0).title()).isEqualTo("Database primary down");
            assertThat(stats.latestOpen().get(1).title()).isEqualTo("Disk almost full");
            // then the newest of the medium flood
            assertThat(stats.latestOpen().get(2).title()).isEqualTo("noise 519");
        }
    }

    private static Incident incident(String title, Severity severity, Instant at) {
        return new Incident(UUID.randomUUID(), "t", "group-" + title, title, severity, IncidentStatus.OPEN,
                SourceType.GENERIC, Resource.UNKNOWN, Map.of(), at, at, null, null, null, null, 1, 1, 1);
    }
}
