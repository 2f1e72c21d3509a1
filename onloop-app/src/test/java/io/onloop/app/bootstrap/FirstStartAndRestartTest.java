package io.onloop.app.bootstrap;

import io.onloop.app.Http;
import io.onloop.app.OnloopApplication;
import io.onloop.app.Payloads;
import io.onloop.domain.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts onloop the way a user does, twice on the same data directory: the first start creates the
 * tenant and prints the credentials (and saves them owner-only); what was accepted before a
 * restart is still there after it; the second start prints only where things are.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstStartAndRestartTest {

    private static ConfigurableApplicationContext start(Path dataDir) {
        // As command-line arguments: they win over application.yaml, as they do for a user.
        return new SpringApplicationBuilder(OnloopApplication.class)
                .run("--server.port=0", "--onloop.data-dir=" + dataDir);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    @Test
    void firstStartPrintsCredentialsAndAcceptedEventsSurviveARestart(@TempDir Path dataDir, CapturedOutput output)
            throws IOException {
        String eventId;
        String adminToken;
        try (var context = start(dataDir)) {
            Path file = dataDir.resolve("initial-credentials.txt");
            String credentials = Files.readString(file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            adminToken = find(credentials, "Admin API token:\\s+(olt_\\S+)");
            String password = find(credentials, "Log in:\\s+admin / (\\S+)");
            String ingestToken = find(credentials, "/api/v1/ingest/alertmanager\\s+(ols_\\S+)");
            assertThat(credentials).contains("http://localhost:" + port(context)).contains("curl ");
            assertThat(output.getOut()).contains(adminToken).contains(password).contains(ingestToken)
                    .contains("http://localhost:" + port(context));

            var http = new Http(port(context));
            eventId = http.post("/api/v1/ingest/alertmanager").bearer(ingestToken)
                    .json(Payloads.alertmanager("firing", "Durable", "restart-" + UUID.randomUUID()))
                    .send().expect(202).json().get("eventIds").get(0).asString();
            // 202 means on disk in the journal; a graceful stop stores what is accepted before it
            // returns (a kill is CrashDurabilityTest's subject)
            http.get("/api/v1/me").header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("admin:" + password).getBytes())).send().expect(200);
        }

        int printedBefore = output.getOut().length();
        try (var context = start(dataDir)) {
            String second = output.getOut().substring(printedBefore);
            assertThat(second).contains("onloop is running at http://localhost:" + port(context))
                    .contains(dataDir.resolve("initial-credentials.txt").toString())
                    .doesNotContain(adminToken).doesNotContain("ols_");
            var event = new Http(port(context)).get("/api/v1/events/" + eventId).bearer(adminToken).send()
                    .expect(200).json();
            assertThat(event.get("title").asString()).contains("Durable");
            assertThat(context.getBean(EventStore.class).findEvent("demo", UUID.fromString(eventId))).isPresent();
        }
    }
}
