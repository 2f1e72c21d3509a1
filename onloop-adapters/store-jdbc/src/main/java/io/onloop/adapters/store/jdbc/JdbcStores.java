package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.inbox.TicketStore;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.domain.rightsizing.copilot.RecommendationStore;
import io.onloop.domain.routing.GroupLog;
import io.onloop.domain.routing.RoutingConfigStore;
import io.onloop.domain.routing.SilenceStore;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Transactions;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one entry point of this adapter: migrates the database behind a {@link DataSource}
 * (embedded H2 or PostgreSQL) and opens the stores over it. The caller owns the DataSource
 * (usually a HikariCP pool) and closes it.
 * <p>
 * Notes for whoever builds the DataSource: the ingest writer holds row locks on the incidents of a
 * batch until it commits, and a person's acknowledge waits for them; H2's default lock timeout is
 * 2 s, so an H2 URL should add {@code ;LOCK_TIMEOUT=10000}. Database errors surface as
 * {@link JdbcStoreException}, or {@link io.onloop.domain.store.StoreUnreachableException} when trying again may
 * succeed (no connection, a lost one, a deadlock); the access store reports duplicates as {@link IllegalStateException}
 * and unknown tenants as {@link IllegalArgumentException}; a malformed page cursor is an
 * {@link IllegalArgumentException}.
 */
public final class JdbcStores {
    private final EventStore eventStore;
    private final AccessStore accessStore;
    private final RecipeStore recipeStore;
    private final JdbcDeliveryStore deliveryStore;
    private final JdbcRoutingStore routingStore;
    private final JdbcTicketStore ticketStore;
    private final JdbcRecommendationStore recommendationStore;
    private final JdbcPriceOverrideStore priceOverrideStore;
    private final JdbcTransactions transactions;
    private final Optional<Path> h2File;

    /** @param forcedLater see {@link JdbcEventStore#JdbcEventStore} */
    private JdbcStores(DataSource connections, DataSource forcedLater, String vendor, Optional<Path> h2File) {
        this.h2File = h2File;
        this.transactions = new JdbcTransactions(connections);
        DataSource dataSource = transactions.dataSource();
        this.eventStore = new JdbcEventStore(dataSource, forcedLater, vendor);
        this.accessStore = new JdbcAccessStore(dataSource);
        this.recipeStore = new JdbcRecipeStore(dataSource);
        this.deliveryStore = new JdbcDeliveryStore(dataSource);
        this.routingStore = new JdbcRoutingStore(dataSource);
        this.ticketStore = new JdbcTicketStore(dataSource);
        this.recommendationStore = new JdbcRecommendationStore(dataSource);
        this.priceOverrideStore = new JdbcPriceOverrideStore(dataSource);
    }

    /** Runs the Flyway migrations for the database behind dataSource (H2 or PostgreSQL), then opens the stores. */
    public static JdbcStores migrateAndOpen(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        String vendor = vendor(dataSource);
        migrate(dataSource, vendor);
        if (!vendor.equals("h2")) {
            return new JdbcStores(dataSource, null, vendor, Optional.empty());
        }
        JdbcStores stores = new JdbcStores(SyncingDataSource.wrap(dataSource), dataSource, vendor, h2File(dataSource));
        stores.eventStore.force(); // the migrations; and a file that cannot be forced fails here, not at the first write
        return stores;
    }

    /** Brings the schema up to date. Vendor-specific extras live in db/migration/{vendor} (h2 or postgresql). */
    static void migrate(DataSource dataSource) {
        migrate(dataSource, vendor(dataSource));
    }

    private static void migrate(DataSource dataSource, String vendor) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                .failOnMissingLocations(false)
                .load()
                .migrate();
    }

    /** The embedded H2 database's file, as H2 itself names it (none for an in-memory or a TCP-served one). */
    private static Optional<Path> h2File(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("CALL DATABASE_PATH()")) {
            String path = rs.next() ? rs.getString(1) : null;
            return path == null || path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path + ".mv.db"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read H2's database path: " + e.getMessage(), e);
        }
    }

    /** "h2" or "postgresql": the folder of vendor-specific migrations (Flyway core has no {vendor} placeholder). */
    static String vendor(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                return "h2";
            }
            if (product.contains("postgres")) {
                return "postgresql";
            }
            throw new IllegalArgumentException("unsupported database: " + product + " (use H2 or PostgreSQL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database: " + e.getMessage(), e);
        }
    }

    public EventStore eventStore() {
        return eventStore;
    }

    /** The embedded H2 database's file, to watch its size; empty for PostgreSQL and in-memory H2. */
    public Optional<Path> h2File() {
        return h2File;
    }

    public AccessStore accessStore() {
        return accessStore;
    }

    public RecipeStore recipeStore() {
        return recipeStore;
    }

    public DeliveryStore deliveryStore() {
        return deliveryStore;
    }

    public GroupLog groupLog() {
        return deliveryStore;
    }

    public SilenceStore silenceStore() {
        return routingStore;
    }

    public RoutingConfigStore routingConfigStore() {
        return routingStore;
    }

    public TicketStore ticketStore() {
        return ticketStore;
    }

    public RecommendationStore recommendationStore() {
        return recommendationStore;
    }

    public PriceOverrideStore priceOverrideStore() {
        return priceOverrideStore;
    }

    /** Units of work across all of these stores: a change and its audit entry, committed together. */
    public Transactions transactions() {
        return transactions;
    }
}
