package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import io.onloop.app.rightsizing.FixedRecommendationSource;
import io.onloop.app.rightsizing.RecommendationScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Rightsizing in a real headless Chromium: find a recommendation, approve it with a comment, read the plan. */
class ConsoleRightsizingBrowserTest extends AppTestBase {
    private static ChromeDriver driver;

    @Autowired
    FixedRecommendationSource source;
    @Autowired
    RecommendationScanner scanner;

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

    @Test
    void anAdminApprovesARecommendationAndReadsTheChangePlan() {
        String env = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "cart-" + UUID.randomUUID().toString().substring(0, 8);
        source.set(TENANT, List.of(ConsoleRightsizingPagesTest.recommendation(env, name, "a week of history", 42)));
        scanner.scanNow();

        var wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        driver.get(http.baseUrl() + "/console/login");
        if (driver.getCurrentUrl().endsWith("/console/login")) {
            driver.findElement(By.id("username")).sendKeys("admin");
            driver.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD, Keys.ENTER);
        }
        wait.until(ExpectedConditions.urlToBe(http.baseUrl() + "/console"));
        driver.findElement(By.linkText("Rightsizing")).click();
        wait.until(ExpectedConditions.urlContains("/console/rightsizing"));
        driver.findElement(By.name("environment")).sendKeys(env, Keys.ENTER);
        wait.until(ExpectedConditions.urlContains("environment=" + env));
        assertThat(driver.findElement(By.id("recommendation-table")).getText())
                .contains("42.00 USD", "cpu.request: 1 → 250m", "a week of history");

        driver.findElement(By.partialLinkText(name)).click();
        wait.until(ExpectedConditions.textToBe(By.id("recommendation-status"), "open"));
        driver.findElement(By.id("approve-comment")).sendKeys("fits the p95");
        driver.findElement(By.id("approve")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recommendation-status"), "approved"));
        assertThat(driver.findElement(By.cssSelector(".notice")).getText())
                .isEqualTo("Approved. The change plan is below; onloop has applied nothing.");
        assertThat(driver.findElement(By.id("plan")).getText())
                .contains("kubectl patch deployment/" + name + " -n shop --type strategic -p",
                        "\"requests\":{\"cpu\":\"250m\"}", "kind: Deployment");
        assertThat(driver.findElements(By.id("approve-form"))).isEmpty();
    }
}
