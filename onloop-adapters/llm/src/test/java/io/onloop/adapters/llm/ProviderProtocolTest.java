package io.onloop.adapters.llm;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.onloop.adapters.runbooks.RunbookCodec;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.RecipeCodec;
import io.onloop.domain.runbook.RecipeStore.LlmUsage;
import io.onloop.testkit.runbook.RecipeStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One provider's real protocol against a real HTTP server (WireMock): the request goes to the
 * provider's path with its authentication, a good answer becomes the recipe, and every way an
 * answer can be bad (malformed JSON, wrong shape, late, rate limited) ends in the base recipe or a
 * retried success. Subclasses say how the provider is reached and how it wraps an answer.
 */
abstract class ProviderProtocolTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final RecipeCodec CODEC = new RunbookCodec();
    static final String GOOD = """
            {"severity": {"level": "high", "reasoning": "The writer is saturated."},
             "interpretation": "CPU on <HOST_1> is pegged; queries queue.",
             "validation": [{"step": "Check load.", "command": "ssh <HOST_1> uptime"}],
             "troubleshooting": [{"step": "Find the top query.", "command": "psql -c 'SELECT 1'"}],
             "root_causes": [{"cause": "A new query.", "likelihood": "high", "check": "pg_stat_statements"}],
             "remediation": [{"action": "Cancel the query.", "risk": "low", "effect": "Load drops.",
                              "reversible": false, "automatable": true}],
             "references": [{"title": "PostgreSQL", "url": "https://www.postgresql.org/docs/"}]}""";

    WireMockServer server;
    final List<LlmUsage> usage = new CopyOnWriteArrayList<>();

    /** The provider's settings pointing at the server. */
    abstract LlmSettings settings(String serverUrl);

    /** The path the provider posts to. */
    abstract String path();

    /** The provider's response body carrying this text as the model's answer. */
    abstract String answer(String text);

    /** Checks on a request the provider sent (authentication, model). */
    abstract void checkRequest(ServeEvent request);

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    LlmRecipeAdvisor advisor(Duration timeout) {
        var s = settings(server.baseUrl()).withTimeout(timeout, Duration.ofMillis(20)).withPrices(1.0, 2.0)
                .withMasking(false, false, true);
        return new LlmRecipeAdvisor(s, CODEC, usage::add, Clock.systemUTC());
    }

    static Event event(String host) {
        return new Event(UUID.randomUUID(), "t1", null, SourceType.ALERTMANAGER, Instant.now(), null,
                EventStatus.FIRING, Severity.HIGH, "critical", "PostgresHighCPU", "CPU at 97% on " + host,
                new Resource("host", host, host), Map.of("alertname", "PostgresHighCPU", "instance", host + ":9100"),
                "fp-" + host, null, "", UUID.randomUUID());
    }

    static Recipe base() {
        return RecipeStoreContract.recipe("Knowledge-base interpretation.", Recipe.Source.KNOWLEDGE_BASE);
    }

    void respond(int status, String body, Duration delay) {
        server.stubFor(post(urlPathEqualTo(path())).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body).withFixedDelay((int) delay.toMillis())));
    }

    @Test
    void aGoodAnswerBecomesTheRecipeWithTheRealValuesBack() {
        respond(200, answer(GOOD), Duration.ZERO);
        try (var advisor = advisor(Duration.ofSeconds(5))) {
            Recipe r = advisor.advise(event("db-7.prod.internal"), base()).orElseThrow();
            assertThat(r.interpretation()).isEqualTo("CPU on db-7.prod.internal is pegged; queries queue.");
            assertThat(r.validation().getFirst().command()).isEqualTo("ssh db-7.prod.internal uptime");
            assertThat(r.provenance().source()).isEqualTo(Recipe.Source.LLM);
            assertThat(r.provenance().classId()).isEqualTo("k8s-x");
        }
        List<ServeEvent> requests = server.getAllServeEvents();
        assertThat(requests).hasSize(1);
        checkRequest(requests.getFirst());
        String body = requests.getFirst().getRequest().getBodyAsString();
        assertThat(body).doesNotContain("db-7.prod.internal").contains("<HOST_1>").contains("ALERT-DATA-")
                .contains("untrusted data");
        assertThat(usage).singleElement().satisfies(u -> {
            assertThat(u.tenantId()).isEqualTo("t1");
            assertThat(u.inputTokens()).isEqualTo(100);
            assertThat(u.outputTokens()).isEqualTo(50);
            assertThat(u.cost()).isCloseTo(100 / 1e6 + 50 * 2 / 1e6, org.assertj.core.data.Offset.offset(1e-12));
        });
    }

    @Test
    void malformedJsonFallsBack() {
        respond(200, answer("{\"severity\": {\"level\": \"high\", \"reasoning\": \"x\"}, \"interpretation\": "), Duration.ZERO);
        try (var advisor = advisor(Duration.ofSeconds(5))) {
            assertThat(advisor.advise(event("h1"), base())).isEmpty();
            assertThat(advisor.fallbacks()).isEqualTo(1);
        }
    }

    @Test
    void anAnswerOutsideTheSchemaFallsBack() {
        respond(200, answer(GOOD.replace("\"likelihood\": \"high\"", "\"likelihood\": \"very likely\"")), Duration.ZERO);
        try (var advisor = advisor(Duration.ofSeconds(5))) {
            assertThat(advisor.advise(event("h1"), base())).isEmpty();
        }
        respond(200, answer(GOOD.replace("https://www.postgresql.org/docs/", "javascript:alert(1)")), Duration.ZERO);
        try (var advisor = advisor(Duration.ofSeconds(5))) {
            assertThat(advisor.advise(event("h1"), base())).isEmpty();
        }
        assertThat(usage).as("tokens of a rejected answer are still paid for").hasSize(2);
    }

    @Test
    void aLateAnswerFallsBackInTime() {
        respond(200, answer(GOOD), Duration.ofSeconds(3));
        try (var advisor = advisor(Duration.ofMillis(500))) {
            long start = System.nanoTime();
            assertThat(advisor.advise(event("h1"), base())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void rateLimitedThenServerErrorThenSuccessIsRetried() {
        server.stubFor(post(urlPathEqualTo(path())).inScenario("retry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"rate limited\"}}")).willSetStateTo("limited"));
        server.stubFor(post(urlPathEqualTo(path())).inScenario("retry").whenScenarioStateIs("limited")
                .willReturn(aResponse().withStatus(503).withBody("overloaded")).willSetStateTo("ok"));
        server.stubFor(post(urlPathEqualTo(path())).inScenario("retry").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(answer(GOOD))));
        try (var advisor = advisor(Duration.ofSeconds(5))) {
            assertThat(advisor.advise(event("h1"), base())).isPresent();
            assertThat(advisor.modelCalls()).isEqualTo(3);
        }
        assertThat(server.getAllServeEvents()).hasSize(3);
    }

    @Test
    void noRetryIsMadeThatCouldNotBeAnsweredInTime() throws Exception {
        respond(429, "{\"error\": {\"message\": \"rate limited\"}}", Duration.ZERO);
        var s = settings(server.baseUrl()).withTimeout(Duration.ofMillis(400), Duration.ofMillis(600));
        try (var advisor = new LlmRecipeAdvisor(s, CODEC, usage::add, Clock.systemUTC())) {
            assertThat(advisor.advise(event("h1"), base())).isEmpty();
            Thread.sleep(1500); // the backoff (600 ms) would have ended, and a retry been sent, well within this
        }
        assertThat(server.getAllServeEvents()).as("the base recipe is kept: asking again would only cost").hasSize(1);
    }

    @Test
    void aStormOfOneAlertCostsOneCall() throws Exception {
        respond(200, answer(GOOD), Duration.ofMillis(300));
        try (var advisor = advisor(Duration.ofSeconds(5)); var pool = Executors.newFixedThreadPool(8)) {
            Event e = event("h1");
            List<Future<Optional<Recipe>>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> advisor.advise(e, base())));
            }
            for (var f : results) {
                assertThat(f.get()).isPresent();
            }
            assertThat(advisor.advise(e, base())).isPresent();
            assertThat(advisor.cacheHits()).isEqualTo(20);
        }
        assertThat(server.getAllServeEvents()).hasSize(1);
    }
}
