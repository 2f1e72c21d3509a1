package io.onloop.app.routing;

import com.zaxxer.hikari.HikariDataSource;
import io.onloop.adapters.delivery.InvalidRoutesException;
import io.onloop.adapters.delivery.RoutesYaml;
import io.onloop.adapters.delivery.Targets;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.routing.RecipeSummaries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** onloop.routing.file: the fallback for every tenant without a saved file; a broken file stops startup. */
class RoutingServiceTest {
    @TempDir
    Path dir;
    private HikariDataSource ds;

    @AfterEach
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    private RoutingService service(Path file) {
        ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop"));
        ds.setUsername("sa");
        ds.setPassword("");
        JdbcStores stores = JdbcStores.migrateAndOpen(ds);
        return new RoutingService(stores.routingConfigStore(), stores.silenceStore(), stores.deliveryStore(),
                stores.groupLog(), new RoutesYaml(Targets.descriptors(Targets.defaults())), RecipeSummaries.NONE, Clock.systemUTC(),
                new RoutingProperties(file, 10, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), 3));
    }

    @Test
    void theFileRoutesEveryTenantUntilOneSavesItsOwn() throws Exception {
        Path file = Files.writeString(dir.resolve("routes.yaml"), """
                route:
                  receiver: from-file
                receivers:
                  - name: from-file
                """);
        RoutingService s = service(file);
        assertThat(s.config("a").root().receiver()).isEqualTo("from-file");
        assertThat(s.yaml("a").orElseThrow().updatedBy()).isEqualTo("file");
        s.save("a", "route:\n  receiver: own\nreceivers:\n  - name: own\n", "ana");
        assertThat(s.config("a").root().receiver()).isEqualTo("own");
        assertThat(s.yaml("a").orElseThrow().updatedBy()).isEqualTo("ana");
        assertThat(s.config("b").root().receiver()).isEqualTo("from-file");
        assertThatThrownBy(() -> s.save("a", "route: {receiver: x}\n", "ana")).isInstanceOf(InvalidRoutesException.class);
        assertThat(s.config("a").root().receiver()).as("a refused file changes nothing").isEqualTo("own");
        s.close();
    }

    @Test
    void aBrokenFileStopsStartupAndNoFileRoutesNowhere() throws Exception {
        Path file = Files.writeString(dir.resolve("routes.yaml"), "route:\n  receiver: missing\n");
        assertThatThrownBy(() -> service(file)).isInstanceOf(InvalidRoutesException.class)
                .hasMessageContaining("no receiver named \"missing\"");
        ds.close();
        RoutingService none = service(null);
        assertThat(none.yaml("a")).isEmpty();
        assertThat(none.config("a").receivers().get("default").targets()).isEmpty();
        assertThat(none.target("a", "default/x")).isEmpty();
        none.close();
    }
}
