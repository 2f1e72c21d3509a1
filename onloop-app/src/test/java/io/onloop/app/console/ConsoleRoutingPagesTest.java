package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Routes and silences in the console over real HTTP: the route file, dry runs, silences, roles, escaping. */
class ConsoleRoutingPagesTest extends AppTestBase {
    private static final String PAGE = "/console/routing";
    private ConsoleClient browser;
    private String team;

    @BeforeEach
    void signIn() {
        browser = new ConsoleClient(http.baseUrl());
        assertThat(browser.signIn("admin", ADMIN_PASSWORD).status()).isEqualTo(302);
        team = "team-" + UUID.randomUUID();
    }

    private String routeFile() {
        return """
                # console routes under test
                route:
                  receiver: nowhere
                  group_by: [team]
                  routes:
                    - matchers: ['team="%s"']
                      receiver: inbox
                receivers:
                  - name: nowhere
                  - name: inbox
                    targets: [{type: inbox}]
                """.formatted(team);
    }

    private ConsoleClient viewer(String role) {
        String name = role + "-" + UUID.randomUUID();
        String password = "password-" + UUID.randomUUID();
        http.post("/api/v1/users").bearer(ADMIN_TOKEN).json(Map.of("username", name, "password", password, "role", role))
                .send().expect(201);
        var c = new ConsoleClient(http.baseUrl());
        assertThat(c.signIn(name, password).status()).isEqualTo(302);
        return c;
    }

    @Test
    void anAdminValidatesAndSavesTheRouteFileAndSeesWhereEachProblemIs() {
        var bad = browser.postForm(PAGE, "/console/routes/validate", Map.of("yaml", """
                route:
                  receiver: ops
                  group_wait: soon
                receivers:
                  - name: ops
                """));
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body()).contains("id=\"route-problems\"", "line 3, column 15", "route.group_wait", "not a duration")
                .contains("group_wait: soon"); // the text stays in the form

        var valid = browser.postForm(PAGE, "/console/routes/validate", Map.of("yaml", routeFile()));
        assertThat(valid.body()).contains("Valid: 2 routes").doesNotContain("id=\"route-problems\"");
        assertThat(http.get("/api/v1/routes").bearer(ADMIN_TOKEN).send().body()).doesNotContain(team);

        var saved = browser.postForm(PAGE, "/console/routes", Map.of("yaml", routeFile(), "save", "1"));
        assertThat(saved.status()).isEqualTo(302);
        assertThat(browser.get(PAGE).body()).contains("Saved: 2 routes", "Saved by admin", team);
        assertThat(http.get("/api/v1/routes").bearer(ADMIN_TOKEN).send().expect(200).body()).isEqualTo(routeFile());
        assertThat(browser.get("/console/audit").body()).contains("routes.update");
    }

    @Test
    void aDryRunShowsWhereAnAlertWouldGoAndWhyWithAlertTextEscaped() {
        browser.postForm(PAGE, "/console/routes", Map.of("yaml", routeFile(), "save", "1"));
        String alert = "{\"title\":\"<script>window.__pwned=1</script> disk\",\"severity\":\"high\",\"labels\":{\"team\":\""
                + team + "\"}}";
        var r = browser.postForm(PAGE, "/console/routing/dry-run", Map.of("format", "generic", "alert", alert));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"dry-run-result\"", ">root.0<", ">inbox<", "nothing: it is sent",
                "&lt;script&gt;window.__pwned=1&lt;/script&gt; disk").doesNotContain("<script>window");

        var broken = browser.postForm(PAGE, "/console/routing/dry-run", Map.of("format", "generic", "alert", "{not json"));
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.body()).contains("id=\"dry-run-problem\"");
        var unknown = browser.postForm(PAGE, "/console/routing/dry-run", Map.of("format", "nope", "alert", alert));
        assertThat(unknown.body()).contains("format: expected one of");
    }

    @Test
    void aResponderCreatesASilenceThatHoldsTheAlertAndExpiresIt() {
        browser.postForm(PAGE, "/console/routes", Map.of("yaml", routeFile(), "save", "1"));
        var responder = viewer("responder");
        String until = LocalDateTime.ofInstant(Instant.now().plus(2, ChronoUnit.HOURS), ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.MINUTES).toString();

        var everything = responder.postForm(PAGE, "/console/silences",
                Map.of("matchers", "team=~\".*\"", "endsAt", until, "comment", "all"));
        assertThat(everything.status()).isEqualTo(302);
        assertThat(responder.get(PAGE).body()).contains("Silence not created", "match every alert")
                .contains("team=~&quot;.*&quot;"); // what was typed is kept

        var created = responder.postForm(PAGE, "/console/silences",
                Map.of("matchers", "team=\"" + team + "\"\n", "endsAt", until, "comment", "maintenance <b>window</b>"));
        assertThat(created.status()).isEqualTo(302);
        String page = responder.get(PAGE).body();
        assertThat(page).contains("Silence created", "team=&quot;" + team + "&quot;", "maintenance &lt;b&gt;window&lt;/b&gt;")
                // asked before it ends, naming which (console.js; the form works without it)
                .contains("data-confirm=\"Expire the silence on team=&quot;" + team + "&quot;? The alerts it matches are no longer held back.\"");

        JsonNode silence = findSilence();
        assertThat(silence.get("createdBy").asString()).startsWith("responder-");
        assertThat(silence.get("state").asString()).isEqualTo("active");

        String alert = "{\"title\":\"quiet\",\"labels\":{\"team\":\"" + team + "\"}}";
        String dry = responder.postForm(PAGE, "/console/routing/dry-run", Map.of("format", "generic", "alert", alert)).body();
        assertThat(dry).contains("silence " + silence.get("id").asString());

        String id = silence.get("id").asString();
        assertThat(responder.post("/console/silences/" + id + "/expire", Map.of()).status()).as("no CSRF").isEqualTo(403);
        assertThat(responder.postForm(PAGE, "/console/silences/" + id + "/expire", Map.of()).status()).isEqualTo(302);
        assertThat(findSilence().get("state").asString()).isEqualTo("expired");
        assertThat(responder.get(PAGE).body()).contains("Silence expired.");
        assertThat(responder.postForm(PAGE, "/console/silences/" + id + "/expire", Map.of()).status()).isEqualTo(302);
        assertThat(responder.get(PAGE).body()).contains("has already ended");
        assertThat(browser.get("/console/audit").body()).contains("silence.create", "silence.expire");
    }

    @Test
    void rolesDecideWhoSeesTheFileAndWhoChangesThings() {
        var viewer = viewer("viewer");
        String page = viewer.get(PAGE).body();
        assertThat(page).contains("only admins see it", "id=\"run-dry-run\"")
                .doesNotContain("id=\"route-yaml\"", "id=\"create-silence\"");
        assertThat(viewer.postForm(PAGE, "/console/silences", Map.of("matchers", "team=\"x\"", "comment", "no")).status())
                .isEqualTo(403);
        assertThat(viewer.postForm(PAGE, "/console/routing/dry-run", Map.of("alert", "{\"title\":\"t\"}")).status())
                .isEqualTo(200);

        var responder = viewer("responder");
        assertThat(responder.get(PAGE).body()).contains("id=\"create-silence\"").doesNotContain("id=\"route-yaml\"");
        assertThat(responder.postForm(PAGE, "/console/routes", Map.of("yaml", routeFile(), "save", "1")).status())
                .isEqualTo(403);
        assertThat(responder.postForm(PAGE, "/console/routes/validate", Map.of("yaml", routeFile())).status())
                .isEqualTo(403);

        var html = browser.get(PAGE);
        assertThat(html.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(html.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                .doesNotContainPattern("<[a-zA-Z][^>]*\\s(on[a-z]+|style)\\s*=");
    }

    @Test
    void theOverviewCountsDeliveriesAsTheStoreHoldsThem() {
        for (String status : new String[]{"pending", "dead"}) {
            // the worker may move rows meanwhile: the page's figure lies between a count before and one after
            int before = deliveries(status);
            String html = browser.get("/console").body();
            int after = deliveries(status);
            var m = java.util.regex.Pattern.compile("id=\"" + status + "-count\">([^<]+)<").matcher(html);
            assertThat(m.find()).as(html).isTrue();
            if (Math.min(before, after) > 100) {
                assertThat(m.group(1)).isEqualTo("more than 100");
            } else {
                assertThat(Integer.parseInt(m.group(1))).isBetween(Math.min(before, after), Math.max(before, after));
            }
        }
    }

    private int deliveries(String status) {
        int n = 0;
        String cursor = "";
        do {
            JsonNode page = http.get("/api/v1/deliveries?limit=500&status=" + status + cursor).bearer(ADMIN_TOKEN).send()
                    .expect(200).json();
            n += page.get("items").size();
            cursor = page.hasNonNull("nextCursor") ? "&cursor=" + page.get("nextCursor").asString() : null;
        } while (cursor != null);
        return n;
    }

    private JsonNode findSilence() {
        for (JsonNode s : http.get("/api/v1/silences?state=all").bearer(ADMIN_TOKEN).send().expect(200).json()) {
            if (s.get("matchers").toString().contains(team)) {
                return s;
            }
        }
        throw new AssertionError("no silence for " + team);
    }

    @Test
    void anEditorKeepsBidiControlsSoThatSavingChangesNothing() {
        String yaml = routeFile().replace("# console routes under test",
                "# \u2067\u05e9\u05dc\u05d5\u05dd\u2069 ops\u200b\udb40\udc41");
        assertThat(browser.postForm(PAGE, "/console/routes", Map.of("yaml", yaml, "save", "1")).status()).isEqualTo(302);
        String page = browser.get(PAGE).body();
        assertThat(page).as("in the editor, as character references the browser turns back into the characters")
                .contains("# &#x2067;\u05e9\u05dc\u05d5\u05dd&#x2069; ops&#x200B;&#xE0041;")
                .doesNotContain("[U+2067]", "[U+200B]");
        assertThat(http.get("/api/v1/routes").bearer(ADMIN_TOKEN).send().expect(200).body())
                .contains("\u2067\u05e9\u05dc\u05d5\u05dd\u2069 ops\u200b\udb40\udc41");
    }
}
