package io.onloop.app.config;

import io.onloop.adapters.ingest.Parsers;
import io.onloop.adapters.journal.FileEventJournal;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.app.ingest.IngestFormats;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentActions;
import io.onloop.domain.incident.IncidentListener;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.CommittedEventsListener;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventJournal;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Wires the domain and the adapters: the only place that knows which implementation backs each port. */
@Configuration(proxyBeanMethods = false)
public class CoreConfig {
    private static final Logger LOG = Logger.getLogger(CoreConfig.class.getName());

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Static: a post-processor must exist before the data source it adjusts. */
    @Bean
    static PostgresConnections postgresConnections() {
        return new PostgresConnections();
    }

    /** Migrates the schema (H2 or PostgreSQL, from spring.datasource.*) before anything reads it. */
    @Bean
    JdbcStores jdbcStores(DataSource dataSource) {
        return JdbcStores.migrateAndOpen(dataSource);
    }

    /**
     * The embedded H2 file's size, onloop_store_file_bytes, for the data directory's disk: it grows with a storm and
     * is reused afterwards (docs/benchmarks.md, "The embedded store's file"). None for PostgreSQL.
     */
    @Bean
    MeterBinder storeFileSize(JdbcStores stores) {
        return meters -> stores.h2File().ifPresent(file -> Gauge.builder("onloop.store.file", file, CoreConfig::sizeOrNaN)
                .strongReference(true).baseUnit("bytes").description("the embedded H2 database file").register(meters));
    }

    private static double sizeOrNaN(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    @Bean
    EventStore eventStore(JdbcStores stores) {
        return stores.eventStore();
    }

    @Bean
    Transactions transactions(JdbcStores stores) {
        return stores.transactions();
    }

    @Bean
    AccessStore accessStore(JdbcStores stores) {
        return stores.accessStore();
    }

    @Bean
    IngestFormats ingestFormats() {
        return new IngestFormats(Parsers.defaults());
    }

    @Bean
    EventNormalizer eventNormalizer() {
        return new EventNormalizer(EventLimits.DEFAULT);
    }

    @Bean
    IncidentGrouping incidentGrouping(OnloopProperties props) {
        var g = props.grouping();
        return new IncidentGrouping(new GroupingPolicy(g.groupBy(), g.groupWindow(), g.groupWait(), g.groupInterval()));
    }

    @Bean
    IncidentActions incidentActions(EventStore store, Clock clock, ObjectProvider<IncidentListener> listener) {
        return new IncidentActions(store, clock, listener.getIfAvailable(() -> IncidentListener.NONE));
    }

    @Bean(destroyMethod = "close")
    EventJournal eventJournal(OnloopProperties props) {
        Path dir = props.ingest().journalDir() != null ? props.ingest().journalDir() : props.dataDir().resolve("journal");
        return FileEventJournal.open(dir);
    }

    /**
     * Closed on shutdown after the web server stops taking requests (and before the journal), so
     * what was accepted is stored, or else applied on the next start.
     */
    @Bean(destroyMethod = "close")
    EventIngestor eventIngestor(EventJournal journal, EventStore store, IncidentGrouping grouping, OnloopProperties props,
                                ObjectProvider<CommittedEventsListener> listenerBeans, MeterRegistry meters) {
        var in = props.ingest();
        List<CommittedEventsListener> listeners = listenerBeans.orderedStream().toList();
        Counter stored = Counter.builder("onloop.ingest.stored").baseUnit("events")
                .description("events stored (committed to the event store) since start").register(meters);
        var ingestor = new EventIngestor(journal, store, grouping, in.maxBacklog().toBytes(), in.maxBatchEvents(), committed -> {
            stored.increment(committed.size());
            for (CommittedEventsListener l : listeners) {
                try {
                    l.committed(committed);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "listener " + l.getClass().getName() + " failed", e);
                }
            }
        });
        // how far storing lags behind accepting: the number to watch during an alert storm
        Gauge.builder("onloop.ingest.backlog", ingestor, EventIngestor::backlogBytes).baseUnit("bytes")
                .description("journal bytes accepted but not yet stored").register(meters);
        FunctionCounter.builder("onloop.ingest.quarantined", ingestor, EventIngestor::quarantinedRecords).baseUnit("records")
                .description("accepted requests the database refused, set aside in the journal's quarantine").register(meters);
        return ingestor;
    }
}
