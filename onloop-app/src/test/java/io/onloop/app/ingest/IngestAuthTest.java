package io.onloop.app.ingest;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingest endpoints authenticate each request by its source's token, wherever the sender can put it. */
class IngestAuthTest extends AppTestBase {
    private static final String URL = "/api/v1/ingest/alertmanager";

    private String payload() {
        return Payloads.alertmanager("firing", "AuthTest", "host-" + System.nanoTime());
    }

    @Test
    void acceptsTheTokenAsBearer() {
        String token = source("alertmanager");
        var body = http.post(URL).bearer(token).json(payload()).send().expect(202).json();
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void acceptsTheTokenInTheOnloopHeader() {
        String token = source("alertmanager");
        http.post(URL).header("X-Onloop-Token", token).json(payload()).send().expect(202);
    }

    @Test
    void anAuthorizationOfAnotherSchemeDoesNotHideTheTokenGivenAnotherWay() {
        // a proxy's own credentials, or an empty Bearer a sender's template left behind
        String token = source("alertmanager");
        http.post(URL).header("Authorization", "Digest username=\"proxy\"").header("X-Onloop-Token", token)
                .json(payload()).send().expect(202);
        http.post(URL + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).header("Authorization", "Bearer")
                .json(payload()).send().expect(202);
    }

    @Test
    void acceptsTheTokenInTheQueryStringForSendersThatCannotSetHeaders() {
        String token = source("alertmanager");
        http.post(URL + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).json(payload()).send().expect(202);
    }

    @Test
    void acceptsTheTokenAsBasicPasswordWithAnyUserName() {
        String token = source("alertmanager");
        String basic = Base64.getEncoder().encodeToString(("alertmanager:" + token).getBytes(StandardCharsets.UTF_8));
        http.post(URL).header("Authorization", "Basic " + basic).json(payload()).send().expect(202);
    }

    @Test
    void theSchemeIsCaseInsensitiveAndAnyWhiteSpaceSeparatesItFromTheToken() {
        String token = source("alertmanager");
        http.post(URL).header("Authorization", "bearer \t  " + token).json(payload()).send().expect(202);
        http.post(URL).header("Authorization", "Bearer").json(payload()).send().problem(401);
        http.post(URL).header("Authorization", "Bearer" + token).json(payload()).send().problem(401);
    }

    @Test
    void missingCredentialsAre401WithAChallenge() {
        var response = http.post(URL).json(payload()).send();
        var problem = response.problem(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(problem.get("detail").asString()).contains("token");
    }

    @Test
    void anUnknownTokenIs401() {
        http.post(URL).bearer("ols_not-a-real-token").json(payload()).send().problem(401);
        http.post(URL + "?token=nope").json(payload()).send().problem(401);
        http.post(URL).header("Authorization", "Basic !!!not-base64").json(payload()).send().problem(401);
    }

    @Test
    void anApiTokenIsNotAnIngestToken() {
        http.post(URL).bearer(ADMIN_TOKEN).json(payload()).send().problem(401);
    }

    @Test
    void aTokenForAnotherFormatIs403() {
        String token = source("grafana");
        var problem = http.post(URL).bearer(token).json(payload()).send().problem(403);
        assertThat(problem.get("detail").asString()).contains("grafana");
    }

    @Test
    void aDeletedSourcesTokenStopsWorking() {
        var created = http.post("/api/v1/sources").bearer(ADMIN_TOKEN)
                .json(java.util.Map.of("format", "alertmanager", "name", "short-lived")).send().expect(201).json();
        String token = created.get("token").asString();
        http.post(URL).bearer(token).json(payload()).send().expect(202);
        http.delete("/api/v1/sources/" + created.get("source").get("id").asString()).bearer(ADMIN_TOKEN).send().expect(204);
        http.post(URL).bearer(token).json(payload()).send().problem(401);
    }
}
