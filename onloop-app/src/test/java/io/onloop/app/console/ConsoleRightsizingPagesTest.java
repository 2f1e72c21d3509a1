package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import io.onloop.app.rightsizing.FixedRecommendationSource;
import io.onloop.app.rightsizing.RecommendationScanner;
import io.onloop.domain.rightsizing.Evidence;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Rightsizing pages over real HTTP: the list with its filters, approve and reject, roles, escaping. */
class ConsoleRightsizingPagesTest extends AppTestBase {
    private static final String PAGE = "/console/rightsizing";
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @Autowired
    FixedRecommendationSource source;
    @Autowired
    RecommendationScanner scanner;

    private ConsoleClient admin;
    private String env;

    @BeforeEach
    void signIn() {
        admin = new ConsoleClient(http.baseUrl());
        assertThat(admin.signIn("admin", ADMIN_PASSWORD).status()).isEqualTo(302);
        env = "console-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Recommendation recommendation(String env, String name, String note, double savings) {
        return new Recommendation(new WorkloadRef("kubernetes", env, "shop", "Deployment", name, "app"),
                Recommendation.Direction.DOWN, List.of(new SettingChange(SettingChange.CPU_REQUEST, "1", "250m")),
                new Evidence(T.minusSeconds(86400), T, 288, Map.of("cpu.p95", 0.18234567891, "memory.max", 5.36870912E8),
                        List.of(note)),
                savings + 10, 10, "USD", 0.25, List.of("spiky memory"), 0.75, T);
    }

    private String id(String name) {
        var m = Pattern.compile("/console/rightsizing/([0-9a-f-]{36})\"[^>]*>Deployment shop/" + Pattern.quote(name) + "<")
                .matcher(admin.get(PAGE + "?environment=" + env).body());
        assertThat(m.find()).as("a link to " + name).isTrue();
        return m.group(1);
    }

    private ConsoleClient user(String role) {
        String name = role + "-" + UUID.randomUUID();
        String password = "password-" + UUID.randomUUID();
        http.post("/api/v1/users").bearer(ADMIN_TOKEN).json(Map.of("username", name, "password", password, "role", role))
                .send().expect(201);
        var c = new ConsoleClient(http.baseUrl());
        assertThat(c.signIn(name, password).status()).isEqualTo(302);
        return c;
    }

    @Test
    void theListShowsSavingsRiskConfidenceAndEvidenceWithHostileTextEscaped() {
        source.set(TENANT, List.of(recommendation(env, "cart", "<img src=x onerror=alert(1)>", 30),
                recommendation(env, "search", "fine", 50)));
        scanner.scanNow();
        String body = admin.get(PAGE + "?environment=" + env).body();
        assertThat(body).contains("Deployment shop/cart", "30.00 USD", "0.25", "0.75", "spiky memory",
                        "cpu.request: 1 → 250m", "288 samples")
                .contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=x");
        assertThat(body.indexOf("shop/search")).as("highest savings first").isLessThan(body.indexOf("shop/cart"));
        assertThat(admin.get(PAGE + "?environment=" + env + "&minSavings=40").body())
                .contains("shop/search").doesNotContain("shop/cart");
        assertThat(admin.get(PAGE + "?status=nonsense").status()).isEqualTo(400);
        var bad = admin.get(PAGE + "?environment=" + env + "&minSavings=abc&maxRisk=5");
        assertThat(bad.status()).as("said above the list, not an error page").isEqualTo(200);
        assertThat(bad.body()).contains("Saves at least: a number, such as 12.5.", "Risk at most: a number from 0 to 1.")
                .contains("shop/search", "shop/cart");
    }

    @Test
    void anApproverApprovesAndSeesThePlanAViewerCannot() {
        source.set(TENANT, List.of(recommendation(env, "cart", "n", 30)));
        scanner.scanNow();
        String id = id("cart");
        String detail = PAGE + "/" + id;

        var viewer = user("viewer");
        assertThat(viewer.get(detail).body()).contains("Deployment shop/cart").doesNotContain("id=\"approve-form\"")
                .contains(">0.1823<", ">536,870,912<").doesNotContain("0.18234567891", "5.36870912E8");
        // the viewer's own page has a CSRF token (sign-out form), so this is refused by role, not by CSRF
        assertThat(viewer.postForm(detail, detail + "/approve", Map.of("comment", "sneaky")).status()).isEqualTo(403);

        // an approval refused for its manifest keeps what was typed, to be corrected rather than pasted again
        admin.postForm(detail, detail + "/approve", Map.of("comment", "with the diff", "manifestPath", "deploy/cart.yaml",
                "manifest", "kind: Deployment\nmetadata:\n  name: other # <b>not cart</b>\n"));
        assertThat(admin.get(detail).body()).contains("Not approved: the manifest has no Deployment", "value=\"with the diff\"",
                "value=\"deploy/cart.yaml\"", "name: other # &lt;b&gt;not cart&lt;/b&gt;", "<details open");

        var approved = admin.postForm(detail, detail + "/approve", Map.of("comment", "go"));
        assertThat(approved.status()).isEqualTo(302);
        assertThat(admin.get(detail).body()).contains("Approved. The change plan is below", "id=\"plan\"",
                "kubectl patch deployment/cart -n shop --type strategic -p", "approved by admin")
                .doesNotContain("id=\"approve-form\"");
        admin.postForm(detail, detail + "/reject", Map.of("comment", "too late"));
        assertThat(admin.get(detail).body()).contains("Not rejected: recommendation " + id + " is already approved");
        assertThat(admin.get("/console/audit").body()).contains("recommendation.approve");
    }

    @Test
    void aRejectionNeedsAComment() {
        source.set(TENANT, List.of(recommendation(env, "cart", "n", 30)));
        scanner.scanNow();
        String detail = PAGE + "/" + id("cart");
        admin.postForm(detail, detail + "/reject", Map.of("comment", " "));
        assertThat(admin.get(detail).body()).contains("Not rejected: a rejection needs a comment saying why");
        admin.postForm(detail, detail + "/reject", Map.of("comment", "peak season"));
        assertThat(admin.get(detail).body()).contains("Rejected.", "rejected by admin").contains("peak season");
    }
}
