package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium against the real server: sign in, watch an alert arrive
 * live, open and acknowledge the incident, and check that hostile alert text stays inert. One
 * browser for the class.
 */
class ConsoleBrowserTest extends AppTestBase {
    private static ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeAll
    static void startBrowser() {
        driver = Chromium.start(1280, 900);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @BeforeEach
    void signIn() {
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        Chromium.colorScheme(driver, "light");
        driver.get(http.baseUrl() + "/console/login");
        if (driver.getCurrentUrl().endsWith("/console/login")) {
            driver.findElement(By.id("username")).sendKeys("admin");
            driver.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD, Keys.ENTER);
        }
        wait.until(ExpectedConditions.urlToBe(http.baseUrl() + "/console"));
    }

    private void waitForLive() {
        wait.until(ExpectedConditions.attributeToBe(By.id("live-state"), "data-state", "on"));
    }

    private String fire(String alertname) {
        return http.post("/api/v1/ingest/alertmanager").bearer(source("alertmanager")).header("Prefer", "wait=10")
                .json(Payloads.alertmanager("firing", alertname, "web-" + UUID.randomUUID())).send().expect(202).json()
                .get("incidentIds").get(0).asString();
    }

    @Test
    void aNewIncidentAppearsLiveOnTheOverviewAndTheList() {
        waitForLive();
        assertThat(driver.executeScript("return typeof window.htmx")).isEqualTo("object");
        assertThat(driver.executeScript("return !!(window.Chart && window.Chart.getChart(document.querySelector('canvas[data-chart]')))"))
                .as("the chart is drawn under the Content-Security-Policy").isEqualTo(true);
        driver.executeScript("window.__samePage = 'yes'");
        String overviewAlert = "OverviewLive" + System.nanoTime();
        fire(overviewAlert);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("overview-panel"), overviewAlert));
        assertThat(driver.executeScript("return window.__samePage")).as("no reload").isEqualTo("yes");

        driver.get(http.baseUrl() + "/console/incidents?status=open");
        waitForLive();
        driver.executeScript("window.__samePage = 'yes'");
        String listAlert = "ListLive" + System.nanoTime();
        fire(listAlert);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-results"), listAlert));
        assertThat(driver.executeScript("return window.__samePage")).as("no reload").isEqualTo("yes");
    }

    @Test
    void anOperatorOpensTheIncidentAndAcknowledgesItFromTheKeyboard() {
        String alertname = "AckMe" + System.nanoTime();
        String id = fire(alertname);
        driver.get(http.baseUrl() + "/console/incidents?status=open");
        driver.findElement(By.partialLinkText(alertname)).click();
        wait.until(ExpectedConditions.urlContains("/console/incidents/" + id));
        assertThat(driver.findElement(By.cssSelector(".headline .status")).getText()).isEqualTo("open");

        WebElement acknowledge = driver.findElement(By.id("acknowledge"));
        driver.executeScript("arguments[0].focus()", acknowledge);
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".headline .status"), "acknowledged"));
        assertThat(driver.findElement(By.cssSelector(".notice")).getText()).isEqualTo("Acknowledged.");
        assertThat(driver.findElement(By.id("timeline")).getText()).contains("acknowledged", "admin");
        assertThat(http.get("/api/v1/incidents/" + id).bearer(ADMIN_TOKEN).send().json()
                .get("incident").get("acknowledgedBy").asString()).isEqualTo("admin");
    }

    @Test
    void anOperatorOpensTheIncidentAndReadsItsRecipe() {
        String title = "CrashLoop" + System.nanoTime();
        String id = http.post("/api/v1/ingest/generic").bearer(source("generic")).header("Prefer", "wait=10")
                .json(Map.of("title", title, "severity", "high",
                        "labels", Map.of("alertname", "KubePodCrashLooping", "namespace", "shop", "pod", "cart-1")))
                .send().expect(202).json().get("incidentIds").get(0).asString();
        driver.get(http.baseUrl() + "/console/incidents?status=open");
        driver.findElement(By.partialLinkText(title)).click();
        wait.until(ExpectedConditions.urlContains("/console/incidents/" + id));

        WebElement recipe = driver.findElement(By.id("recipe"));
        assertThat(driver.findElement(By.id("recipe-provenance")).getText())
                .contains("knowledge-base", "k8s-pod-crashloopbackoff", "identifier");
        assertThat(recipe.getText().toLowerCase(java.util.Locale.ROOT))
                .contains("validate", "troubleshoot", "likely root causes", "remediation", "cart-1");
        List<WebElement> commands = recipe.findElements(By.cssSelector("pre.cmd code"));
        assertThat(commands).isNotEmpty();
        assertThat(commands.getFirst().getText()).isNotBlank();
        driver.findElement(By.linkText("k8s-pod-crashloopbackoff")).click();
        wait.until(ExpectedConditions.urlContains("/console/runbooks/k8s-pod-crashloopbackoff"));
        assertThat(driver.findElement(By.id("kb-recipe")).getText()).contains("interpretation:");
    }

    @Test
    void aResponderCreatesASilence() {
        String team = "browser-" + System.nanoTime();
        driver.get(http.baseUrl() + "/console/routing");
        driver.findElement(By.id("silence-matchers")).sendKeys("team=\"" + team + "\"");
        driver.findElement(By.id("silence-comment")).sendKeys("deploying <the> fix");
        driver.findElement(By.id("create-silence")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Silence created"));
        String row = driver.findElement(By.id("silences-table")).getText();
        assertThat(row).contains("team=\"" + team + "\"", "deploying <the> fix", "admin", "active");
        assertThat(http.get("/api/v1/silences").bearer(ADMIN_TOKEN).send().expect(200).json().toString()).contains(team);
    }

    @Test
    void deletingASourceAsksFirstNamingIt() {
        String name = "confirm-me-" + System.nanoTime();
        http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "generic", "name", name)).send().expect(201);
        driver.get(http.baseUrl() + "/console/integrations");
        By delete = By.cssSelector("button[aria-label='Delete source " + name + "']");

        driver.findElement(delete).click();
        var ask = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(ask.getText()).isEqualTo("Delete the generic source “" + name
                + "”? Its token stops working at once: whatever sends with it is refused.");
        ask.dismiss();
        assertThat(accessStore.sources(TENANT)).as("cancelled: kept").anySatisfy(s -> assertThat(s.name()).isEqualTo(name));

        driver.findElement(delete).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(delete));
        assertThat(accessStore.sources(TENANT)).noneSatisfy(s -> assertThat(s.name()).isEqualTo(name));
    }

    @Test
    void respondIsInViewDespiteAHugeTitleAndThousandsOfLabels() {
        Map<String, String> labels = new java.util.TreeMap<>();
        for (int i = 0; i < 300; i++) {
            labels.put("label" + i, "value-" + i);
        }
        String title = "Huge " + "x".repeat(50) + " title ".repeat(1400); // about 10 KB
        String id = http.post("/api/v1/ingest/generic").bearer(source("generic")).header("Prefer", "wait=10")
                .json(Map.of("title", title, "severity", "high", "labels", labels))
                .send().expect(202).json().get("incidentIds").get(0).asString();
        driver.get(http.baseUrl() + "/console/incidents/" + id);
        WebElement acknowledge = driver.findElement(By.id("acknowledge"));
        long bottom = (Long) driver.executeScript(
                "return Math.round(arguments[0].getBoundingClientRect().bottom)", acknowledge);
        assertThat(bottom).as("Acknowledge within the first screen").isLessThan(900);
        assertThat(driver.findElement(By.cssSelector("#labels details")).getAttribute("open")).as("folded").isNull();
    }

    @Test
    void onAPhoneNothingIsWiderThanTheScreen() {
        String id = http.post("/api/v1/ingest/generic").bearer(source("generic")).header("Prefer", "wait=10")
                .json(Map.of("title", "Phone " + System.nanoTime(), "severity", "high",
                        "labels", Map.of("alertname", "KubePodCrashLooping", "namespace", "shop", "pod", "cart-1")))
                .send().expect(202).json().get("incidentIds").get(0).asString();
        var wide = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(375, 800));
            // the recipe's long unbroken words ("initialDelaySeconds/failureThreshold.") and the price picker
            for (String path : List.of("/console/incidents/" + id, "/console/rightsizing/prices")) {
                driver.get(http.baseUrl() + path);
                assertThat(driver.executeScript("return innerWidth")).isEqualTo(375L);
                assertThat(driver.executeScript("return document.documentElement.scrollWidth")).as(path).isEqualTo(375L);
            }
        } finally {
            driver.manage().window().setSize(wide);
        }
    }

    @Test
    void aHostilePayloadRendersAsInertText() {
        String marker = "Hostile" + System.nanoTime();
        String title = "<script>window.__pwned=1</script>" + marker;
        String summary = "<img src=x onerror=\"window.__pwned=2\"> see <a href=\"javascript:window.__pwned=4\">here</a>";
        String id = http.post("/api/v1/ingest/generic").bearer(source("generic")).header("Prefer", "wait=10")
                .json(Map.of("title", title, "severity", "critical", "summary", summary,
                        "link", "javascript:window.__pwned=3", "labels", Map.of("runbook", "javascript:window.__pwned=5")))
                .send().expect(202).json().get("incidentIds").get(0).asString();

        driver.get(http.baseUrl() + "/console/incidents/" + id);
        assertThat(driver.findElement(By.cssSelector(".headline h1")).getText()).isEqualTo(title);
        assertThat(driver.findElements(By.cssSelector("main a[href^='javascript']"))).isEmpty();
        driver.findElement(By.cssSelector("#incident-history table a")).click(); // the event
        wait.until(ExpectedConditions.urlContains("/console/events/"));
        assertThat(driver.findElement(By.cssSelector(".headline h1")).getText()).isEqualTo(title);
        assertThat(driver.findElement(By.id("event-summary")).getText()).isEqualTo(summary);
        assertThat(driver.findElement(By.id("event-link")).getText()).isEqualTo("javascript:window.__pwned=3");
        assertThat(driver.findElements(By.cssSelector("main img, main script, main a[href^='javascript']"))).isEmpty();
        driver.findElement(By.id("event-link")).click(); // even clicking the text does nothing
        driver.get(http.baseUrl() + "/console/events?q=" + marker);
        assertThat(driver.findElement(By.id("event-table")).getText()).contains(title);
        assertThat(driver.executeScript("return window.__pwned === undefined")).isEqualTo(true);
    }

    @Test
    void theKeyboardFindsTheSkipLinkFirstAndDarkModeFollowsTheSystem() {
        driver.get(http.baseUrl() + "/console/events");
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement first = driver.switchTo().activeElement();
        assertThat(first.getText()).isEqualTo("Skip to content");
        first.sendKeys(Keys.ENTER);
        assertThat(driver.getCurrentUrl()).endsWith("#main");

        String light = background();
        Chromium.colorScheme(driver, "dark");
        String dark = background();
        assertThat(dark).isNotEqualTo(light);
        assertThat(brightness(dark)).isLessThan(brightness(light));
    }

    @Test
    void noPageBreaksTheContentSecurityPolicyOrLogsAnError() {
        String id = fire("CspCheck" + System.nanoTime());
        String event = http.get("/api/v1/events?incident=" + id).bearer(ADMIN_TOKEN).send().json()
                .get("items").get(0).get("id").asString();
        driver.manage().logs().get(LogType.BROWSER); // start from an empty log
        for (String path : List.of("/console", "/console/incidents", "/console/incidents/" + id, "/console/events",
                "/console/events/" + event, "/console/integrations", "/console/access", "/console/audit",
                "/console/runbooks", "/console/runbooks/k8s-pod-crashloopbackoff", "/console/routing")) {
            driver.get(http.baseUrl() + path);
            waitForLive();
        }
        driver.get(http.baseUrl() + "/console"); // and a live swap of the overview, chart included
        waitForLive();
        String later = "CspSwap" + System.nanoTime();
        fire(later);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("overview-panel"), later));
        wait.until(d -> Boolean.TRUE.equals(d instanceof ChromeDriver c
                ? c.executeScript("return !!window.Chart.getChart(document.querySelector('canvas[data-chart]'))") : null));
        var problems = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()
                        || entry.getMessage().contains("Content Security Policy"))
                .map(LogEntry::getMessage).toList();
        assertThat(problems).isEmpty();
    }

    private String background() {
        return (String) driver.executeScript("return getComputedStyle(document.body).backgroundColor");
    }

    private static int brightness(String rgb) {
        String[] p = rgb.replaceAll("[^0-9,]", "").split(",");
        return Integer.parseInt(p[0]) + Integer.parseInt(p[1]) + Integer.parseInt(p[2]);
    }
}
