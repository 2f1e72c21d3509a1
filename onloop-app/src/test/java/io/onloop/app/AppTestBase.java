package io.onloop.app;

import io.onloop.app.ingest.SubscriptionConfirmer;
import io.onloop.app.rightsizing.FixedRecommendationSource;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.Role;
import io.onloop.domain.event.Ids;
import io.onloop.domain.store.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one Spring context most app tests share: the real server on a random port over the real
 * JDBC store, on an H2 file in a temporary directory. Subclasses must not add configuration of
 * their own, or they would start a second context.
 */
@SpringBootTest(classes = OnloopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AppTestBase.TestBeans.class)
public abstract class AppTestBase {
    /** Preset through onloop.bootstrap.admin-token, so tests start as the tenant's admin. */
    public static final String ADMIN_TOKEN = "olt_app-tests-admin-token";
    public static final String ADMIN_PASSWORD = "app-tests-admin-password";
    public static final String TENANT = "demo";
    static final Path DATA_DIR = tempDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("onloop.data-dir", DATA_DIR::toString);
        registry.add("onloop.bootstrap.admin-token", () -> ADMIN_TOKEN);
        registry.add("onloop.bootstrap.admin-password", () -> ADMIN_PASSWORD);
        registry.add("onloop.rightsizing.first-scan-delay", () -> "1h"); // tests scan when they choose
        registry.add("onloop.retention.first-delay", () -> "1h"); // and delete old data when they choose
    }

    @LocalServerPort
    int port;
    @Autowired
    protected EventStore eventStore;
    @Autowired
    protected AccessStore accessStore;
    @Autowired
    protected RecordingConfirmer confirmer;

    protected Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** Creates an ingest source through the admin API; returns its token. */
    protected String source(String format, boolean verifySignatures) {
        var created = http.post("/api/v1/sources").bearer(ADMIN_TOKEN)
                .json(Map.of("format", format, "name", format + "-" + System.nanoTime(),
                        "verifySignatures", verifySignatures))
                .send().expect(201).json();
        return created.get("token").asString();
    }

    protected String source(String format) {
        return source(format, true);
    }

    /** Creates an API token with this role through the admin API; returns the token. */
    protected String apiToken(Role role) {
        return http.post("/api/v1/tokens").bearer(ADMIN_TOKEN)
                .json(Map.of("name", role.id() + "-" + System.nanoTime(), "role", role.id()))
                .send().expect(201).json().get("token").asString();
    }

    /** An API token written straight into the store, for tenants the API cannot reach (isolation tests). */
    protected String apiTokenInStore(String tenantId, Role role, Instant expiresAt) {
        String token = Secrets.newToken(Secrets.API_TOKEN_PREFIX);
        Instant now = Instant.now();
        accessStore.createToken(new ApiToken(Ids.newId(now), tenantId, "store-" + role.id(), Secrets.sha256Hex(token),
                role, now, expiresAt, false));
        return token;
    }

    /** Stands in for the network: records each SubscribeURL instead of fetching it. */
    public static final class RecordingConfirmer implements SubscriptionConfirmer {
        public final List<URI> confirmed = new CopyOnWriteArrayList<>();
        /** Thrown (once) by the next confirmation instead of recording it, as an unreachable SNS would. */
        public volatile java.io.IOException failNext;

        @Override
        public void confirm(URI subscribeUrl) throws java.io.IOException {
            var failure = failNext;
            if (failure != null) {
                failNext = null;
                throw failure;
            }
            confirmed.add(subscribeUrl);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class TestBeans {
        @Bean
        @Primary
        RecordingConfirmer recordingConfirmer() {
            return new RecordingConfirmer();
        }

        /** The one recommendation source of the tests (onloop ships none yet). */
        @Bean
        FixedRecommendationSource fixedRecommendationSource() {
            return new FixedRecommendationSource();
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("onloop-app-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
