package io.onloop.app.security;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication, roles (viewer < responder < approver < admin) and tenant isolation, through the HTTP API. */
class AccessTest extends AppTestBase {

    private String openIncident() {
        return http.post("/api/v1/ingest/alertmanager").bearer(source("alertmanager")).header("Prefer", "wait=10")
                .json(Payloads.alertmanager("firing", "AccessTest", "access-" + UUID.randomUUID()))
                .send().expect(202).json().get("incidentIds").get(0).asString();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theApiRequiresCredentials() {
        var response = http.get("/api/v1/incidents").send();
        var problem = response.problem(401);
        // No Basic challenge: a browser would prompt, then replay the credentials on cross-site forms.
        assertThat(response.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Bearer"))
                .noneMatch(v -> v.startsWith("Basic"));
        assertThat(problem.get("detail").asString()).contains("Bearer");
        http.get("/api/v1/incidents").bearer("olt_wrong").send().problem(401);
        http.get("/api/v1/incidents").header("Authorization", "Digest abc").send().problem(401);
        http.get("/actuator/prometheus").send().problem(401);
    }

    @Test
    void aUserNameWithTooManyWrongPasswordsIsRefusedUncheckedWith429() {
        String name = "guessed-" + UUID.randomUUID();
        String other = "bystander-" + UUID.randomUUID();
        for (String user : new String[] {name, other}) {
            http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                    .json(Map.of("username", user, "password", "the right password", "role", "viewer")).send().expect(201);
        }
        for (int i = 0; i < 5; i++) { // onloop.login.max-failures
            http.get("/api/v1/me").header("Authorization", basic(name, "guess-" + i)).send().problem(401);
        }

        var refused = http.get("/api/v1/me").header("Authorization", basic(name, "the right password")).send();
        var problem = refused.problem(429);
        assertThat(problem.get("detail").asString()).contains("too many failed sign-ins");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 301L); // within the 5-minute window
        // the count is per name: another user and API tokens are not affected
        http.get("/api/v1/me").header("Authorization", basic(other, "the right password")).send().expect(200);
        http.get("/api/v1/me").bearer(ADMIN_TOKEN).send().expect(200);
    }

    @Test
    void aNameThatDoesNotExistIsLockedExactlyLikeOneThatDoes() {
        String nobody = "nobody-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            var wrong = http.get("/api/v1/me").header("Authorization", basic(nobody, "guess-" + i)).send();
            assertThat(wrong.problem(401).get("detail").asString()).isEqualTo("wrong user name or password");
        }
        var refused = http.get("/api/v1/me").header("Authorization", basic(nobody, "guess")).send();
        assertThat(refused.problem(429).get("detail").asString()).contains("too many failed sign-ins");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void publicEndpointsNeedNoCredentials() {
        assertThat(http.get("/actuator/health").send().expect(200).json().get("status").asString()).isEqualTo("UP");
        // components are not shown (show-details: never), and an endpoint that does not exist: said like every other error
        assertThat(http.get("/actuator/health/nosuchcomponent").send().problem(404).get("instance").asString())
                .isEqualTo("/actuator/health/nosuchcomponent");
        http.get("/actuator/nosuchendpoint").bearer(ADMIN_TOKEN).send().problem(404);
        var docs = http.get("/v3/api-docs").send().expect(200).json();
        assertThat(docs.get("paths").has("/api/v1/incidents")).isTrue();
        assertThat(docs.get("paths").has("/api/v1/ingest/{format}")).isTrue();
    }

    @Test
    void prometheusMetricsNeedAnAdminAndCountIngestion() {
        openIncident();
        http.post("/api/v1/ingest/alertmanager").bearer("ols_wrong").json("{}").send().problem(401);
        // they are the whole server's: every tenant's delivery targets are among their tags
        http.get("/actuator/prometheus").bearer(apiToken(Role.APPROVER)).send().problem(403);
        String body = http.get("/actuator/prometheus").bearer(apiToken(Role.ADMIN)).send().expect(200).body();
        assertThat(body).contains("onloop_ingest_events_total{format=\"alertmanager\"")
                .contains("onloop_ingest_rejected_total{format=\"alertmanager\",reason=\"unauthenticated\"")
                .contains("onloop_ingest_latency_seconds")
                // the waited-for event above is stored; onloop-bench/ingest/run.sh reads this name
                .containsPattern("(?m)^onloop_ingest_stored_events_total [1-9]")
                .containsPattern("(?m)^onloop_ingest_quarantined_records_total 0");
    }

    @Test
    void localUsersLogInWithBasicAndWrongPasswordsAre401() {
        var me = http.get("/api/v1/me").header("Authorization", basic("admin", ADMIN_PASSWORD)).send().expect(200).json();
        assertThat(me.get("name").asString()).isEqualTo("admin");
        assertThat(me.get("role").asString()).isEqualTo("admin");
        assertThat(me.get("tenantId").asString()).isEqualTo(TENANT);
        http.get("/api/v1/me").header("Authorization", basic("admin", "wrong-password")).send().problem(401);
        http.get("/api/v1/me").header("Authorization", basic("nobody", "wrong-password")).send().problem(401);
    }

    @Test
    void aViewerReadsButCannotAct() {
        String viewer = apiToken(Role.VIEWER);
        String id = openIncident();
        http.get("/api/v1/incidents/" + id).bearer(viewer).send().expect(200);
        http.get("/api/v1/events").bearer(viewer).send().expect(200);
        http.get("/api/v1/audit").bearer(viewer).send().expect(200);
        var problem = http.post("/api/v1/incidents/" + id + "/acknowledge").bearer(viewer).send().problem(403);
        assertThat(problem.get("detail").asString())
                .isEqualTo("your role, viewer, does not allow this: it needs responder or a role above it");
        http.post("/api/v1/incidents/" + id + "/resolve").bearer(viewer).send().problem(403);
        http.post("/api/v1/incidents/" + id + "/comments").bearer(viewer).json(Map.of("text", "hi")).send().problem(403);
    }

    @Test
    void responderAndApproverActButAreNotAdmins() {
        for (Role role : new Role[]{Role.RESPONDER, Role.APPROVER}) {
            String token = apiToken(role);
            http.post("/api/v1/incidents/" + openIncident() + "/acknowledge").bearer(token).send().expect(200);
            assertThat(http.get("/api/v1/sources").bearer(token).send().problem(403).get("detail").asString())
                    .isEqualTo("your role, " + role.id() + ", does not allow this: it needs admin");
            http.get("/api/v1/tokens").bearer(token).send().problem(403);
            http.post("/api/v1/tokens").bearer(token).json(Map.of("name", "x", "role", "admin")).send().problem(403);
            http.get("/api/v1/users").bearer(token).send().problem(403);
            http.patch("/api/v1/users/" + java.util.UUID.randomUUID()).bearer(token)
                    .json(Map.of("disabled", true)).send().problem(403);
        }
    }

    @Test
    void revokedAndExpiredTokensAre401() {
        var created = http.post("/api/v1/tokens").bearer(ADMIN_TOKEN).json(Map.of("name", "to-revoke", "role", "viewer"))
                .send().expect(201).json();
        String token = created.get("token").asString();
        assertThat(token).startsWith("olt_");
        http.get("/api/v1/me").bearer(token).send().expect(200);
        http.delete("/api/v1/tokens/" + created.get("apiToken").get("id").asString()).bearer(ADMIN_TOKEN).send()
                .expect(204);
        http.get("/api/v1/me").bearer(token).send().problem(401);
        // revoking it again (a retried script) changes nothing: 204 again, one audit entry
        String tokenId = created.get("apiToken").get("id").asString();
        http.delete("/api/v1/tokens/" + tokenId).bearer(ADMIN_TOKEN).send().expect(204);
        assertThat(auditEntries("token.revoke", tokenId)).isEqualTo(1);
        // a working token's name is taken (in any case); a revoked one's is free again
        String reused = http.post("/api/v1/tokens").bearer(ADMIN_TOKEN).json(Map.of("name", "to-revoke", "role", "viewer"))
                .send().expect(201).json().get("token").asString();
        assertThat(http.post("/api/v1/tokens").bearer(ADMIN_TOKEN).json(Map.of("name", "TO-REVOKE", "role", "viewer"))
                .send().problem(409).get("detail").asString())
                .isEqualTo("a token is already called 'to-revoke'; revoke it first to reuse its name");
        http.get("/api/v1/me").bearer(reused).send().expect(200);

        String expired = apiTokenInStore(TENANT, Role.ADMIN, Instant.now().minusSeconds(1));
        http.get("/api/v1/me").bearer(expired).send().problem(401);
    }

    @Test
    void anotherTenantCannotSeeThisTenantsData() {
        String id = openIncident();
        String eventId = http.get("/api/v1/events?incident=" + id).bearer(ADMIN_TOKEN).send().expect(200).json()
                .get("items").get(0).get("id").asString();
        String other = "other-" + UUID.randomUUID();
        accessStore.createTenant(new Tenant(other, "Other", Instant.now()));
        String otherAdmin = apiTokenInStore(other, Role.ADMIN, null);

        http.get("/api/v1/incidents/" + id).bearer(otherAdmin).send().problem(404);
        http.get("/api/v1/events/" + eventId).bearer(otherAdmin).send().problem(404);
        http.post("/api/v1/incidents/" + id + "/acknowledge").bearer(otherAdmin).send().problem(404);
        http.post("/api/v1/incidents/" + id + "/resolve").bearer(otherAdmin).send().problem(404);
        http.post("/api/v1/incidents/" + id + "/comments").bearer(otherAdmin).json(Map.of("text", "x")).send().problem(404);
        // The other tenant is new: every list it can see is empty but for its own token.
        for (String list : new String[]{"/api/v1/incidents", "/api/v1/events", "/api/v1/audit", "/api/v1/sources",
                "/api/v1/users", "/api/v1/incidents?q=AccessTest", "/api/v1/events?incident=" + id}) {
            JsonNode body = http.get(list).bearer(otherAdmin).send().expect(200).json();
            assertThat((body.has("items") ? body.get("items") : body).size()).as(list).isZero();
        }
        assertThat(http.get("/api/v1/tokens").bearer(otherAdmin).send().json().size()).isEqualTo(1);
        // the metrics are the operator's: their tags name every tenant and its delivery targets
        http.get("/actuator/prometheus").bearer(otherAdmin).send().problem(403);
        // user names are unique over all tenants, but how another tenant spells one is not said
        var taken = http.post("/api/v1/users").bearer(otherAdmin)
                .json(Map.of("username", "ADMIN", "password", "long enough password", "role", "viewer")).send().problem(409);
        assertThat(taken.get("detail").asString()).isEqualTo("user name 'ADMIN' is taken");
        assertThat(http.get("/api/v1/incidents/" + id).bearer(ADMIN_TOKEN).send().expect(200).json()
                .get("incident").get("status").asString()).isEqualTo("open");
    }

    @Test
    void adminsManageSourcesTokensAndUsersAndEveryChangeIsAuditedWithoutSecrets() {
        var source = http.post("/api/v1/sources").bearer(ADMIN_TOKEN)
                .json(Map.of("format", "grafana", "name", "grafana-prod")).send().expect(201).json();
        String sourceToken = source.get("token").asString();
        assertThat(sourceToken).startsWith("ols_").hasSizeGreaterThan(40);
        assertThat(source.get("source").get("ingestUrl").asString()).endsWith("/api/v1/ingest/grafana");
        assertThat(source.get("source").get("verifySignatures").asBoolean()).isTrue();
        var listed = http.get("/api/v1/sources").bearer(ADMIN_TOKEN).send().expect(200).body();
        assertThat(listed).contains("grafana-prod").doesNotContain(sourceToken);
        assertThat(http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "datadog", "name", "Grafana-Prod"))
                .send().problem(409).get("detail").asString()).isEqualTo("a source is already called 'grafana-prod'");

        var token = http.post("/api/v1/tokens").bearer(ADMIN_TOKEN)
                .json(Map.of("name", "ci", "role", "responder", "expiresAt", "2999-01-01T00:00:00Z"))
                .send().expect(201).json();
        String apiToken = token.get("token").asString();
        assertThat(http.get("/api/v1/tokens").bearer(ADMIN_TOKEN).send().body()).doesNotContain(apiToken);
        assertThat(http.get("/api/v1/me").bearer(apiToken).send().expect(200).json().get("role").asString())
                .isEqualTo("responder");

        String username = "alice-" + System.nanoTime();
        var user = http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", username, "password", "correct horse battery", "role", "viewer"))
                .send().expect(201).json();
        assertThat(user.has("password")).isFalse();
        assertThat(http.get("/api/v1/users").bearer(ADMIN_TOKEN).send().body()).contains(username)
                .doesNotContain("argon2").doesNotContain("correct horse");
        assertThat(http.get("/api/v1/me").header("Authorization", basic(username, "correct horse battery"))
                .send().expect(200).json().get("role").asString()).isEqualTo("viewer");

        // a leaked password is stopped by disabling the user, and only an admin can do it
        String userPath = "/api/v1/users/" + user.get("id").asString();
        http.patch(userPath).bearer(ADMIN_TOKEN).json(Map.of("disabled", true)).send().expect(204);
        http.get("/api/v1/me").header("Authorization", basic(username, "correct horse battery")).send().problem(401);
        http.patch(userPath).bearer(ADMIN_TOKEN).json(Map.of("disabled", true)).send().expect(204); // already so
        assertThat(auditEntries("user.disable", user.get("id").asString())).isEqualTo(1);
        http.patch(userPath).bearer(ADMIN_TOKEN).json(Map.of()).send().problem(400);
        http.patch("/api/v1/users/" + java.util.UUID.randomUUID()).bearer(ADMIN_TOKEN)
                .json(Map.of("disabled", true)).send().problem(404);
        http.patch(userPath).bearer(ADMIN_TOKEN).json(Map.of("disabled", false)).send().expect(204);
        http.get("/api/v1/me").header("Authorization", basic(username, "correct horse battery")).send().expect(200);

        // nobody locks the tenant out: not by disabling themselves, not by disabling its last enabled admin
        String adminPath = "/api/v1/users/" + http.get("/api/v1/users").bearer(ADMIN_TOKEN).send().expect(200).json()
                .valueStream().filter(u -> u.get("username").asString().equals("admin")).findFirst().orElseThrow()
                .get("id").asString();
        var self = http.patch(adminPath).header("Authorization", basic("admin", ADMIN_PASSWORD))
                .json(Map.of("disabled", true)).send().problem(409);
        assertThat(self.get("detail").asString()).isEqualTo("you cannot disable yourself; another admin can");
        var last = http.patch(adminPath).bearer(ADMIN_TOKEN).json(Map.of("disabled", true)).send().problem(409);
        assertThat(last.get("detail").asString()).isEqualTo("'admin' is the last enabled admin; create another admin first");
        var second = http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", "second-admin-" + username, "password", "correct horse battery", "role", "admin"))
                .send().expect(201).json();
        http.patch(adminPath).bearer(ADMIN_TOKEN).json(Map.of("disabled", true)).send().expect(204);
        http.patch("/api/v1/users/" + second.get("id").asString()).bearer(ADMIN_TOKEN).json(Map.of("disabled", true))
                .send().problem(409);
        http.patch(adminPath).bearer(ADMIN_TOKEN).json(Map.of("disabled", false)).send().expect(204);
        http.patch("/api/v1/users/" + second.get("id").asString()).bearer(ADMIN_TOKEN).json(Map.of("disabled", true))
                .send().expect(204);

        String audit = http.get("/api/v1/audit?limit=100").bearer(ADMIN_TOKEN).send().expect(200).body();
        assertThat(audit).contains("source.create", "token.create", "user.create", "user.disable", "user.enable")
                .doesNotContain(sourceToken).doesNotContain(apiToken).doesNotContain("correct horse");
        String actor = http.get("/api/v1/me").bearer(ADMIN_TOKEN).send().expect(200).json().get("name").asString();
        var userChanges = http.get("/api/v1/audit?action=user.*&actor=" + actor).bearer(ADMIN_TOKEN).send().expect(200)
                .json().get("items");
        assertThat(userChanges.valueStream()).allSatisfy(a -> assertThat(a.get("actor").asString()).isEqualTo(actor));
        assertThat(userChanges.valueStream().map(a -> a.get("action").asString()).distinct())
                .containsExactlyInAnyOrder("user.create", "user.disable", "user.enable");
        assertThat(http.get("/api/v1/audit?from=yesterday").bearer(ADMIN_TOKEN).send().problem(400).get("detail")
                .asString()).contains("RFC 3339");
    }

    /** Through the audit API's own filters; every entry it answers must match them. */
    private long auditEntries(String action, String targetId) {
        var items = http.get("/api/v1/audit?action=" + action + "&targetId=" + targetId).bearer(ADMIN_TOKEN).send()
                .expect(200).json().get("items");
        assertThat(items.valueStream()).allSatisfy(a -> {
            assertThat(a.get("action").asString()).isEqualTo(action);
            assertThat(a.get("targetId").asString()).isEqualTo(targetId);
        });
        return items.size();
    }

    @Test
    void adminInputIsValidated() {
        http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "nagios", "name", "x")).send().problem(400);
        http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "grafana")).send().problem(400);
        http.post("/api/v1/tokens").bearer(ADMIN_TOKEN).json(Map.of("name", "x", "role", "root")).send().problem(400);
        // names that would read as another in the audit log: a zero-width space, a right-to-left override, a Hangul filler
        for (String unseen : List.of("tok-admin\u200B", "tok-\u202Enimda", "tok-admin\u3164")) {
            var refused = http.post("/api/v1/tokens").bearer(ADMIN_TOKEN).json(Map.of("name", unseen, "role", "viewer"))
                    .send().problem(400);
            assertThat(refused.get("detail").asString()).contains("invisible");
        }
        http.post("/api/v1/tokens").bearer(ADMIN_TOKEN)
                .json(Map.of("name", "x", "role", "viewer", "expiresAt", "2000-01-01T00:00:00Z")).send().problem(400);
        http.post("/api/v1/tokens").bearer(ADMIN_TOKEN)
                .json(Map.of("name", "x", "role", "viewer", "expiresAt", "soon")).send().problem(400);
        http.post("/api/v1/tokens").bearer(ADMIN_TOKEN)
                .json(Map.of("name", "x", "role", "viewer", "expiresAt", "+999999999-12-31T23:59:59Z")).send().problem(400);
        var shortPassword = http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", "bob", "password", "short", "role", "viewer")).send().problem(400);
        assertThat(shortPassword.get("parameter").asString()).isEqualTo("password");
        http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", "admin", "password", "long enough password", "role", "viewer")).send().problem(409);
        var lookalike = http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", "Admin", "password", "long enough password", "role", "viewer")).send().problem(409);
        assertThat(lookalike.get("detail").asString()).isEqualTo("user name 'Admin' is taken (as 'admin')");
        for (String system : List.of("onloop", "Retention", "scan", "source")) {
            var reserved = http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                    .json(Map.of("username", system, "password", "long enough password", "role", "viewer")).send().problem(400);
            assertThat(reserved.get("detail").asString()).contains("what onloop signs its own audit and timeline entries with");
        }
        http.delete("/api/v1/sources/" + UUID.randomUUID()).bearer(ADMIN_TOKEN).send().problem(404);
        http.delete("/api/v1/tokens/" + UUID.randomUUID()).bearer(ADMIN_TOKEN).send().problem(404);
    }

    @Test
    void anUnreadableBodySaysWhatAndWhereWithoutJavaTypes() {
        var badTime = http.post("/api/v1/tokens").bearer(ADMIN_TOKEN)
                .json(Map.of("name", "x", "role", "viewer", "expiresAt", "soon")).send().problem(400);
        assertThat(badTime.get("pointer").asString()).isEqualTo("/expiresAt");
        assertThat(badTime.get("detail").asString())
                .isEqualTo("/expiresAt: expected an RFC 3339 timestamp such as 2026-01-31T12:00:00Z, got \"soon\"");

        var array = http.post("/api/v1/users").bearer(ADMIN_TOKEN).json("[1, 2]").send().problem(400);
        assertThat(array.get("pointer").asString()).isEmpty();
        assertThat(array.get("detail").asString()).isEqualTo("the body: expected an object, got an array");

        var nested = http.post("/api/v1/silences").bearer(ADMIN_TOKEN)
                .json("{\"matchers\": {\"alertname\": \"x\"}}").send().problem(400);
        assertThat(nested.get("pointer").asString()).isEqualTo("/matchers");
        assertThat(nested.get("detail").asString()).isEqualTo("/matchers: expected an array, got an object");

        var broken = http.post("/api/v1/users").bearer(ADMIN_TOKEN).json("{\n  \"username\": \"x\",\n  \"role\" }")
                .send().problem(400);
        assertThat(broken.get("detail").asString()).startsWith("malformed JSON at line 3, column 10: ");
        assertThat(broken.get("line").asInt()).isEqualTo(3);
        assertThat(broken.get("column").asInt()).isEqualTo(10);

        var outOfRange = http.post("/api/v1/runbooks/kubernetes-pod-crashloop/revert").bearer(ADMIN_TOKEN)
                .json("{\"version\": 99999999999}").send().problem(400);
        assertThat(outOfRange.get("pointer").asString()).isEqualTo("/version");
        assertThat(outOfRange.get("detail").asString()).isEqualTo("/version: expected a number in range, got one out of it");

        var empty = http.post("/api/v1/users").bearer(ADMIN_TOKEN).body(new byte[0], "application/json").send().problem(400);
        assertThat(empty.get("detail").asString()).isEqualTo("a JSON body is required");

        // a member the request does not have is refused, not ignored: here a role cannot be changed
        var unknown = http.patch("/api/v1/users/" + UUID.randomUUID()).bearer(ADMIN_TOKEN)
                .json("{\"disabled\": false, \"role\": \"admin\"}").send().problem(400);
        assertThat(unknown.get("pointer").asString()).isEqualTo("/role");
        assertThat(unknown.get("detail").asString()).isEqualTo("/role: not a member of this request (it has disabled)");
        // and values are not coerced into what they are not
        var fraction = http.post("/api/v1/runbooks/kubernetes-pod-crashloop/revert").bearer(ADMIN_TOKEN)
                .json("{\"version\": 1.5}").send().problem(400);
        assertThat(fraction.get("pointer").asString()).isEqualTo("/version");
        var numberAsText = http.post("/api/v1/runbooks/kubernetes-pod-crashloop/revert").bearer(ADMIN_TOKEN)
                .json("{\"version\": \"1\"}").send().problem(400);
        assertThat(numberAsText.get("pointer").asString()).isEqualTo("/version");
        var numberAsBoolean = http.patch("/api/v1/users/" + UUID.randomUUID()).bearer(ADMIN_TOKEN)
                .json("{\"disabled\": 1}").send().problem(400);
        assertThat(numberAsBoolean.get("detail").asString()).isEqualTo("/disabled: expected true or false, got 1");

        // a number or boolean is not text, a number is not a time (seconds or milliseconds?)
        var notCoerced = new java.util.ArrayList<JsonNode>();
        java.util.Map.of(
                "{\"name\": 5, \"role\": \"viewer\"}", "/name",
                "{\"name\": true, \"role\": \"viewer\"}", "/name",
                "{\"name\": \"epoch\", \"role\": \"viewer\", \"expiresAt\": 4102444800}", "/expiresAt"
        ).forEach((body, pointer) -> {
            var problem = http.post("/api/v1/tokens").bearer(ADMIN_TOKEN).json(body).send().problem(400);
            assertThat(problem.get("pointer").asString()).as(body).isEqualTo(pointer);
            notCoerced.add(problem);
        });
        var twice = http.post("/api/v1/tokens").bearer(ADMIN_TOKEN)
                .json("{\"name\": \"twice\", \"role\": \"viewer\", \"role\": \"admin\"}").send().problem(400);
        assertThat(twice.get("detail").asString()).containsIgnoringCase("duplicate").contains("role");

        var all = new java.util.ArrayList<>(java.util.List.of(badTime, array, nested, broken, outOfRange, empty, unknown,
                fraction, numberAsText, numberAsBoolean, twice));
        all.addAll(notCoerced);
        for (var problem : all) {
            assertThat(problem.get("title").asString()).isEqualTo("Invalid request body");
            assertThat(problem.toString()).doesNotContain("java.", "io.onloop", "Source:");
        }
    }
}
