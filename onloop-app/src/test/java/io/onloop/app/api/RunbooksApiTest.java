package io.onloop.app.api;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import io.onloop.domain.access.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recipes through the real pipeline: an alert is ingested, the enrichment stage stores the
 * knowledge-base recipe, operators edit, list versions and revert. The class used is the test
 * fixture runbooks/host/onloop-test-fixture.yaml (test classpath only).
 */
class RunbooksApiTest extends AppTestBase {
    static final String CLASS = "onloop-test-fixture";
    static final String EDIT = """
            {"severity": {"level": "high", "reasoning": "Edited: this host matters."},
             "interpretation": "Edited recipe for {{instance|?}}.",
             "validation": [{"step": "Check it.", "command": "ssh {{instance|<host>}} uptime"}],
             "troubleshooting": [{"step": "Dig."}],
             "root_causes": [{"cause": "Someone.", "likelihood": "medium", "check": "Ask."}],
             "remediation": [{"action": "Restart.", "command": "systemctl restart app", "risk": "medium",
                              "effect": "Back up.", "reversible": true, "automatable": false}],
             "references": [{"title": "systemd", "url": "https://systemd.io/"}]}""";

    private String ingest;
    private String responder;
    private String viewer;

    @BeforeEach
    void setUp() {
        ingest = source("alertmanager");
        responder = apiToken(Role.RESPONDER);
        viewer = apiToken(Role.VIEWER);
    }

    private String fire(String alertname, String host) {
        return http.post("/api/v1/ingest/alertmanager").bearer(ingest).header("Prefer", "wait=10")
                .json(Payloads.alertmanager("firing", alertname, host)).send().expect(202).json()
                .get("incidentIds").get(0).asString();
    }

    private JsonNode recipe(String incident) {
        return http.get("/api/v1/incidents/" + incident + "/recipe").bearer(viewer).send().expect(200).json().get("recipe");
    }

    /** The enrichment stage stores the recipe shortly after the commit; wait for it rather than make it on demand. */
    private JsonNode storedRecipe(String incident) throws InterruptedException {
        UUID id = UUID.fromString(incident);
        for (int i = 0; i < 200 && recipeStore.incidentRecipe(TENANT, id).isEmpty(); i++) {
            Thread.sleep(25);
        }
        assertThat(recipeStore.incidentRecipe(TENANT, id)).as("stored by the enrichment stage").isPresent();
        return recipe(incident);
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.onloop.domain.runbook.RecipeStore recipeStore;

    @Test
    void anIncidentGetsTheKnowledgeBaseRecipeFilledWithItsValues() throws Exception {
        String host = "db-" + UUID.randomUUID();
        JsonNode r = storedRecipe(fire("OnloopTestFixtureAlert", host));
        assertThat(r.get("interpretation").asString()).isEqualTo("The fixture alert fired on " + host + ".");
        assertThat(r.get("validation").get(0).get("command").asString()).isEqualTo("ssh " + host + " uptime");
        assertThat(r.get("provenance").get("source").asString()).isEqualTo("knowledge-base");
        assertThat(r.get("provenance").get("class_id").asString()).isEqualTo(CLASS);
        assertThat(r.get("provenance").get("matched_by").asString()).isEqualTo("identifier");
        assertThat(r.get("provenance").get("confidence").asDouble()).isGreaterThan(0.85);
        assertThat(r.get("remediation").get(0).get("recommended").asBoolean()).isTrue();
    }

    @Test
    void anUnknownAlertGetsAGenericRecipe() throws Exception {
        JsonNode r = storedRecipe(fire("SomethingNobodyDescribed" + UUID.randomUUID().toString().substring(0, 6), "h1"));
        assertThat(r.get("provenance").get("source").asString()).isEqualTo("generic");
        assertThat(r.get("interpretation").asString()).contains("generic");
    }

    @Test
    void unknownIncidentsAndClassesAre404() {
        http.get("/api/v1/incidents/" + UUID.randomUUID() + "/recipe").bearer(viewer).send().problem(404);
        http.get("/api/v1/runbooks/no-such-class").bearer(viewer).send().problem(404);
        http.put("/api/v1/runbooks/no-such-class").bearer(responder).json(EDIT).send().problem(404);
    }

    @Test
    void listAndView() {
        JsonNode list = http.get("/api/v1/runbooks?category=host/").bearer(viewer).send().expect(200).json();
        assertThat(list.values()).anyMatch(c -> c.get("id").asString().equals(CLASS)
                && c.get("severity").asString().equals("medium"));
        JsonNode one = http.get("/api/v1/runbooks/" + CLASS).bearer(viewer).send().expect(200).json();
        assertThat(one.get("knowledgeBase").get("match").get("identifiers").get(0).get("alertname").asString())
                .isEqualTo("OnloopTestFixtureAlert");
        assertThat(one.get("knowledgeBase").get("root_causes").get(0).get("likelihood").asString()).isEqualTo("high");
    }

    @Test
    void operatorsEditVersionAndRevert() throws Exception {
        http.put("/api/v1/runbooks/" + CLASS).bearer(viewer).json(EDIT).send().problem(403);
        JsonNode v = http.put("/api/v1/runbooks/" + CLASS + "?note=clearer").bearer(responder).json(EDIT).send()
                .expect(200).json();
        int version = v.get("version").asInt();
        assertThat(v.get("author").asString()).startsWith("token:");
        assertThat(v.get("note").asString()).isEqualTo("clearer");

        String host = "edited-" + UUID.randomUUID();
        JsonNode r = storedRecipe(fire("OnloopTestFixtureAlert", host));
        assertThat(r.get("interpretation").asString()).isEqualTo("Edited recipe for " + host + ".");
        assertThat(r.get("provenance").get("source").asString()).isEqualTo("edited");
        assertThat(r.get("severity").get("level").asString()).isEqualTo("high");

        JsonNode detail = http.get("/api/v1/runbooks/" + CLASS).bearer(viewer).send().expect(200).json();
        assertThat(detail.get("version").asInt()).isEqualTo(version);
        assertThat(detail.get("edited").get("interpretation").asString()).isEqualTo("Edited recipe for {{instance|?}}.");

        JsonNode reverted = http.post("/api/v1/runbooks/" + CLASS + "/revert").bearer(responder).json(Map.of())
                .send().expect(200).json();
        assertThat(reverted.get("version").asInt()).isEqualTo(version + 1);
        assertThat(reverted.get("revertedToKnowledgeBase").asBoolean()).isTrue();
        JsonNode versions = http.get("/api/v1/runbooks/" + CLASS + "/versions").bearer(viewer).send().expect(200).json();
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(version + 1);
        assertThat(versions.get(1).get("template").get("interpretation").asString()).startsWith("Edited recipe");
        String back = "back-" + UUID.randomUUID();
        assertThat(storedRecipe(fire("OnloopTestFixtureAlert", back)).get("provenance").get("source").asString())
                .isEqualTo("knowledge-base");

        JsonNode again = http.post("/api/v1/runbooks/" + CLASS + "/revert").bearer(responder)
                .json(Map.of("version", version)).send().expect(200).json();
        assertThat(again.get("template").get("interpretation").asString()).startsWith("Edited recipe");
        http.post("/api/v1/runbooks/" + CLASS + "/revert").bearer(responder).json(Map.of("version", 9999)).send().problem(400);

        JsonNode auditLog = http.get("/api/v1/audit").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(auditLog.get("items").values()).extracting(a -> a.get("action").asString())
                .contains("runbook.edit", "runbook.revert");
    }

    @Test
    void badEditsArePreciseProblems() {
        JsonNode enumError = http.put("/api/v1/runbooks/" + CLASS).bearer(responder)
                .json(EDIT.replace("\"likelihood\": \"medium\"", "\"likelihood\": \"sometimes\"")).send().problem(400);
        assertThat(enumError.get("field").asString()).isEqualTo("root_causes[0].likelihood");
        JsonNode typo = http.put("/api/v1/runbooks/" + CLASS).bearer(responder)
                .json(EDIT.replace("root_causes", "rootcauses")).send().problem(400);
        assertThat(typo.get("field").asString()).isEqualTo("rootcauses");
        assertThat(typo.get("detail").asString()).startsWith("body: unknown field 'rootcauses' (known: severity, ")
                .doesNotContain("io.onloop", "Unrecognized");
        JsonNode shape = http.put("/api/v1/runbooks/" + CLASS).bearer(responder).json("severity: [unclosed").send()
                .problem(400);
        assertThat(shape.get("detail").asString())
                .isEqualTo("body: severity: expected an object with level and reasoning, got a list (line 1, column 11)");
        JsonNode rules = http.put("/api/v1/runbooks/" + CLASS).bearer(responder)
                .json(EDIT.replace("{{instance|?}}", "{{hostname}}").replace("https://systemd.io/", "http://systemd.io/")
                        .replace("systemctl restart app", "rm -rf /var/lib/app")).send().problem(400);
        assertThat(rules.get("problems").values()).extracting(JsonNode::asString).containsExactlyInAnyOrder(
                "interpretation: unknown template variable {{hostname}}",
                "remediation[0].command: destructive (\"rm -rf\"): needs risk high and the word WARNING in effect",
                "references[0].url: \"http://systemd.io/\" must be an https URL");
        http.put("/api/v1/runbooks/" + CLASS).bearer(responder).json("{not json").send().problem(400);
        http.put("/api/v1/runbooks/" + CLASS).bearer(responder).json("").send().problem(400);
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsReadWhole() {
        // over the API's 4 MiB: Spring would read it whole into a String before any check
        byte[] big = ("{\"interpretation\": \"" + "x".repeat(5 << 20) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonNode declared = http.put("/api/v1/runbooks/" + CLASS).bearer(responder).body(big, "application/json")
                .send().problem(413);
        assertThat(declared.get("detail").asString()).isEqualTo("the request body is over 4194304 bytes");
        JsonNode chunked = http.put("/api/v1/runbooks/" + CLASS).bearer(responder).chunked(big, "application/json")
                .send().problem(413);
        assertThat(chunked.get("title").asString()).isEqualTo("Payload too large");
        http.put("/api/v1/routes").bearer(ADMIN_TOKEN).chunked(big, "application/yaml").send().problem(413);
        http.put("/api/v1/runbooks/" + CLASS).bearer(viewer).chunked(big, "application/json").send().problem(403);
        // a form PUT is not read whole by Spring's form filter first (it is off): it meets the same bound
        http.put("/api/v1/runbooks/" + CLASS).bearer(responder).body(big, "application/x-www-form-urlencoded")
                .send().problem(413);
        http.put("/api/v1/runbooks/" + CLASS).body(big, "application/x-www-form-urlencoded").send().problem(401);
    }
}
