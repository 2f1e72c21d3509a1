package io.onloop.app.bootstrap;

import io.onloop.app.api.AuditLog;
import io.onloop.app.config.OnloopProperties;
import io.onloop.app.ingest.IngestFormats;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.access.User;
import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.SourceType;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First start (no tenant yet): creates tenant, admin user, admin API token and one ingest source per
 * format, prints how to use them, and keeps a copy in {@code <data-dir>/initial-credentials.txt}
 * (owner-only). Later starts print only the URL and where that file is. The banner goes to stdout,
 * not to the log, so credentials never end up in log files that are collected and shipped.
 */
@Component
class Bootstrap implements ApplicationRunner {
    static final String ADMIN_USER = "admin";
    static final String CREDENTIALS_FILE = "initial-credentials.txt";

    private final AccessStore access;
    private final PasswordEncoder passwords;
    private final IngestFormats formats;
    private final AuditLog audit;
    private final OnloopProperties props;
    private final Environment env;
    private final Clock clock;

    Bootstrap(AccessStore access, PasswordEncoder passwords, IngestFormats formats, AuditLog audit,
              OnloopProperties props, Environment env, Clock clock) {
        this.access = access;
        this.passwords = passwords;
        this.formats = formats;
        this.audit = audit;
        this.props = props;
        this.env = env;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        String url = "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        Path file = props.dataDir().resolve(CREDENTIALS_FILE).toAbsolutePath().normalize();
        if (!access.tenants().isEmpty()) {
            System.out.println(line() + "\n  onloop is running at " + url + "\n  Web console: " + url + "/console"
                    + "\n  First-start credentials: "
                    + (Files.exists(file) ? file : "(" + file + " was removed)") + "\n" + line());
            return;
        }
        // all or nothing: a start stopped half-way must not leave a tenant nobody can sign in to
        String text = audit.inOneTransaction(() -> createFirstTenant(url));
        write(file, text);
        System.out.println(line() + "\n" + text + "\n  (also saved to " + file + ", readable only by you)\n" + line());
    }

    private String createFirstTenant(String url) {
        var b = props.bootstrap();
        Instant now = clock.instant();
        String tenant = b.tenant();
        access.createTenant(new Tenant(tenant, tenant, now));

        String password = b.adminPassword() != null && !b.adminPassword().isBlank() ? b.adminPassword() : Secrets.newPassword();
        access.createUser(new User(Ids.newId(now), tenant, ADMIN_USER, passwords.encode(password), Role.ADMIN, false, now));

        String token = b.adminToken() != null && !b.adminToken().isBlank() ? b.adminToken()
                : Secrets.newToken(Secrets.API_TOKEN_PREFIX);
        access.createToken(new ApiToken(Ids.newId(now), tenant, "bootstrap-admin", Secrets.sha256Hex(token), Role.ADMIN,
                now, null, false));

        Map<SourceType, String> sourceTokens = new LinkedHashMap<>();
        for (SourceType format : formats.types()) {
            String sourceToken = Secrets.newToken(Secrets.SOURCE_TOKEN_PREFIX);
            access.createSource(new IngestSource(Ids.newId(now), tenant, format, format.id(),
                    Secrets.sha256Hex(sourceToken), true, List.of(), now));
            sourceTokens.put(format, sourceToken);
        }
        audit.record(tenant, AuditEntry.ONLOOP_ACTOR, "tenant.bootstrap", "tenant", tenant,
                "first start: admin user, admin API token and " + sourceTokens.size() + " ingest sources created");
        return describe(url, tenant, password, token, sourceTokens);
    }

    private static String describe(String url, String tenant, String password, String token,
                                   Map<SourceType, String> sourceTokens) {
        var s = new StringBuilder();
        s.append("  onloop is running at ").append(url).append("  (tenant '").append(tenant).append("')\n\n");
        s.append("  Web console:      ").append(url).append("/console\n");
        s.append("  Log in:           ").append(ADMIN_USER).append(" / ").append(password).append('\n');
        s.append("  Admin API token:  ").append(token).append("\n\n");
        String am = sourceTokens.get(SourceType.ALERTMANAGER);
        if (am != null) {
            String ingest = url + "/api/v1/ingest/alertmanager";
            s.append("  Alertmanager webhook: ").append(ingest).append('\n');
            s.append("  Its token:            ").append(am).append("\n\n");
            s.append("  Try it:\n");
            s.append("    curl -sS -w '\\n' -X POST '").append(ingest).append("' \\\n");
            s.append("      -H 'Authorization: Bearer ").append(am).append("' -H 'Content-Type: application/json' \\\n");
            s.append("      -d '{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"onloop\",\"groupKey\":\"{}:{alertname=\\\"HighLatency\\\"}\",")
                    .append("\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\",\"severity\":\"critical\",")
                    .append("\"instance\":\"web-1\"},\"annotations\":{\"summary\":\"p99 latency above 2s\"},")
                    .append("\"startsAt\":\"2024-01-01T00:00:00Z\",\"fingerprint\":\"c0ffee\"}]}'\n");
            s.append("    curl -sS '").append(url).append("/api/v1/incidents' -H 'Authorization: Bearer ")
                    .append(token).append("'\n\n");
        }
        s.append("  Ingest URLs and tokens of every format (each token works only for its own format):\n");
        sourceTokens.forEach((format, t) -> s.append("    ").append(url).append("/api/v1/ingest/").append(format.id())
                .append("  ").append(t).append('\n'));
        return s.toString();
    }

    /** Owner-only from the moment it exists: created with its permissions, never widened. */
    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String line() {
        return "=".repeat(78);
    }
}
