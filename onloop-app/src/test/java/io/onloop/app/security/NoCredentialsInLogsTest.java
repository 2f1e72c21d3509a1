package io.onloop.app.security;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import io.onloop.domain.access.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingest and API credentials, good or bad, in headers or in the URL, never reach the log. */
@ExtendWith(OutputCaptureExtension.class)
class NoCredentialsInLogsTest extends AppTestBase {

    @Test
    void tokensNeverAppearInTheOutput(CapturedOutput output) {
        // The first-start banner may print the admin token on purpose (on stdout); look only at what follows.
        int start = output.getAll().length();
        // ingest refusals are logged at debug: turn it on so they are checked too
        var logging = LoggingSystem.get(getClass().getClassLoader());
        logging.setLogLevel("io.onloop.app.ingest", LogLevel.DEBUG);
        String good = source("alertmanager");
        String wrongFormat = source("grafana");
        String viewer = apiToken(Role.VIEWER);
        String bad = "ols_bad-token-that-must-not-be-logged-0123456789";
        String badApi = "olt_bad-api-token-that-must-not-be-logged-0123456789";
        String payload = Payloads.alertmanager("firing", "LogTest", "logs-host");

        for (String token : List.of(good, wrongFormat, bad)) {
            String basic = Base64.getEncoder().encodeToString(("u:" + token).getBytes(StandardCharsets.UTF_8));
            http.post("/api/v1/ingest/alertmanager").bearer(token).json(payload).send();
            http.post("/api/v1/ingest/alertmanager").header("X-Onloop-Token", token).json(payload).send();
            http.post("/api/v1/ingest/alertmanager").header("Authorization", "Basic " + basic).json(payload).send();
            http.post("/api/v1/ingest/alertmanager?token=" + token).json(payload).send();
            http.post("/api/v1/ingest/alertmanager?token=" + token).body("{broken", "application/json").send();
            http.post("/api/v1/ingest/alertmanager?token=" + token).body("<x/>", "application/xml").send();
            http.post("/api/v1/ingest/nagios?token=" + token).json(payload).send();
            http.get("/api/v1/ingest/alertmanager?token=" + token).send();
            http.get("/no/such/path?token=" + token).send();
            // a request line Tomcat cannot parse: it logs the first such line of the JVM, query string and all
            rawRequest("POST /api/v1/ingest/gcp-monitoring?token=" + token + "&x=<bad> HTTP/1.1");
        }
        for (String token : List.of(viewer, badApi)) {
            http.get("/api/v1/incidents").bearer(token).send();
            http.get("/api/v1/incidents?limit=nope").bearer(token).send();
            http.post("/api/v1/tokens").bearer(token).json("{}").send();
            http.get("/api/v1/nothing-here").bearer(token).send();
        }

        logging.setLogLevel("io.onloop.app.ingest", null);
        String logged = output.getAll().substring(start);
        assertThat(logged).contains("ingest refused GET /api/v1/ingest/alertmanager: 405")
                .contains("ingest refused POST /api/v1/ingest/alertmanager: 401"); // the requests above did log
        for (String secret : List.of(good, wrongFormat, bad, viewer, badApi, ADMIN_TOKEN)) {
            assertThat(logged).doesNotContain(secret);
            // A token cut at a different place (e.g. after its prefix) would still be a leak.
            assertThat(logged).doesNotContain(secret.substring(4, 20));
        }
    }

    private void rawRequest(String requestLine) {
        URI base = URI.create(http.baseUrl());
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write((requestLine + "\r\nHost: " + base.getHost()
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 400");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
