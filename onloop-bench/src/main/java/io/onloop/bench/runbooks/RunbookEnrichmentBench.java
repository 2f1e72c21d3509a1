package io.onloop.bench.runbooks;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.onloop.adapters.ingest.Parsers;
import io.onloop.adapters.llm.LlmRecipeAdvisor;
import io.onloop.adapters.llm.LlmSettings;
import io.onloop.adapters.runbooks.KnowledgeBase;
import io.onloop.adapters.runbooks.RunbookCodec;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.RecipeEnrichment;
import io.onloop.domain.runbook.RunbookClass;
import io.onloop.domain.runbook.RunbookMatcher;
import io.onloop.domain.runbook.RunbookEngine;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Recipe enrichment latency per event over the real knowledge base:
 * <ol>
 * <li>one event per exact identifier of every class (every class is matched at least once),</li>
 * <li>the sample payloads of every ingest format, parsed by the real parsers (some match by keywords,
 * some get the generic recipe),</li>
 * <li>knowledge-base recipe plus storing it (H2 file database, as the enrichment stage does),</li>
 * <li>the LLM advisor's cached path: pseudonymize, hash, cache hit, restore and render (the model,
 * a local HTTP server speaking the OpenAI protocol, is asked once per distinct alert beforehand).</li>
 * </ol>
 * Run (see docs/benchmarks.md): {@code ./mvnw -q -o -pl onloop-bench -am compile dependency:build-classpath
 * -Dmdep.outputFile=/tmp/bench-cp.txt}, then {@code java -cp onloop-bench/target/classes:$(cat /tmp/bench-cp.txt)
 * io.onloop.bench.runbooks.RunbookEnrichmentBench onloop-app/src/test/resources/payloads 200}
 */
public final class RunbookEnrichmentBench {
    private RunbookEnrichmentBench() {
    }

    public static void main(String[] args) throws Exception {
        Path payloads = Path.of(args.length > 0 ? args[0] : "onloop-app/src/test/resources/payloads");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;

        long t0 = System.nanoTime();
        List<RunbookClass> classes = KnowledgeBase.load();
        RunbookEngine engine = new RunbookEngine(classes);
        System.out.printf("knowledge base: %d classes, loaded and indexed in %.0f ms%n", classes.size(),
                (System.nanoTime() - t0) / 1e6);

        List<Event> identifierEvents = new ArrayList<>();
        for (RunbookClass c : classes) {
            for (Map<String, String> id : c.match().identifiers()) {
                if (id.values().stream().noneMatch(v -> v.startsWith("~"))) {
                    identifierEvents.add(event(c.title(), id));
                }
            }
        }
        List<Event> sampleEvents = samples(payloads);
        System.out.printf("events: %d identifier events, %d sample-payload events%n", identifierEvents.size(),
                sampleEvents.size());
        for (Event e : sampleEvents) {
            var p = engine.recipeFor(e, (t, c) -> Optional.empty()).provenance();
            System.out.printf("  %-14s %-60.60s -> %s %s (%.2f, %s)%n", e.source().id(), e.title(), p.source().id(),
                    p.classId(), p.confidence(), p.matchedBy());
        }

        RunbookMatcher matcher = new RunbookMatcher(classes);
        measure("KB match only, identifier events", identifierEvents, rounds, matcher::match);
        measure("KB recipe, identifier events", identifierEvents, rounds,
                e -> engine.recipeFor(e, (t, c) -> Optional.empty()));
        measure("KB recipe, sample payloads", sampleEvents, rounds * 20,
                e -> engine.recipeFor(e, (t, c) -> Optional.empty()));

        Path dir = Files.createTempDirectory("onloop-runbook-bench");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop")); // H2's WRITE_DELAY, as the server's
        config.setUsername("sa");
        try (var ds = new HikariDataSource(config)) {
            var stores = JdbcStores.migrateAndOpen(ds);
            try (var enrichment = new RecipeEnrichment(engine, stores.recipeStore(), Optional.empty(),
                    Clock.systemUTC(), 100, 1)) {
                measure("KB recipe + store (H2)", identifierEvents, Math.max(1, rounds / 20),
                        e -> enrichment.enrich(e.withIncident(UUID.randomUUID())));
            }
        }

        HttpServer server = openAiServer();
        try (var advisor = new LlmRecipeAdvisor(LlmSettings.of("openai-compatible",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", null, "bench-model"),
                new RunbookCodec(), u -> { }, Clock.systemUTC())) {
            List<Event> llmEvents = identifierEvents.subList(0, Math.min(100, identifierEvents.size()));
            List<Recipe> bases = llmEvents.stream().map(e -> engine.recipeFor(e, (t, c) -> Optional.empty())).toList();
            for (int i = 0; i < llmEvents.size(); i++) {
                advisor.advise(llmEvents.get(i), bases.get(i)).orElseThrow(); // fills the cache: one call each
            }
            long calls = advisor.modelCalls();
            measure("LLM advisor, cached", llmEvents, rounds, e -> {
                int k = llmEvents.indexOf(e);
                return advisor.advise(e, bases.get(k)).orElseThrow();
            });
            System.out.printf("  model calls: %d before measuring, %d after (cache hits %d)%n", calls,
                    advisor.modelCalls(), advisor.cacheHits());
        } finally {
            server.stop(0);
        }
    }

    private interface Work {
        Object run(Event e);
    }

    private static void measure(String name, List<Event> events, int rounds, Work work) {
        for (int r = 0; r < Math.max(3, rounds / 10); r++) { // warm-up
            events.forEach(work::run);
        }
        long[] nanos = new long[events.size() * rounds];
        int n = 0;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (Event e : events) {
                long t = System.nanoTime();
                work.run(e);
                nanos[n++] = System.nanoTime() - t;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        System.out.printf("%-30s n=%7d  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  %8.0f events/s (1 thread)%n", name, n,
                nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, nanos[n - 1] / 1e6, n / seconds);
    }

    private static Event event(String title, Map<String, String> labels) {
        return new Event(UUID.randomUUID(), "bench", null, SourceType.GENERIC, Instant.now(), null, EventStatus.FIRING,
                Severity.HIGH, "high", title, title + " on host-7", Resource.of("host", "host-7"), labels, "fp",
                null, "", UUID.randomUUID());
    }

    private static List<Event> samples(Path dir) throws Exception {
        Map<SourceType, EventParser> parsers = Parsers.defaults();
        EventNormalizer normalizer = new EventNormalizer(EventLimits.DEFAULT);
        List<Event> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                var format = SourceType.fromId(f.getParent().getFileName().toString()).orElse(null);
                if (format == null || !parsers.containsKey(format)) {
                    continue;
                }
                try {
                    var result = parsers.get(format).parse(IngestRequest.of(Files.readAllBytes(f)));
                    for (var alert : result.alerts()) {
                        out.add(normalizer.toEvent("bench", UUID.randomUUID(), format, alert, Instant.now())
                                .withIncident(UUID.randomUUID()));
                    }
                } catch (Exception e) {
                    System.out.println("  skipped " + dir.relativize(f) + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** A local server speaking the OpenAI chat-completions protocol with one fixed, valid recipe. */
    private static HttpServer openAiServer() throws Exception {
        String recipe = """
                {"severity": {"level": "high", "reasoning": "r"}, "interpretation": "Model reading of <HOST_1>.",
                 "validation": [{"step": "Check.", "command": "uptime"}], "troubleshooting": [{"step": "Dig."}],
                 "root_causes": [{"cause": "c", "likelihood": "high", "check": "k"}],
                 "remediation": [{"action": "a", "risk": "low", "effect": "e", "reversible": true, "automatable": false}],
                 "references": [{"title": "t", "url": "https://example.org/"}]}""";
        String body = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"bench-model\","
                + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":"
                + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(recipe) + "}}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":10,\"total_tokens\":20}}";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", x -> {
            x.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        });
        server.start();
        return server;
    }
}
