package io.onloop.app.api;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.onloop.app.Http;
import io.onloop.app.OnloopApplication;
import io.onloop.app.Payloads;
import io.onloop.domain.runbook.RecipeStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path with an LLM configured (its own context, apart from AppTestBase's): a webhook is
 * ingested, the knowledge-base recipe is stored, the OpenAI-protocol server (WireMock) answers and
 * the incident's recipe becomes the model's, with the alert's secret never sent and the cost counted.
 */
@SpringBootTest(classes = OnloopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LlmEnrichmentAppTest {
    static final String ADMIN = "olt_llm-app-test-admin-token";
    static final WireMockServer LLM = new WireMockServer(options().dynamicPort());
    static final String ANSWER = """
            {"severity": {"level": "info", "reasoning": "Model says relax."},
             "interpretation": "The model's reading of <EMAIL_1>'s fixture alert.",
             "validation": [{"step": "Check it.", "command": "uptime"}],
             "troubleshooting": [{"step": "Dig."}],
             "root_causes": [{"cause": "A test.", "likelihood": "high", "check": "It is a test."}],
             "remediation": [{"action": "None.", "risk": "low", "effect": "None.", "reversible": true, "automatable": true}],
             "references": [{"title": "onloop", "url": "https://github.com/"}]}""";

    static {
        LLM.start();
        LLM.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(okJson(JsonMapper.builder().build()
                .writeValueAsString(Map.of("id", "c1", "object", "chat.completion", "created", 1, "model", "gpt-4o-mini",
                        "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                                "message", Map.of("role", "assistant", "content", ANSWER))),
                        "usage", Map.of("prompt_tokens", 1000, "completion_tokens", 200, "total_tokens", 1200))))));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws Exception {
        r.add("onloop.data-dir", () -> tempDir());
        r.add("onloop.bootstrap.admin-token", () -> ADMIN);
        r.add("onloop.llm.enabled", () -> "true");
        r.add("onloop.llm.provider", () -> "openai");
        r.add("onloop.llm.base-url", () -> LLM.baseUrl() + "/v1");
        r.add("onloop.llm.api-key", () -> "sk-test-app-000000000000000000");
        r.add("onloop.llm.model", () -> "gpt-4o-mini");
        r.add("onloop.llm.input-cost-per-million", () -> "0.15");
        r.add("onloop.llm.output-cost-per-million", () -> "0.60");
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("onloop-llm-app-test").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        LLM.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    RecipeStore recipes;

    @Test
    void theIncidentsRecipeBecomesTheModelsWithoutTheSecretLeaving() throws Exception {
        Http http = new Http(port);
        String source = http.post("/api/v1/sources").bearer(ADMIN)
                .json(Map.of("format", "alertmanager", "name", "am", "verifySignatures", true)).send().expect(201).json()
                .get("token").asString();
        String payload = Payloads.alertmanager("firing", "OnloopTestFixtureAlert", "web-1")
                .replace("\"summary\":\"OnloopTestFixtureAlert on web-1\"",
                        "\"summary\":\"owner ops.lead@example.com, password=Sup3rSecret!\"");
        String incident = http.post("/api/v1/ingest/alertmanager").bearer(source).header("Prefer", "wait=10").json(payload).send().expect(202)
                .json().get("incidentIds").get(0).asString();

        JsonNode recipe = null;
        for (int i = 0; i < 200; i++) {
            recipe = http.get("/api/v1/incidents/" + incident + "/recipe").bearer(ADMIN).send().expect(200).json()
                    .get("recipe");
            if (recipe.get("provenance").get("source").asString().equals("llm")) {
                break;
            }
            Thread.sleep(25);
        }
        assertThat(recipe.get("provenance").get("source").asString()).isEqualTo("llm");
        assertThat(recipe.get("provenance").get("class_id").asString()).isEqualTo("onloop-test-fixture");
        assertThat(recipe.get("interpretation").asString()).isEqualTo("The model's reading of ops.lead@example.com's fixture alert.");
        assertThat(recipe.get("severity").get("level").asString()).as("kept from the knowledge base").isEqualTo("medium");
        assertThat(recipe.get("remediation").get(0).get("automatable").asBoolean()).isFalse();

        String sent = LLM.getAllServeEvents().getFirst().getRequest().getBodyAsString();
        assertThat(sent).doesNotContain("ops.lead@example.com").doesNotContain("Sup3rSecret!").contains("<EMAIL_1>");
        var usage = recipes.llmUsage("demo", Instant.EPOCH);
        assertThat(usage.calls()).isEqualTo(1);
        assertThat(usage.inputTokens()).isEqualTo(1000);
        assertThat(usage.cost()).isCloseTo(0.00027, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode api = http.get("/api/v1/llm/usage?since=2020-01-01T00:00:00Z").bearer(ADMIN).send().expect(200).json();
        assertThat(api.get("calls").asLong()).isEqualTo(1);
        assertThat(api.get("outputTokens").asLong()).isEqualTo(200);
        http.get("/api/v1/llm/usage?since=yesterday").bearer(ADMIN).send().problem(400);
    }
}
