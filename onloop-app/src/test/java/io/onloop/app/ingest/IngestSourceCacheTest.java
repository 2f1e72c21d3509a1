package io.onloop.app.ingest;

import io.onloop.app.OutageDataSource;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.store.StoreUnreachableException;
import io.onloop.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** While the database cannot be reached, a source read before still takes alerts (into the journal); no other does. */
class IngestSourceCacheTest {
    @TempDir
    Path dir;
    private OutageDataSource ds;

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void aSourceReadBeforeAnOutageIsTakenAsItWasAndAnUnseenTokenIsUnreachable() {
        ds = new OutageDataSource(dir);
        AccessStore access = JdbcStores.migrateAndOpen(ds).accessStore();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));
        access.createTenant(new Tenant("t", "t", clock.instant()));
        var source = new IngestSource(UUID.randomUUID(), "t", SourceType.ALERTMANAGER, "am", Secrets.sha256Hex("ols_a"),
                true, List.of(), clock.instant());
        access.createSource(source);
        var other = new IngestSource(UUID.randomUUID(), "t", SourceType.GRAFANA, "grafana", Secrets.sha256Hex("ols_b"),
                true, List.of(), clock.instant());
        access.createSource(other);
        IngestSourceCache cache = new IngestSourceCache(access, clock);
        assertThat(cache.find(source.tokenHash())).contains(source);

        ds.down = true;
        clock.advance(IngestSourceCache.TTL.plusSeconds(1));
        assertThat(cache.find(source.tokenHash())).as("as last read").contains(source);
        assertThatThrownBy(() -> cache.find(other.tokenHash())).as("never read: cannot be checked")
                .isInstanceOf(StoreUnreachableException.class);

        ds.down = false;
        access.deleteSource("t", source.id());
        assertThat(cache.find(source.tokenHash())).as("kept for one more TTL, not for ever").contains(source);
        clock.advance(IngestSourceCache.TTL.plus(Duration.ofSeconds(1)));
        assertThat(cache.find(source.tokenHash())).as("read again once the database is back").isEmpty();
    }
}
