package io.onloop.app.rightsizing;

import io.onloop.app.AppTestBase;
import io.onloop.domain.access.Role;
import io.onloop.domain.rightsizing.Evidence;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copilot end to end on the real server and store: a source's recommendations recorded by the scan,
 * listed and filtered, approved (with the plan in the answer) or rejected through the API, with the roles,
 * the problem answers and the audit log.
 */
class RecommendationsApiTest extends AppTestBase {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @Autowired
    FixedRecommendationSource source;
    @Autowired
    RecommendationScanner scanner;

    private String env;
    private String viewer;
    private String approver;

    @BeforeEach
    void tokens() {
        env = "prod-" + UUID.randomUUID().toString().substring(0, 8); // this test's recommendations only
        viewer = apiToken(Role.VIEWER);
        approver = apiToken(Role.APPROVER);
    }

    private Recommendation deployment(String name, String cpu, double costNow, double costAfter, double risk) {
        return new Recommendation(new WorkloadRef("kubernetes", env, "shop", "Deployment", name, "app"),
                Recommendation.Direction.DOWN,
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "1", cpu),
                        new SettingChange(SettingChange.MEMORY_REQUEST, "2Gi", "512Mi")),
                new Evidence(T.minusSeconds(7 * 86400), T, 2016, Map.of("cpu.p95", 0.18), List.of("7 days of history")),
                costNow, costAfter, "USD", risk, List.of("memory peaks"), 0.6, T);
    }

    private Recommendation lambda(String name) {
        return new Recommendation(new WorkloadRef("aws", env, "", "LambdaFunction", name, ""),
                Recommendation.Direction.DOWN, List.of(new SettingChange(SettingChange.FUNCTION_MEMORY_MB, "1024", "512")),
                new Evidence(T.minusSeconds(86400), T, 100, Map.of(), List.of()), 12, 4, "USD", 0.1, List.of(), 0.5, T);
    }

    private void scan(Recommendation... found) {
        source.set(TENANT, List.of(found));
        scanner.scanNow();
    }

    private JsonNode list(String query) {
        return http.get("/api/v1/recommendations?environment=" + env + query).bearer(viewer).send().expect(200).json();
    }

    private String idOf(String name) {
        for (JsonNode r : list("&status=all&limit=500").get("items")) {
            if (r.get("workload").get("name").asString().equals(name) && r.get("status").asString().equals("open")) {
                return r.get("id").asString();
            }
        }
        throw new AssertionError("no open recommendation for " + name);
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(r -> names.add(r.get("workload").get("name").asString()));
        return names;
    }

    @Test
    void scannedRecommendationsAreListedFilteredAndPagedBySavings() {
        scan(deployment("cart", "250m", 40, 10, 0.2), deployment("search", "500m", 100, 50, 0.7), lambda("resize"));
        assertThat(names(list(""))).containsExactly("search", "cart", "resize");
        assertThat(names(list("&provider=aws"))).containsExactly("resize");
        assertThat(names(list("&namespace=shop&minSavings=31"))).containsExactly("search");
        assertThat(names(list("&maxRisk=0.5"))).containsExactly("cart", "resize");
        assertThat(names(list("&kind=Deployment&status=rejected"))).isEmpty();

        JsonNode first = list("&limit=2");
        assertThat(names(first)).containsExactly("search", "cart");
        JsonNode second = list("&limit=2&cursor=" + first.get("nextCursor").asString());
        assertThat(names(second)).containsExactly("resize");
        assertThat(second.get("nextCursor").isNull()).isTrue();

        JsonNode cart = list("&provider=kubernetes&maxRisk=0.5").get("items").get(0);
        assertThat(cart.get("monthlySavings").asDouble()).isEqualTo(30.0);
        assertThat(cart.get("evidence").get("statistics").get("cpu.p95").asDouble()).isEqualTo(0.18);
        assertThat(cart.get("changes").get(0).get("recommended").asString()).isEqualTo("250m");
        assertThat(cart.get("plan").isNull()).isTrue();
        JsonNode one = http.get("/api/v1/recommendations/" + cart.get("id").asString()).bearer(viewer).send()
                .expect(200).json();
        assertThat(one).isEqualTo(cart);

        // the same scan again is not duplicated; a different value supersedes
        scan(deployment("cart", "250m", 40, 10, 0.2), deployment("search", "400m", 100, 45, 0.7), lambda("resize"));
        assertThat(names(list(""))).containsExactly("search", "cart", "resize");
        JsonNode superseded = list("&status=superseded");
        assertThat(names(superseded)).containsExactly("search");
        assertThat(superseded.get("items").get(0).get("decidedBy").asString()).isEqualTo("scan");
    }

    @Test
    void approvingAnswersWithTheExactPlanAndCannotHappenTwice() {
        scan(deployment("cart", "250m", 40, 10, 0.2));
        String id = idOf("cart");
        http.post("/api/v1/recommendations/" + id + "/approve").bearer(viewer).json(Map.of("comment", "x")).send()
                .problem(403);

        JsonNode approved = http.post("/api/v1/recommendations/" + id + "/approve").bearer(approver)
                .json(Map.of("comment", "fits the p95")).send().expect(200).json();
        assertThat(approved.get("status").asString()).isEqualTo("approved");
        assertThat(approved.get("decidedBy").asString()).startsWith("token:");
        assertThat(approved.get("comment").asString()).isEqualTo("fits the p95");
        JsonNode plan = approved.get("plan");
        assertThat(plan.get("applied").asBoolean()).isFalse();
        JsonNode steps = plan.get("steps");
        assertThat(steps.get(0).get("kind").asString()).isEqualTo("kubernetes_patch");
        JsonNode patch = JSON.readTree(steps.get(0).get("content").asString());
        JsonNode container = patch.at("/spec/template/spec/containers/0");
        assertThat(container.get("name").asString()).isEqualTo("app");
        assertThat(container.at("/resources/requests/cpu").asString()).isEqualTo("250m");
        assertThat(container.at("/resources/requests/memory").asString()).isEqualTo("512Mi");
        assertThat(steps.get(1).get("content").asString())
                .isEqualTo("kubectl patch deployment/cart -n shop --type strategic -p '"
                        + steps.get(0).get("content").asString() + "'");
        assertThat(steps.get(2).get("kind").asString()).isEqualTo("kustomize_patch");

        JsonNode again = http.post("/api/v1/recommendations/" + id + "/reject").bearer(approver)
                .json(Map.of("comment", "changed my mind")).send().problem(409);
        assertThat(again.get("detail").asString()).contains("is already approved by token:");
        assertThat(again.get("recommendationStatus").asString()).isEqualTo("approved");
        assertThat(http.get("/api/v1/recommendations/" + id).bearer(viewer).send().expect(200).json()
                .get("plan")).isEqualTo(plan);

        JsonNode audit = http.get("/api/v1/audit").bearer(viewer).send().expect(200).json();
        JsonNode entry = null;
        for (JsonNode a : audit.get("items")) {
            if (a.get("targetId").asString().equals(id)) {
                entry = a;
            }
        }
        assertThat(entry).as("audit entry of the approval").isNotNull();
        assertThat(entry.get("action").asString()).isEqualTo("recommendation.approve");
        assertThat(entry.get("detail").asString()).contains("cpu.request 1 -> 250m").doesNotContain("fits the p95");
    }

    @Test
    void anApprovalOfWhatAScanRefreshedSinceItWasReadIs409AndChangesNothing() {
        scan(deployment("cart", "250m", 40, 10, 0.2));
        String id = idOf("cart");
        JsonNode read = http.get("/api/v1/recommendations/" + id).bearer(viewer).send().expect(200).json();
        scan(deployment("cart", "240m", 40, 11, 0.4)); // within 10%: the same recommendation, refreshed

        JsonNode refused = http.post("/api/v1/recommendations/" + id + "/approve").bearer(approver)
                .json(Map.of("comment", "fits", "updatedAt", read.get("updatedAt").asString())).send().problem(409);
        assertThat(refused.get("detail").asString()).contains("was refreshed by a scan").contains("cpu.request 1 -> 240m");
        JsonNode now = http.get("/api/v1/recommendations/" + id).bearer(viewer).send().expect(200).json();
        assertThat(now.get("status").asString()).isEqualTo("open");
        assertThat(refused.get("updatedAt").asString()).isEqualTo(now.get("updatedAt").asString());

        JsonNode approved = http.post("/api/v1/recommendations/" + id + "/approve").bearer(approver)
                .json(Map.of("comment", "fits", "updatedAt", now.get("updatedAt").asString())).send().expect(200).json();
        assertThat(approved.get("changes").get(0).get("recommended").asString()).isEqualTo("240m");
    }

    @Test
    void approvingWithTheManifestGivesTheDiffOrA422() {
        scan(deployment("cart", "250m", 40, 10, 0.2));
        String id = idOf("cart");
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: cart
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          resources:
                            requests:
                              cpu: "1"
                              memory: 2Gi
                """;
        JsonNode wrong = http.post("/api/v1/recommendations/" + id + "/approve").bearer(approver)
                .json(Map.of("manifest", yaml.replace("name: cart", "name: other"))).send().problem(422);
        assertThat(wrong.get("detail").asString()).isEqualTo("the manifest has no Deployment \"cart\"");
        JsonNode broken = http.post("/api/v1/recommendations/" + id + "/approve").bearer(approver)
                .json(Map.of("manifest", yaml.replace("  name: cart", "  name: [cart"))).send().problem(422);
        assertThat(broken.get("detail").asString()).as("and where it stops being YAML")
                .startsWith("the manifest has no Deployment \"cart\"; it is not valid YAML at line ");
        assertThat(http.get("/api/v1/recommendations/" + id).bearer(viewer).send().json().get("status").asString())
                .isEqualTo("open");

        JsonNode steps = http.post("/api/v1/recommendations/" + id + "/approve").bearer(approver)
                .json(Map.of("manifest", yaml, "manifestPath", "k8s/cart.yaml")).send().expect(200).json()
                .get("plan").get("steps");
        assertThat(steps.get(2).get("kind").asString()).isEqualTo("git_diff");
        assertThat(steps.get(2).get("content").asString()).isEqualTo("""
                --- a/k8s/cart.yaml
                +++ b/k8s/cart.yaml
                @@ -9,5 +9,5 @@
                         - name: app
                           resources:
                             requests:
                -              cpu: "1"
                -              memory: 2Gi
                +              cpu: 250m
                +              memory: 512Mi
                """);
    }

    @Test
    void anAwsApprovalIsTheApiCall() {
        scan(lambda("resize"));
        JsonNode steps = http.post("/api/v1/recommendations/" + idOf("resize") + "/approve").bearer(approver)
                .send().expect(200).json().get("plan").get("steps");
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).get("kind").asString()).isEqualTo("aws_api_call");
        JsonNode call = JSON.readTree(steps.get(0).get("content").asString());
        assertThat(call.get("service").asString()).isEqualTo("lambda");
        assertThat(call.get("operation").asString()).isEqualTo("UpdateFunctionConfiguration");
        assertThat(call.at("/parameters/FunctionName").asString()).isEqualTo("resize");
        assertThat(call.at("/parameters/MemorySize").asInt()).isEqualTo(512);
    }

    @Test
    void rejectingNeedsACommentAndBadRequestsArePreciseProblems() {
        scan(deployment("cart", "250m", 40, 10, 0.2));
        String id = idOf("cart");
        JsonNode noComment = http.post("/api/v1/recommendations/" + id + "/reject").bearer(approver)
                .json(Map.of("comment", " ")).send().problem(422);
        assertThat(noComment.get("pointer").asString()).isEqualTo("/comment");
        assertThat(noComment.get("detail").asString()).isEqualTo("comment: a rejection needs a comment saying why");
        JsonNode tooLong = http.post("/api/v1/recommendations/" + id + "/approve").bearer(approver)
                .json(Map.of("comment", "x".repeat(20_000))).send().problem(422);
        assertThat(tooLong.get("detail").asString()).isEqualTo("comment: a comment is at most 10000 characters");
        JsonNode rejected = http.post("/api/v1/recommendations/" + id + "/reject").bearer(approver)
                .json(Map.of("comment", "peak season")).send().expect(200).json();
        assertThat(rejected.get("status").asString()).isEqualTo("rejected");
        assertThat(rejected.get("plan").isNull()).isTrue();
        assertThat(names(list("&status=rejected"))).containsExactly("cart");

        http.get("/api/v1/recommendations/" + UUID.randomUUID()).bearer(viewer).send().problem(404);
        http.post("/api/v1/recommendations/" + UUID.randomUUID() + "/approve").bearer(approver).send().problem(404);
        http.get("/api/v1/recommendations/not-a-uuid").bearer(viewer).send().problem(400);
        assertThat(http.get("/api/v1/recommendations?status=pending").bearer(viewer).send().problem(400)
                .get("parameter").asString()).isEqualTo("status");
        assertThat(http.get("/api/v1/recommendations?maxRisk=2").bearer(viewer).send().problem(400)
                .get("parameter").asString()).isEqualTo("maxRisk");
        assertThat(http.get("/api/v1/recommendations?minSavings=lots").bearer(viewer).send().problem(400)
                .get("parameter").asString()).isEqualTo("minSavings");
        assertThat(http.get("/api/v1/recommendations?cursor=nonsense").bearer(viewer).send().problem(400)
                .get("parameter").asString()).isEqualTo("cursor");
        http.get("/api/v1/recommendations").send().problem(401);
    }

    @Test
    void theOpenApiDocumentSaysNothingIsApplied() {
        JsonNode paths = http.get("/v3/api-docs").send().expect(200).json().get("paths");
        assertThat(paths.has("/api/v1/recommendations")).isTrue();
        assertThat(paths.has("/api/v1/recommendations/{id}/reject")).isTrue();
        assertThat(paths.at("/~1api~1v1~1recommendations~1{id}~1approve/post/description").asString())
                .contains("Nothing is applied");
    }

    @Test
    void anotherTenantSeesNoneOfThem() {
        scan(deployment("cart", "250m", 40, 10, 0.2));
        String id = idOf("cart");
        String otherTenant = "other-" + UUID.randomUUID().toString().substring(0, 8);
        accessStore.createTenant(new io.onloop.domain.access.Tenant(otherTenant, otherTenant, Instant.now()));
        String outsider = apiTokenInStore(otherTenant, Role.ADMIN, null);
        http.get("/api/v1/recommendations/" + id).bearer(outsider).send().problem(404);
        http.post("/api/v1/recommendations/" + id + "/approve").bearer(outsider).send().problem(404);
        assertThat(http.get("/api/v1/recommendations?status=all").bearer(outsider).send().expect(200).json()
                .get("items")).isEmpty();
    }
}
