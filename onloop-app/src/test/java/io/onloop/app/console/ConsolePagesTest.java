package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every console page over real HTTP against the running server: sign-in, rendering, escaping, actions, roles. */
@ExtendWith(OutputCaptureExtension.class)
class ConsolePagesTest extends AppTestBase {
    private ConsoleClient browser;

    @BeforeEach
    void signIn() {
        browser = new ConsoleClient(http.baseUrl());
        var r = browser.signIn("admin", ADMIN_PASSWORD);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).endsWith("/console");
    }

    private JsonNode ingest(String format, String body) {
        // Prefer: wait asks for the incident ids (once ingest answers from its journal before grouping)
        return http.post("/api/v1/ingest/" + format).bearer(source(format)).header("Prefer", "wait=10").json(body)
                .send().expect(202).json();
    }

    private String newIncident(String title) {
        return ingest("generic", "{\"title\":\"" + title + "\",\"severity\":\"high\",\"resource\":\"svc-" + UUID.randomUUID()
                + "\",\"summary\":\"details of " + title + "\"}").get("incidentIds").get(0).asString();
    }

    @Test
    void withoutASessionEveryPageLeadsToSignIn() {
        var anonymous = new ConsoleClient(http.baseUrl());
        for (String path : List.of("/console", "/console/incidents", "/console/events", "/console/audit",
                "/console/integrations", "/console/live")) {
            var r = anonymous.get(path);
            assertThat(r.status()).as(path).isEqualTo(302);
            assertThat(r.header("Location")).as(path).endsWith("/console/login");
        }
        assertThat(anonymous.get("/").header("Location")).endsWith("/console");
        var login = anonymous.get("/console/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"username\"", "name=\"password\"");
        assertSecurityHeaders(login);
    }

    @Test
    void signingInReturnsToTheAskedForPageButNeverToTheLiveStream() {
        var first = new ConsoleClient(http.baseUrl());
        first.get("/console/audit");
        assertThat(first.signIn("admin", ADMIN_PASSWORD).header("Location")).contains("/console/audit");

        var expired = new ConsoleClient(http.baseUrl());
        expired.get("/console/audit");
        expired.get("/console/live"); // the reconnecting stream and htmx fragments come after the page
        expired.get("/console/incidents/rows", "HX-Request", "true");
        assertThat(expired.signIn("admin", ADMIN_PASSWORD).header("Location")).contains("/console/audit");
    }

    @Test
    void aWrongPasswordOrAMissingCsrfTokenDoesNotSignIn() {
        var other = new ConsoleClient(http.baseUrl());
        var wrong = other.signIn("admin", "not-the-password");
        assertThat(wrong.status()).isEqualTo(302);
        assertThat(wrong.header("Location")).endsWith("/console/login?error");
        assertThat(other.get("/console").status()).isEqualTo(302);
        assertThat(other.get("/console/login?error").body()).contains("Wrong user name or password");

        var noCsrf = new ConsoleClient(http.baseUrl())
                .post("/console/login", Map.of("username", "admin", "password", ADMIN_PASSWORD));
        assertThat(noCsrf.status()).isEqualTo(403);
    }

    @Test
    void aUserNameWithTooManyWrongPasswordsIsLockedForTheConsoleAndTheApiAlike() {
        String name = "locked-" + UUID.randomUUID();
        http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", name, "password", "the right password", "role", "viewer")).send().expect(201);
        var browser = new ConsoleClient(http.baseUrl());
        for (int i = 0; i < 5; i++) {
            assertThat(browser.signIn(name, "guess-" + i).header("Location")).endsWith("/console/login?error");
        }

        assertThat(browser.signIn(name, "the right password").header("Location")).endsWith("/console/login?locked");
        assertThat(browser.get("/console/login?locked").body()).contains("Too many failed sign-ins");
        assertThat(browser.get("/console/login?busy").body()).contains("checking too many sign-ins at once");
        assertThat(browser.get("/console").status()).isEqualTo(302); // not signed in
        String basic = Base64.getEncoder().encodeToString((name + ":the right password").getBytes(StandardCharsets.UTF_8));
        http.get("/api/v1/me").header("Authorization", "Basic " + basic).send().problem(429);
    }

    @Test
    void everyPageRendersWithStrictSecurityHeaders() {
        String incident = newIncident("Render check " + UUID.randomUUID());
        String event = http.get("/api/v1/events?incident=" + incident).bearer(ADMIN_TOKEN).send().expect(200).json()
                .get("items").get(0).get("id").asString();
        for (String path : List.of("/console", "/console/overview/panel", "/console/incidents",
                "/console/incidents/rows", "/console/incidents/" + incident, "/console/incidents/" + incident + "/live",
                "/console/incidents/" + incident + "/live?part=history",
                "/console/events", "/console/events/rows", "/console/events/" + event, "/console/integrations",
                "/console/access", "/console/audit")) {
            var page = browser.get(path);
            assertThat(page.status()).as("%s: %s", path, page.body()).isEqualTo(200);
            assertThat(page.header("Content-Type")).as(path).startsWith("text/html");
            assertSecurityHeaders(page);
            // No inline script, no inline style, no event-handler attributes: the CSP would block them anyway.
            assertThat(page.body()).as(path).doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                    .doesNotContainPattern("<[a-zA-Z][^>]*\\s(on[a-z]+|style)\\s*=");
        }
        assertThat(browser.get("/console").body()).contains("Open incidents", "Events per hour");
        assertThat(browser.get("/console/incidents/" + incident).body()).contains("Render check", "Timeline", "opened");
        var slash = browser.get("/console/"); // a typed address with its trailing slash is the overview, not a 404
        assertThat(slash.status()).isEqualTo(302);
        assertThat(slash.header("Location")).endsWith("/console");
    }

    @Test
    void theOverviewCountsWhatTheStoreHolds() {
        newIncident("Counted " + UUID.randomUUID());
        String html = browser.get("/console").body();
        for (String severity : List.of("critical", "high", "medium", "low", "info")) {
            int open = http.get("/api/v1/incidents?status=open,acknowledged&limit=500&severity=" + severity)
                    .bearer(ADMIN_TOKEN).send().expect(200).json().get("items").size();
            var tile = Pattern.compile("class=\"tile sev-" + severity + "[^\"]*\"[^>]*>\\s*<span class=\"n\">(\\d+)<")
                    .matcher(html);
            assertThat(tile.find()).as("tile for %s in %s", severity, html).isTrue();
            assertThat(Integer.parseInt(tile.group(1))).as(severity).isEqualTo(open);
        }
        int lastDay = http.get("/api/v1/events?limit=500&from=" + Instant.now().minus(Duration.ofHours(23)))
                .bearer(ADMIN_TOKEN).send().expect(200).json().get("items").size();
        var counted = Pattern.compile("<span>(\\d+)</span> events counted").matcher(html);
        assertThat(counted.find()).isTrue();
        assertThat(Integer.parseInt(counted.group(1))).isGreaterThanOrEqualTo(Math.min(lastDay, 500)).isPositive();
    }

    @Test
    void signingOutEndsTheSession() {
        var out = browser.postForm("/console", "/console/logout", Map.of());
        assertThat(out.status()).isEqualTo(302);
        assertThat(out.header("Location")).endsWith("/console/login?signedOut");
        assertThat(browser.get("/console").header("Location")).endsWith("/console/login");
    }

    @Test
    void alertTextIsEscapedAndOnlyHttpLinksAreClickable() {
        String marker = UUID.randomUUID().toString();
        String body = """
                {"title":"<script>window.__pwned=1</script>%s","severity":"critical",
                 "summary":"<img src=x onerror=\\"window.__pwned=2\\"> and <a href=\\"javascript:alert(1)\\">click</a>",
                 "resource":{"kind":"host","id":"<b>host</b>","name":"<b>host</b>"},
                 "labels":{"runbook":"javascript:alert(3)","dashboard":"https://grafana.example/d/%s","x\\"><svg onload=alert(4)>":"v"},
                 "link":"javascript:window.__pwned=3"}
                """.formatted(marker, marker);
        String incident = ingest("generic", body).get("incidentIds").get(0).asString();
        String event = http.get("/api/v1/events?incident=" + incident).bearer(ADMIN_TOKEN).send().expect(200).json()
                .get("items").get(0).get("id").asString();

        for (String path : List.of("/console/incidents/" + incident, "/console/events/" + event,
                "/console/incidents?q=" + marker, "/console/events?q=" + marker, "/console")) {
            String html = browser.get(path).body();
            assertThat(html).as(path).contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;" + marker)
                    .doesNotContain("<script>window", "<img src=x", "<svg onload", "<b>host</b>")
                    .doesNotContainPattern("href=\"\\s*javascript:");
        }
        String eventPage = browser.get("/console/events/" + event).body();
        assertThat(eventPage).contains("&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;")
                .contains(">javascript:window.__pwned=3<")              // the link, as text
                .contains("href=\"https://grafana.example/d/" + marker + "\""); // an http(s) label is a link
    }

    @Test
    void bidiControlsInAlertTextAreShownNotObeyed() {
        String marker = UUID.randomUUID().toString();
        // U+202E turns what follows around: "prod; rm -rf ~ #" would read "# ~ fr- mr ;dorp"
        String body = """
                {"title":"Disk %s \\u202eevil\\u202c full","severity":"critical",
                 "summary":"kubectl -n 'prod\\u2067; rm -rf ~ #' get pods","labels":{"namespace":"prod\\u202d\\u2066x"}}
                """.formatted(marker);
        String incident = ingest("generic", body).get("incidentIds").get(0).asString();
        String event = http.get("/api/v1/events?incident=" + incident).bearer(ADMIN_TOKEN).send().expect(200).json()
                .get("items").get(0).get("id").asString();
        for (String path : List.of("/console/incidents/" + incident, "/console/events/" + event,
                "/console/incidents?q=" + marker, "/console/events?q=" + marker)) {
            String html = browser.get(path).body();
            assertThat(html).as(path).contains("Disk " + marker + " [U+202E]evil[U+202C] full")
                    .doesNotContainPattern("[\\u202a-\\u202e\\u2066-\\u2069]");
        }
        assertThat(browser.get("/console/events/" + event).body())
                .contains("kubectl -n &#39;prod[U+2067]; rm -rf ~ #&#39; get pods", "prod[U+202D][U+2066]x");
    }

    @Test
    void aPageFullOfBidiControlsKeepsItsSecurityHeaders() {
        // each control is written as 8 characters ([U+202E]): the page outgrows the response buffer, and is sent, long
        // before the security headers, written when the response is sent, had counted the buffer full
        String controls = "\\u202e".repeat(400);
        for (int i = 0; i < 3; i++) {
            ingest("generic", "{\"title\":\"Bidi " + controls + " " + i + "\",\"severity\":\"critical\",\"resource\":\"svc-"
                    + UUID.randomUUID() + "\"}");
        }
        for (String path : List.of("/console", "/console/incidents", "/console/events")) {
            var page = browser.get(path);
            assertThat(page.body()).as(path).contains("[U+202E][U+202E]");
            assertSecurityHeaders(page);
        }
    }

    @Test
    void invisibleCharactersInAlertTextAreShownByName() {
        String marker = UUID.randomUUID().toString();
        // marks that move neutral characters, zero-width and filler characters that make look-alikes, and tag
        // characters (U+E0041 U+E0042: a hidden "AB") that carry text no one sees
        String body = """
                {"title":"Disk %s \\u200eL\\u200fR\\u061cA z\\u200bw\\u200cj\\u200dx\\u2060b\\ufeffs\\u00adh\\u3164\\u115f\\u1160 t\\udb40\\udc41\\udb40\\udc42 end",
                 "severity":"critical","summary":"rm\\u200b -rf"}
                """.formatted(marker);
        String incident = ingest("generic", body).get("incidentIds").get(0).asString();
        String event = http.get("/api/v1/events?incident=" + incident).bearer(ADMIN_TOKEN).send().expect(200).json()
                .get("items").get(0).get("id").asString();
        String shown = "Disk " + marker + " [U+200E]L[U+200F]R[U+061C]A z[U+200B]w[U+200C]j[U+200D]x[U+2060]b[U+FEFF]s"
                + "[U+00AD]h[U+3164][U+115F][U+1160] t[U+E0041][U+E0042] end";
        for (String path : List.of("/console/incidents/" + incident, "/console/events/" + event,
                "/console/incidents?q=" + marker, "/console/events?q=" + marker)) {
            String html = browser.get(path).body();
            assertThat(html).as(path).contains(shown).doesNotContainPattern(
                    "[\\u00ad\\u061c\\u115f\\u1160\\u200b-\\u200f\\u2060\\u3164\\ufeff]|\\udb40[\\udc00-\\udc7f]");
        }
        assertThat(browser.get("/console/incidents/" + incident).body()).contains("<title>" + shown + " · onloop</title>",
                "<h1>" + shown + "</h1>");
        assertThat(browser.get("/console/events/" + event).body()).contains("rm[U+200B] -rf");
    }

    @Test
    void aTagCharacterSplitAcrossTwoWritesIsStillShown() throws Exception {
        var out = new java.io.StringWriter();
        var shown = new BidiControls.Shown(out);
        shown.write("a\udb40");
        shown.write("\udc41b\ud83d");
        shown.write("\ude00c\u200e".toCharArray(), 0, 3);
        shown.flush();
        assertThat(out.toString()).isEqualTo("a[U+E0041]b\ud83d\ude00c[U+200E]"); // an emoji passes as it is
    }

    @Test
    void aResponderAcknowledgesCommentsAndResolvesThroughTheForms() {
        String id = newIncident("Act on me " + UUID.randomUUID());
        String page = "/console/incidents/" + id;
        assertThat(browser.get(page).body()).contains("id=\"acknowledge\"")
                .containsPattern("data-confirm=\"Resolve the incident “Act on me [^”]+”\\? It is resolved for everyone.\"");

        var noCsrf = browser.post(page + "/acknowledge", Map.of());
        assertThat(noCsrf.status()).isEqualTo(403);

        var ack = browser.postForm(page, page + "/acknowledge", Map.of());
        assertThat(ack.status()).isEqualTo(302);
        assertThat(ack.header("Location")).endsWith(page);
        assertThat(browser.get(page).body()).contains("Acknowledged.", "acknowledged");
        var again = browser.postForm(page, page + "/acknowledge", Map.of());
        assertThat(again.status()).isEqualTo(302);
        assertThat(browser.get(page).body()).contains("only an open incident can be acknowledged");

        browser.postForm(page, page + "/comments", Map.of("text", "checked <the> disk"));
        assertThat(browser.get(page).body()).contains("checked &lt;the&gt; disk");
        browser.postForm(page, page + "/resolve", Map.of("note", "freed space"));

        JsonNode detail = http.get("/api/v1/incidents/" + id).bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(detail.get("incident").get("status").asString()).isEqualTo("resolved");
        assertThat(detail.get("incident").get("acknowledgedBy").asString()).isEqualTo("admin");
        assertThat(detail.get("timeline").values()).extracting(t -> t.get("kind").asString())
                .contains("acknowledged", "comment", "resolved");
        assertThat(browser.get("/console/audit").body()).contains("incident.acknowledge", "incident.resolve");
    }

    @Test
    void respondComesBeforeTheLabelsAndManyLabelsAreFolded() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= IncidentPages.LABELS_OPEN; i++) {
            many.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
        }
        String folded = ingest("generic", "{\"title\":\"Many labels " + UUID.randomUUID() + "\",\"severity\":\"high\","
                + "\"labels\":{" + many + "}}").get("incidentIds").get(0).asString();
        String page = browser.get("/console/incidents/" + folded).body();
        assertThat(page.indexOf("id=\"acknowledge\"")).isPositive().isLessThan(page.indexOf("id=\"labels-h\""));
        assertThat(page).contains("<details>\n      <summary>" + (IncidentPages.LABELS_OPEN + 1) + " labels</summary>");

        String few = ingest("generic", "{\"title\":\"Few labels " + UUID.randomUUID() + "\",\"severity\":\"high\","
                + "\"labels\":{\"a\":\"1\",\"b\":\"2\"}}").get("incidentIds").get(0).asString();
        assertThat(browser.get("/console/incidents/" + few).body()).contains("<details open=\"open\">\n      <summary>2 labels</summary>");
    }

    @Test
    void aViewerReadsButCannotActOrAdminister() {
        String name = "viewer-" + UUID.randomUUID();
        String password = "viewer-password-" + UUID.randomUUID();
        http.post("/api/v1/users").bearer(ADMIN_TOKEN).json(Map.of("username", name, "password", password, "role", "viewer"))
                .send().expect(201);
        var viewer = new ConsoleClient(http.baseUrl());
        assertThat(viewer.signIn(name, password).status()).isEqualTo(302);
        String id = newIncident("Viewer sees " + UUID.randomUUID());
        String page = "/console/incidents/" + id;

        assertThat(viewer.get(page).body()).contains("Viewer sees").doesNotContain("id=\"acknowledge\"", "Integrations");
        assertThat(viewer.postForm(page, page + "/acknowledge", Map.of()).status()).isEqualTo(403);
        var denied = viewer.get("/console/integrations");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.header("Content-Type")).startsWith("text/html");
        assertThat(denied.body()).contains("Your role, viewer, does not allow this: it needs admin.");
        assertThat(viewer.get("/console/access").status()).isEqualTo(403);
        assertThat(http.get("/api/v1/incidents/" + id).bearer(ADMIN_TOKEN).send().json()
                .get("incident").get("status").asString()).isEqualTo("open");
    }

    @Test
    void theConsoleSessionIsNeverAcceptedByTheApi() {
        var r = browser.get("/api/v1/incidents");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void filtersNarrowTheListsAndBadFiltersAreExplainedNotFailed() {
        String marker = "filter-" + UUID.randomUUID();
        ingest("generic", "{\"title\":\"" + marker + " low\",\"severity\":\"low\"}");
        ingest("generic", "{\"title\":\"" + marker + " critical\",\"severity\":\"critical\"}");

        String critical = browser.get("/console/events?q=" + marker + "&severity=critical").body();
        assertThat(critical).contains(marker + " critical").doesNotContain(marker + " low");
        String both = browser.get("/console/incidents/rows?q=" + marker).body();
        assertThat(both).contains(marker + " critical", marker + " low");
        // an incident keeps its title, not its events' summaries: its search box says so, the events' does not
        String summary = "summary-" + UUID.randomUUID();
        ingest("generic", "{\"title\":\"" + marker + " dump\",\"severity\":\"low\",\"summary\":\"" + summary + "\"}");
        assertThat(browser.get("/console/events?q=" + summary).body()).contains(marker + " dump")
                .contains("placeholder=\"text in the title or summary\"");
        assertThat(browser.get("/console/incidents?q=" + summary).body()).doesNotContain(marker + " dump")
                .contains("placeholder=\"text in the title\"").doesNotContain("title or summary");

        var bad = browser.get("/console/events?severity=urgent&from=yesterday&label=nolabel");
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body()).contains("severity: unknown value &#39;urgent&#39;", "from: not a time", "label: expected name=value");
        assertThat(browser.get("/console/events?cursor=garbage").body()).contains("cursor: not a page");
        assertThat(browser.get("/console/incidents?from=2030-01-01T00:00&to=2020-01-01T00:00").body())
                .contains("from: after to, so nothing is in the range");
    }

    @Test
    void anUnchangedRepeatIsShownAsACountOnTheEventItRepeats() {
        String marker = "repeat-" + UUID.randomUUID();
        String body = "{\"title\":\"" + marker + "\",\"severity\":\"high\",\"resource\":\"svc-" + marker + "\"}";
        String first = ingest("generic", body).get("eventIds").get(0).asString();
        ingest("generic", body);
        String third = ingest("generic", body).get("eventIds").get(0).asString();

        String list = browser.get("/console/events?q=" + marker).body();
        assertThat(list).contains("/console/events/" + first, "×3").doesNotContain("/console/events/" + third);
        String page = browser.get("/console/events/" + third).body(); // the repeat's id leads to the first event
        assertThat(page).contains(marker, "2 times unchanged, last at");
    }

    @Test
    void unknownOrMalformedIdsGetAnHtmlErrorPage() {
        var missing = browser.get("/console/incidents/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("text/html");
        assertThat(missing.body()).contains("does not exist");
        // an address no console page has: the console's page too, while the API keeps problem+json
        for (String path : List.of("/console/nonexistent", "/console/incidents/" + UUID.randomUUID() + "/recipe")) {
            var none = browser.get(path);
            assertThat(none.status()).as(path).isEqualTo(404);
            assertThat(none.header("Content-Type")).as(path).startsWith("text/html");
            assertThat(none.body()).as(path).contains("404 Not Found", "There is no such page in the console.")
                    .doesNotContain("No static resource");
            assertSecurityHeaders(none);
        }
        var api = http.get("/api/v1/nonexistent").bearer(ADMIN_TOKEN).send();
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
        assertThat(browser.get("/console/events/not-a-uuid").status()).isEqualTo(400);
        for (String path : List.of("/console/incidents?q=%ff", "/console/events?q=%C3%28", "/console/audit?a=%fe",
                "/console/login?x=%ff")) {
            var bad = browser.get(path);
            assertThat(bad.status()).as(path).isEqualTo(400);
            assertThat(bad.header("Content-Type")).as(path).startsWith("text/html");
            assertThat(bad.body()).as(path).contains("query string is not valid");
        }
        assertThat(browser.get("/console/incidents?q=%C3%A9t%C3%A9+x").status()).isEqualTo(200);
        // the same in a form body: the CSRF check reads it first (it was Boot's white-label page)
        String csrf = browser.get("/console/routing").csrf();
        for (String body : List.of("_csrf=" + csrf + "&comment=%ZZ&matchers=a%3Db", "comment=%C3%28&_csrf=" + csrf,
                "_csrf=" + csrf + "&comment=%")) {
            var bad = browser.postEncoded("/console/silences", body);
            assertThat(bad.status()).as(body).isEqualTo(400);
            assertThat(bad.header("Content-Type")).as(body).startsWith("text/html");
            assertThat(bad.body()).as(body).contains("form body is not valid").doesNotContain("Whitelabel");
        }
    }

    @Test
    void aNewSourceShowsItsTokenOnceAndDeletingItStopsTheToken() {
        String name = "console-source-" + UUID.randomUUID();
        var created = browser.postForm("/console/integrations", "/console/integrations/sources",
                Map.of("format", "alertmanager", "name", name));
        assertThat(created.status()).isEqualTo(302);
        String page = browser.get("/console/integrations").body();
        var m = Pattern.compile("id=\"created-token\"[^>]*>(ols_[^<]+)<").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        String token = m.group(1);
        assertThat(page).contains(name, "/api/v1/ingest/alertmanager");
        assertThat(browser.get("/console/integrations").body()).contains(name).doesNotContain(token)
                .contains("data-confirm=\"Delete the alertmanager source “" + name + "”? Its token stops working at once");

        http.post("/api/v1/ingest/alertmanager").bearer(token)
                .json(Payloads.alertmanager("firing", "ConsoleSource", "h-" + UUID.randomUUID())).send().expect(202);

        String sourceId = accessStore.sources(TENANT).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow().id().toString();
        var deleted = browser.postForm("/console/integrations", "/console/integrations/sources/" + sourceId + "/delete",
                Map.of());
        assertThat(deleted.status()).isEqualTo(302);
        http.post("/api/v1/ingest/alertmanager").bearer(token)
                .json(Payloads.alertmanager("firing", "ConsoleSource", "gone")).send().expect(401);
        // the source is gone: its audit entry keeps which one it was
        assertThat(eventStore.auditLog(TENANT, 500, null).items()).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("source.delete");
            assertThat(a.targetId()).isEqualTo(sourceId);
            assertThat(a.detail()).isEqualTo("format=alertmanager name=" + name);
        });
    }

    @Test
    void theConsoleRefusesTheSourceNamesTheApiRefuses() {
        for (String unseen : List.of("console-source\u200B", "console-\u202Eecruos", "console-source\u3164")) {
            assertThat(browser.postForm("/console/integrations", "/console/integrations/sources",
                    Map.of("format", "alertmanager", "name", unseen)).status()).isEqualTo(302);
            assertThat(browser.get("/console/integrations").body()).contains("no control, invisible or direction-changing");
            assertThat(accessStore.sources(TENANT)).noneSatisfy(s -> assertThat(s.name()).isEqualTo(unseen));
        }
    }

    @Test
    void anSnsSourceCanBeRestrictedToTopicsFromTheConsole() {
        String name = "console-sns-" + UUID.randomUUID();
        String topic = "arn:aws:sns:eu-west-1:123456789012:alarms";
        assertThat(browser.postForm("/console/integrations", "/console/integrations/sources",
                Map.of("format", "sns", "name", name, "topicArns", topic + "\r\n\r\n")).status()).isEqualTo(302);
        assertThat(accessStore.sources(TENANT)).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.topicArns()).containsExactly(topic);
        });
        assertThat(browser.get("/console/integrations").body()).contains(", 1 topic only", "title=\"" + topic + "\"");
        String id = accessStore.sources(TENANT).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow()
                .id().toString();
        String other = "arn:aws:sns:eu-west-1:123456789012:other-alarms";
        assertThat(browser.postForm("/console/integrations", "/console/integrations/sources/" + id + "/topics",
                Map.of("topicArns", topic + "\n" + other)).status()).isEqualTo(302);
        assertThat(browser.get("/console/integrations").body()).contains("takes only its 2 SNS topic(s)",
                topic + "\n" + other + "</textarea>");
        browser.postForm("/console/integrations", "/console/integrations/sources/" + id + "/topics", Map.of("topicArns", ""));
        assertThat(accessStore.sources(TENANT)).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.topicArns()).isEmpty();
        });
        browser.postForm("/console/integrations", "/console/integrations/sources/" + id + "/topics",
                Map.of("topicArns", "arn:aws:sqs:eu-west-1:123456789012:q"));
        assertThat(browser.get("/console/integrations").body()).contains("not an SNS topic ARN");

        String refused = "console-am-" + UUID.randomUUID();
        browser.postForm("/console/integrations", "/console/integrations/sources",
                Map.of("format", "alertmanager", "name", refused, "topicArns", topic));
        assertThat(browser.get("/console/integrations").body()).contains("apply to sns sources only");
        assertThat(accessStore.sources(TENANT)).noneSatisfy(s -> assertThat(s.name()).isEqualTo(refused));
    }

    @Test
    void revokingATokenAndDisablingAUserTakeEffectAtOnce() {
        String token = apiToken(Role.VIEWER);
        String tokenId = accessStore.tokens(TENANT).stream()
                .filter(t -> t.tokenHash().equals(Secrets.sha256Hex(token))).findFirst()
                .orElseThrow().id().toString();
        String tokenName = accessStore.tokens(TENANT).stream().filter(t -> t.id().toString().equals(tokenId)).findFirst()
                .orElseThrow().name();
        assertThat(browser.get("/console/access").body())
                .contains("data-confirm=\"Revoke the viewer token “" + tokenName + "”? Whatever uses it is refused at once");
        assertThat(browser.postForm("/console/access", "/console/access/tokens/" + tokenId + "/revoke", Map.of())
                .status()).isEqualTo(302);
        http.get("/api/v1/me").bearer(token).send().expect(401);

        String name = "leaver-" + UUID.randomUUID();
        String password = "leaver-password-" + UUID.randomUUID();
        String userId = http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", name, "password", password, "role", "responder")).send().expect(201).json()
                .get("id").asString();
        var leaver = new ConsoleClient(http.baseUrl());
        leaver.signIn(name, password);
        assertThat(browser.get("/console/access").body())
                .contains("data-confirm=\"Disable the user “" + name + "”? They are signed out at once");
        assertThat(leaver.get("/console").status()).isEqualTo(200);
        browser.postForm("/console/access", "/console/access/users/" + userId + "/disabled", Map.of("disabled", "true"));
        // a second click (another tab) says so and is not audited again; nor is a second revoke
        browser.postForm("/console/access", "/console/access/users/" + userId + "/disabled", Map.of("disabled", "true"));
        assertThat(browser.get("/console/access").body()).contains(name + " is already disabled.");
        browser.postForm("/console/access", "/console/access/tokens/" + tokenId + "/revoke", Map.of());
        var audited = eventStore.auditLog(TENANT, 500, null).items().stream()
                .filter(a -> a.targetId().equals(userId) || a.targetId().equals(tokenId)).map(a -> a.action()).toList();
        assertThat(audited).containsExactlyInAnyOrder("user.create", "user.disable", "token.create", "token.revoke");
        // the audit page shows one thing's history, and says so when nothing matches
        String history = browser.get("/console/audit?target=" + userId).body();
        assertThat(history).contains("<td class=\"mono\">user.disable</td>", "<td class=\"mono\">user.create</td>")
                .doesNotContain("<td class=\"mono\">token.revoke</td>");
        assertThat(browser.get("/console/audit?action=token.*&actor=nobody").body()).contains("No entries match.");
        var after = leaver.get("/console");
        assertThat(after.status()).isEqualTo(302);
        assertThat(after.header("Location")).endsWith("/console/login");
        assertThat(leaver.signIn(name, password).header("Location")).endsWith("/console/login?error");

        String adminId = accessStore.users(TENANT).stream().filter(u -> u.username().equals("admin")).findFirst()
                .orElseThrow().id().toString();
        browser.postForm("/console/access", "/console/access/users/" + adminId + "/disabled", Map.of("disabled", "true"));
        assertThat(browser.get("/console/access").body()).contains("You cannot disable yourself; another admin can.");
        assertThat(browser.get("/console").status()).as("still signed in").isEqualTo(200);
    }

    @Test
    void theLiveStreamAnnouncesCommittedEvents() throws Exception {
        var response = browser.lines("/console/live");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        // the stream closes first, which ends the reading task, then the executor
        try (var reader = Executors.newVirtualThreadPerTaskExecutor(); Stream<String> lines = response.body()) {
            var firstData = reader.submit(() -> lines.filter(l -> l.startsWith("data:")).findFirst().orElse(""));
            String incident = newIncident("Live " + UUID.randomUUID());
            assertThat(firstData.get(10, TimeUnit.SECONDS)).contains(incident).doesNotContain("Live ");
        }
    }

    @Test
    void theLiveStreamEndsWithItsSessionAndWhenItsUserIsDisabledWithoutAnErrorLogged(CapturedOutput log) throws Exception {
        var stream = browser.lines("/console/live");
        assertThat(stream.statusCode()).isEqualTo(200);
        try (var reader = Executors.newVirtualThreadPerTaskExecutor(); Stream<String> lines = stream.body()) {
            var ended = reader.submit(() -> lines.filter(l -> l.startsWith("data:")).toList());
            Thread.sleep(200); // connected
            assertThat(browser.postForm("/console", "/console/logout", Map.of()).status()).isEqualTo(302);
            assertThat(ended.get(10, TimeUnit.SECONDS)).as("ended at sign-out, before any message").isEmpty();
        }

        String name = "streamer-" + UUID.randomUUID();
        String password = "streamer-password-" + UUID.randomUUID();
        String userId = http.post("/api/v1/users").bearer(ADMIN_TOKEN)
                .json(Map.of("username", name, "password", password, "role", "viewer")).send().expect(201).json()
                .get("id").asString();
        var streamer = new ConsoleClient(http.baseUrl());
        streamer.signIn(name, password);
        var theirs = streamer.lines("/console/live");
        assertThat(theirs.statusCode()).isEqualTo(200);
        try (var reader = Executors.newVirtualThreadPerTaskExecutor(); Stream<String> lines = theirs.body()) {
            var ended = reader.submit(() -> lines.filter(l -> l.startsWith("data:")).toList());
            Thread.sleep(200);
            http.patch("/api/v1/users/" + userId).bearer(ADMIN_TOKEN).json(Map.of("disabled", true)).send().expect(204);
            assertThat(ended.get(10, TimeUnit.SECONDS)).as("ended when disabled, before any message").isEmpty();
        }
        Thread.sleep(500); // the ended requests' last dispatch
        assertThat(log.getAll()).doesNotContain("AuthorizationDeniedException", "already committed");
    }

    private static void assertSecurityHeaders(ConsoleClient.Page page) {
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    }
}
