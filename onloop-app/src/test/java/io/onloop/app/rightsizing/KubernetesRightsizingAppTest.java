package io.onloop.app.rightsizing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.onloop.app.Http;
import io.onloop.app.OnloopApplication;
import io.onloop.domain.access.Role;
import io.onloop.domain.rightsizing.PricingCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Kubernetes recommendation source through the running app (its own context, apart from AppTestBase's):
 * onloop.rightsizing.kubernetes.* points at fabric8's mock API server (reached as operators outside a cluster
 * reach theirs, through a kubeconfig) and at a Prometheus (WireMock) answering the exact PromQL of
 * KubernetesUsage in Prometheus' JSON. The app's scanner finds the over-requested Deployment, the API lists
 * its recommendation, and approving it gives the exact patch, audited. Nothing of onloop's is mocked.
 */
@SpringBootTest(classes = OnloopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its client points at the mock API server, stopped after the class
class KubernetesRightsizingAppTest {
    static final String ADMIN = "olt_k8s-rightsizing-app-test-admin";
    static final String PROMETHEUS_TOKEN = "prometheus-test-token";
    static final String CLUSTER = "e2e-cluster";
    static final double MIB = 1024 * 1024;
    static final long STEP = 300;                       // the default onloop.rightsizing.kubernetes.step
    static final long HISTORY = 8 * 86400;              // the default history, in the queries' [range]
    static final long END = Instant.now().getEpochSecond() / STEP * STEP;
    static final long START = END - 7 * 86400;          // a week of 5-minute samples
    static final int SAMPLES = (int) ((END - START) / STEP) + 1;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path DATA_DIR = tempDir();

    static final KubernetesMockServer KUBERNETES = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
            new MockWebServer(), new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), true);
    static final WireMockServer PROMETHEUS = new WireMockServer(options().dynamicPort());
    static final String KUBECONFIG_PROPERTY = "kubeconfig"; // fabric8 reads it like the KUBECONFIG variable

    static {
        KUBERNETES.init();
        try (var client = KUBERNETES.createClient()) {
            // shop/cart: 3 replicas asking 2 cores and 4 GiB each, using a tenth of that
            client.resource(deployment("shop", "cart", 3, "2", "4Gi")).create();
            // web/search: scaled by an HPA on CPU at 50%, which keeps the CPU request from falling below p90 / 0.5
            client.resource(deployment("web", "search", 4, "1", "1Gi")).create();
            client.resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("search").withNamespace("web")
                    .endMetadata().withNewSpec().withNewScaleTargetRef("apps/v1", "Deployment", "search")
                    .withMinReplicas(2).withMaxReplicas(10).addNewMetric().withType("Resource").withNewResource()
                    .withName("cpu").withNewTarget().withType("Utilization").withAverageUtilization(50).endTarget()
                    .endResource().endMetric().endSpec().build()).create();
            // batch/worker: over-requested too, but batch is not one of the configured namespaces
            client.resource(deployment("batch", "worker", 1, "8", "16Gi")).create();
        }
        Path kubeconfig = write("kubeconfig", """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster:
                      server: https://%s:%d
                      insecure-skip-tls-verify: true
                contexts:
                  - name: mock
                    context:
                      cluster: mock
                      user: onloop
                      namespace: default
                current-context: mock
                users:
                  - name: onloop
                    user:
                      token: kubernetes-test-token
                """.formatted(KUBERNETES.getHostName(), KUBERNETES.getPort()));
        System.setProperty(KUBECONFIG_PROPERTY, kubeconfig.toString());

        PROMETHEUS.start();
        // cart: two pods, CPU 0.10-0.20 cores, memory 300-360 MiB, a daily wave
        prometheus("shop", "cart", List.of("cart-6d9c7b5f8d-x2x4z", "cart-6d9c7b5f8d-k8w2n"),
                t -> 0.15 + 0.05 * wave(t), t -> (330 + 30 * wave(t)) * MIB, 2, 4096 * MIB);
        // search: CPU 0.25-0.35 cores per pod, memory about 600 MiB
        prometheus("web", "search", List.of("search-7f8b9c6d5b-q9r2t"),
                t -> 0.30 + 0.05 * wave(t), t -> (600 + 10 * wave(t)) * MIB, 1, 1024 * MIB);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("onloop.data-dir", DATA_DIR::toString);
        r.add("onloop.bootstrap.admin-token", () -> ADMIN);
        r.add("onloop.rightsizing.first-scan-delay", () -> "1h"); // the test scans when it chooses
        r.add("onloop.rightsizing.kubernetes.prometheus-url", PROMETHEUS::baseUrl);
        r.add("onloop.rightsizing.kubernetes.prometheus-bearer-token", () -> PROMETHEUS_TOKEN);
        r.add("onloop.rightsizing.kubernetes.environment", () -> CLUSTER);
        r.add("onloop.rightsizing.kubernetes.namespaces", () -> "shop,web");
    }

    @AfterAll
    static void stop() {
        System.clearProperty(KUBECONFIG_PROPERTY);
        PROMETHEUS.stop();
        KUBERNETES.destroy();
    }

    @LocalServerPort
    int port;
    @Autowired
    RecommendationScanner scanner;

    @Test
    void theScanRecommendsLessForTheOverRequestedDeploymentAndApprovingItGivesTheExactPatch() {
        Http http = new Http(port);
        String viewer = token(http, Role.VIEWER);
        String approver = token(http, Role.APPROVER);

        scanner.scanNow(); // the scan the schedule runs, now

        assertThat(list(http, viewer, "").get("items")).hasSize(2);
        assertThat(names(list(http, viewer, "&status=all"))).as("batch is not a configured namespace")
                .containsExactlyInAnyOrder("cart", "search");
        PROMETHEUS.verify(0, postRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withFormParam("query", containing("namespace=\"batch\"")));

        JsonNode shop = list(http, viewer, "&namespace=shop");
        assertThat(shop.get("items")).hasSize(1);
        JsonNode cart = shop.get("items").get(0);
        assertThat(cart.get("status").asString()).isEqualTo("open");
        assertThat(cart.get("workload").get("key").asString()).isEqualTo("kubernetes/" + CLUSTER + "/shop/Deployment/cart/app");
        assertThat(cart.get("direction").asString()).isEqualTo("down");
        double cpu = millicores(change(cart, "cpu.request", "2000m"));
        double memory = mebibytes(change(cart, "memory.request", "4096Mi"));
        // above the peaks (0.20 cores, 378 MiB; see the statistics below), far below 2 cores and 4 GiB
        assertThat(cpu).as("CPU request, cores").isGreaterThan(0.20).isLessThan(0.5);
        assertThat(memory).as("memory request, bytes").isGreaterThan(1.05 * 360 * MIB).isLessThan(1024 * MIB);
        assertThat(cart.get("changes")).hasSize(2); // no limits in the template, none added

        // the shipped prices, 3 replicas: the requests now, the recommended ones after
        PricingCatalog prices = PricingCatalog.defaults();
        assertThat(cart.get("monthlyCostNow").asDouble()).isCloseTo(3 * prices.containerMonthly(2, 4096 * MIB), within(1e-6));
        assertThat(cart.get("monthlyCostAfter").asDouble()).isCloseTo(3 * prices.containerMonthly(cpu, memory), within(1e-6));
        assertThat(cart.get("monthlySavings").asDouble()).isPositive()
                .isCloseTo(cart.get("monthlyCostNow").asDouble() - cart.get("monthlyCostAfter").asDouble(), within(1e-6));

        JsonNode evidence = cart.get("evidence");
        assertThat(evidence.get("samples").asLong()).isEqualTo(SAMPLES);
        assertThat(Instant.parse(evidence.get("historyStart").asString())).isEqualTo(Instant.ofEpochSecond(START));
        assertThat(Instant.parse(evidence.get("historyEnd").asString())).isEqualTo(Instant.ofEpochSecond(END));
        JsonNode stats = evidence.get("statistics");
        assertThat(stats.get("cpu.max").asDouble()).isCloseTo(0.20, within(1e-9)); // CPU: the pods' average
        assertThat(stats.get("memory.max").asDouble()).isCloseTo(1.05 * 360 * MIB, within(1.0)); // memory: the larger pod
        assertThat(stats.get("replicas").asDouble()).isEqualTo(3);
        assertThat(stats.get("cpu.throttledRatio").asDouble()).isEqualTo(0.01);

        // the HPA of web/search reached the rightsizer: its CPU request stays at least p90 / 50%
        JsonNode search = list(http, viewer, "&namespace=web").get("items").get(0);
        assertThat(search.get("workload").get("name").asString()).isEqualTo("search");
        assertThat(search.get("evidence").get("notes").toString()).contains("scaled by HPA search on CPU at 50%");
        double p90 = search.get("evidence").get("statistics").get("cpu.p90").asDouble();
        double searchCpu = recommendedCores(search);
        assertThat(searchCpu).isGreaterThanOrEqualTo(p90 / 0.5 - 1e-9).isLessThan(1.0);

        http.post("/api/v1/recommendations/" + id(cart) + "/approve").bearer(viewer).send().problem(403);
        JsonNode approved = http.post("/api/v1/recommendations/" + id(cart) + "/approve").bearer(approver)
                .json(Map.of("comment", "a tenth of the request is used")).send().expect(200).json();
        assertThat(approved.get("status").asString()).isEqualTo("approved");
        JsonNode steps = approved.get("plan").get("steps");
        String patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"resources\":{\"requests\":"
                + "{\"cpu\":\"" + Math.round(cpu * 1000) + "m\",\"memory\":\"" + Math.round(memory / MIB) + "Mi\"}}}]}}}}";
        assertThat(steps.get(0).get("kind").asString()).isEqualTo("kubernetes_patch");
        assertThat(JSON.readTree(steps.get(0).get("content").asString())).isEqualTo(JSON.readTree(patch));
        assertThat(steps.get(1).get("kind").asString()).isEqualTo("kubectl");
        assertThat(steps.get(1).get("content").asString()).isEqualTo("kubectl patch deployment/cart -n shop --type strategic -p '"
                + steps.get(0).get("content").asString() + "'");
        assertThat(approved.get("plan").get("notes").get(0).asString()).contains("environment \"" + CLUSTER + "\"");

        JsonNode entry = null;
        for (JsonNode a : http.get("/api/v1/audit").bearer(viewer).send().expect(200).json().get("items")) {
            if (a.get("targetId").asString().equals(id(cart))) {
                entry = a;
            }
        }
        assertThat(entry).as("audit entry of the approval").isNotNull();
        assertThat(entry.get("action").asString()).isEqualTo("recommendation.approve");
        assertThat(entry.get("detail").asString()).contains("cpu.request 2000m -> " + Math.round(cpu * 1000) + "m");
        assertThat(list(http, viewer, "&namespace=shop&status=approved").get("items")).hasSize(1);
    }

    // ---- the cluster

    static io.fabric8.kubernetes.api.model.apps.Deployment deployment(String namespace, String name, int replicas,
                                                                      String cpu, String memory) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addToContainers(new ContainerBuilder().withName("app").withImage("registry.example/" + name + ":1")
                        .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                        .endResources().build())
                .endSpec().endTemplate().endSpec().build();
    }

    // ---- Prometheus: the queries KubernetesUsage sends, answered as Prometheus answers them

    interface Series {
        double at(long epochSecond);
    }

    /**
     * A daily wave whose phase is tied to the end of the history, not to the time of day: the CPU models with short
     * half-lives follow the latest hours, so a wave tied to the clock made the recommendation depend on when the
     * test ran (0.154 cores at 21:45 UTC, under the 0.20 asserted below; above it at 21:10 and 21:23).
     */
    static double wave(long t) {
        return Math.sin(2 * Math.PI * (t - END) / 86400.0);
    }

    static void prometheus(String namespace, String deployment, List<String> pods, Series cpu, Series memory,
                           double cpuRequest, double memoryRequest) {
        String s = "namespace=\"" + namespace + "\",pod=~\"" + deployment
                + "-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\",container=\"app\"";
        String period = "[" + HISTORY + "s]";
        answer("/api/v1/query_range", "max by (pod) (rate(container_cpu_usage_seconds_total{" + s + "}[300s]))",
                matrix(pods, cpu));
        answer("/api/v1/query_range", "max by (pod) (container_memory_working_set_bytes{" + s + "})", matrix(pods, memory));
        answer("/api/v1/query", "max by (resource) (kube_pod_container_resource_requests{" + s + ",resource=~\"cpu|memory\"})",
                vector(List.of(Map.of("resource", "cpu"), Map.of("resource", "memory")), List.of(cpuRequest, memoryRequest)));
        answer("/api/v1/query", "max by (resource) (kube_pod_container_resource_limits{" + s + ",resource=~\"cpu|memory\"})",
                vector(List.of(), List.of()));
        answer("/api/v1/query", "sum(increase(container_oom_events_total{" + s + "}" + period + "))", vector(List.of(), List.of()));
        answer("/api/v1/query", "sum(max_over_time(kube_pod_container_status_last_terminated_reason{" + s
                + ",reason=\"OOMKilled\"}" + period + "))", vector(List.of(), List.of()));
        answer("/api/v1/query", "sum(increase(container_cpu_cfs_throttled_periods_total{" + s + "}" + period + "))"
                + " / sum(increase(container_cpu_cfs_periods_total{" + s + "}" + period + "))",
                vector(List.of(Map.of()), List.of(0.01)));
    }

    /** Only the exact query with the configured token is answered; anything else is WireMock's 404, no JSON. */
    static void answer(String path, String query, Object data) {
        PROMETHEUS.stubFor(post(urlPathEqualTo(path)).withFormParam("query", equalTo(query))
                .withHeader("Authorization", equalTo("Bearer " + PROMETHEUS_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(JSON.writeValueAsString(Map.of("status", "success", "data", data)))));
    }

    /** One series per pod, a point every step from START to END, values as strings. */
    static Map<String, Object> matrix(List<String> pods, Series values) {
        List<Object> result = new ArrayList<>();
        for (int p = 0; p < pods.size(); p++) {
            double factor = pods.size() == 1 ? 1 : p == 0 ? 1.05 : 0.95; // two pods: 5% above and below
            List<List<Object>> points = new ArrayList<>();
            for (long t = START; t <= END; t += STEP) {
                points.add(List.of(t, Double.toString(values.at(t) * factor)));
            }
            result.add(Map.of("metric", Map.of("pod", pods.get(p)), "values", points));
        }
        return Map.of("resultType", "matrix", "result", result);
    }

    static Map<String, Object> vector(List<Map<String, String>> labels, List<Double> values) {
        List<Object> result = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            result.add(Map.of("metric", labels.get(i), "value", List.of(END, Double.toString(values.get(i)))));
        }
        return Map.of("resultType", "vector", "result", result);
    }

    // ---- the API

    static String token(Http http, Role role) {
        return http.post("/api/v1/tokens").bearer(ADMIN).json(Map.of("name", role.id() + "-k8s", "role", role.id()))
                .send().expect(201).json().get("token").asString();
    }

    static JsonNode list(Http http, String viewer, String query) {
        return http.get("/api/v1/recommendations?environment=" + CLUSTER + query).bearer(viewer).send().expect(200).json();
    }

    static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(r -> names.add(r.get("workload").get("name").asString()));
        return names;
    }

    static String id(JsonNode recommendation) {
        return recommendation.get("id").asString();
    }

    /** The recommended value of a setting, after checking its current value. */
    static String change(JsonNode recommendation, String setting, String current) {
        for (JsonNode c : recommendation.get("changes")) {
            if (c.get("setting").asString().equals(setting)) {
                assertThat(c.get("current").asString()).as(setting + " now").isEqualTo(current);
                return c.get("recommended").asString();
            }
        }
        throw new AssertionError("no change of " + setting + " in " + recommendation.get("changes"));
    }

    static double recommendedCores(JsonNode recommendation) {
        for (JsonNode c : recommendation.get("changes")) {
            if (c.get("setting").asString().equals("cpu.request")) {
                return millicores(c.get("recommended").asString());
            }
        }
        return 1.0; // unchanged
    }

    static double millicores(String quantity) {
        assertThat(quantity).matches("\\d+m");
        return Integer.parseInt(quantity.substring(0, quantity.length() - 1)) / 1000.0;
    }

    static double mebibytes(String quantity) {
        assertThat(quantity).matches("\\d+Mi");
        return Integer.parseInt(quantity.substring(0, quantity.length() - 2)) * MIB;
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("onloop-k8s-app-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(String name, String text) {
        try {
            return Files.writeString(tempDir().resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
