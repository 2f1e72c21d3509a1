package io.onloop.app.console;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the README's screenshots (docs/screenshots/) of a freshly started onloop: sends a handful of
 * realistic alerts through the ingest API, acknowledges one, then photographs the main pages in
 * light and dark. Not a test; run it by hand against a server with an empty data directory:
 * <pre>
 *   ./mvnw -q -pl onloop-app -am package dependency:build-classpath -DskipTests \
 *       -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 *   java -jar onloop-app/target/onloop.jar --onloop.data-dir=/tmp/shots --onloop.bootstrap.admin-password=screenshots-password &amp;
 *   java -cp "$(cat /tmp/cp.txt):onloop-app/target/test-classes" io.onloop.app.console.ConsoleScreenshots \
 *       http://localhost:8080 screenshots-password docs/screenshots
 * </pre>
 */
public final class ConsoleScreenshots {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String password = args[1];
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));

        String am = sourceToken(base, basic, "alertmanager");
        String generic = sourceToken(base, basic, "generic");
        String now = Instant.now().toString();
        alertmanager(base, am, "KubePodCrashLooping", "critical", "checkout-api-7d9f", "shop",
                "Pod shop/checkout-api-7d9f is restarting 4.2 times / 10 minutes", now);
        alertmanager(base, am, "HighRequestLatency", "warning", "checkout-api", "shop",
                "p99 latency of checkout-api is 2.4s (threshold 1s)", now);
        alertmanager(base, am, "KubePodCrashLooping", "critical", "checkout-api-7d9f", "shop",
                "Pod shop/checkout-api-7d9f is restarting 4.2 times / 10 minutes", now);
        post(base + "/api/v1/ingest/generic", generic, """
                {"events":[
                 {"title":"Disk /var/lib/postgresql will fill in 4 hours","severity":"high","resource":{"kind":"host","id":"db-1.internal","name":"db-1"},
                  "labels":{"team":"data","mount":"/var/lib/postgresql"},"summary":"82% used, growing 4.5%/h","link":"https://grafana.example.com/d/node/db-1"},
                 {"title":"Nightly backup failed","severity":"medium","resource":{"kind":"host","id":"db-1.internal","name":"db-1"},
                  "labels":{"team":"data","job":"pg-backup"},"summary":"pg_dump exited with code 1"},
                 {"title":"TLS certificate for shop.example.com expires in 9 days","severity":"low","resource":"shop.example.com",
                  "labels":{"team":"platform"},"fingerprint":"cert-shop"},
                 {"title":"Deploy checkout-api 1.42.0 finished","status":"info","severity":"info","resource":"checkout-api","labels":{"version":"1.42.0"}}
                ]}""");

        admin(base, basic, "PUT", "/api/v1/routes", "application/yaml", """
                route:
                  receiver: ops
                  group_by: [alertname, team]
                  routes:
                    - matchers: ['severity="critical"']
                      receiver: on-call
                      continue: true
                    - matchers: ['team="data"']
                      receiver: data-team
                receivers:
                  - name: ops
                    targets: [{type: inbox}]
                  - name: on-call
                    targets: [{type: inbox, name: pager-inbox}]
                  - name: data-team
                    targets: [{type: inbox, name: data-inbox}]
                """);
        admin(base, basic, "POST", "/api/v1/silences", "application/json",
                "{\"matchers\":[\"team=\\\"platform\\\"\"],\"endsAt\":\"" + Instant.now().plus(Duration.ofHours(3))
                        + "\",\"comment\":\"Certificate renewal in progress\"}");

        ChromeDriver driver = Chromium.start(1280, 900);
        try {
            var wait = new WebDriverWait(driver, Duration.ofSeconds(10));
            driver.get(base + "/console/login");
            shoot(driver, out, "sign-in");
            driver.findElement(By.id("username")).sendKeys("admin");
            driver.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
            wait.until(ExpectedConditions.urlToBe(base + "/console"));

            driver.get(base + "/console/incidents?status=open&q=HighRequestLatency");
            driver.findElement(By.partialLinkText("HighRequestLatency")).click();
            driver.findElement(By.id("acknowledge")).click();
            driver.findElement(By.id("comment")).sendKeys("Rolled back checkout-api to 1.41.3; watching p99.");
            driver.findElement(By.id("add-comment")).click();
            String incident = driver.getCurrentUrl();

            driver.get(base + "/console/incidents?status=open&q=KubePodCrashLooping");
            driver.findElement(By.partialLinkText("KubePodCrashLooping")).click();
            String crashIncident = driver.getCurrentUrl();

            for (String scheme : new String[] {"light", "dark"}) {
                Chromium.colorScheme(driver, scheme);
                driver.manage().window().setSize(new Dimension(1280, 900));
                visit(driver, base + "/console", out, "overview-" + scheme);
                visit(driver, base + "/console/incidents?status=open&status=acknowledged", out, "incidents-" + scheme);
                visit(driver, incident, out, "incident-" + scheme);
                visit(driver, base + "/console/events", out, "events-" + scheme);
                visit(driver, base + "/console/integrations", out, "integrations-" + scheme);
                visit(driver, crashIncident + "#recipe", out, "recipe-" + scheme);
                visit(driver, base + "/console/runbooks?q=kubernetes", out, "runbooks-" + scheme);
                visit(driver, base + "/console/routing", out, "routing-" + scheme);
            }
            Chromium.colorScheme(driver, "light");
            driver.manage().window().setSize(new Dimension(390, 844));
            visit(driver, base + "/console", out, "phone-overview");
            visit(driver, crashIncident, out, "phone-incident");
            visit(driver, base + "/console/incidents?status=open", out, "phone-incidents");
        } finally {
            driver.quit();
        }
    }

    private static void visit(ChromeDriver driver, String url, Path out, String name) throws IOException {
        driver.get(url);
        shoot(driver, out, name);
    }

    private static void shoot(ChromeDriver driver, Path out, String name) throws IOException {
        try {
            Thread.sleep(400); // the chart and the live badge settle
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.write(out.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static String sourceToken(String base, String basic, String format) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sources")).header("Authorization", basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"format\":\"" + format + "\",\"name\":\"" + format + "-screenshots\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("cannot create a source: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    private static void alertmanager(String base, String token, String alertname, String severity, String instance,
                                     String team, String summary, String startsAt) throws Exception {
        post(base + "/api/v1/ingest/alertmanager", token, """
                {"version":"4","status":"firing","receiver":"onloop","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "alerts":[{"status":"firing","labels":{"alertname":"%1$s","severity":"%2$s","instance":"%3$s","team":"%4$s"},
                   "annotations":{"summary":"%5$s","runbook_url":"https://runbooks.example.com/%1$s"},"startsAt":"%6$s",
                   "generatorURL":"http://prometheus.example:9090/graph"}]}
                """.formatted(alertname, severity, instance, team, summary, startsAt));
    }

    private static void admin(String base, String basic, String method, String path, String type, String body)
            throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic)
                .header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void post(String url, String token, String json) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Prefer", "wait=10") // stored before the pages are photographed
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
