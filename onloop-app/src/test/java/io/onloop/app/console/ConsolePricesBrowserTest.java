package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Rightsizing prices in a real headless Chromium: an admin sets the tenant's price of one key, then puts it back. */
class ConsolePricesBrowserTest extends AppTestBase {
    private static ChromeDriver driver;

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
    void anAdminSetsATenantPriceAndPutsItBack() {
        var wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        driver.get(http.baseUrl() + "/console/login");
        if (driver.getCurrentUrl().endsWith("/console/login")) {
            driver.findElement(By.id("username")).sendKeys("admin");
            driver.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD, Keys.ENTER);
        }
        wait.until(ExpectedConditions.urlToBe(http.baseUrl() + "/console"));
        driver.findElement(By.linkText("Rightsizing")).click();
        wait.until(ExpectedConditions.urlContains("/console/rightsizing"));
        driver.findElement(By.id("prices-link")).click();
        wait.until(ExpectedConditions.urlContains("/console/rightsizing/prices"));
        assertThat(driver.findElement(By.id("price-lambda-gb-second-arm64")).getText())
                .contains("lambda/gb-second-arm64", "0.0000133334", "GB-second").doesNotContain("tenant");

        new Select(driver.findElement(By.id("price-key"))).selectByValue("lambda/gb-second-arm64");
        driver.findElement(By.id("price-value")).sendKeys("0.000012");
        driver.findElement(By.id("price-set")).click();
        // read again until readable: the page's live parts may be swapped while it is read (a detached node)
        wait.ignoring(WebDriverException.class).until(ExpectedConditions.textToBe(By.cssSelector(".notice"),
                "The price of lambda/gb-second-arm64 is now 0.000012 per GB-second; recommendations use it from the next scan."));
        String row = wait.ignoring(WebDriverException.class)
                .until(d -> d.findElement(By.id("price-lambda-gb-second-arm64")).getText());
        assertThat(row).contains("0.000012", "tenant", "0.0000133334", "admin");

        driver.findElement(By.id("reset-lambda-gb-second-arm64")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "shipped one again"));
        assertThat(driver.findElement(By.id("price-lambda-gb-second-arm64")).getText()).doesNotContain("tenant");
        assertThat(driver.findElements(By.id("reset-lambda-gb-second-arm64"))).isEmpty();
    }
}
