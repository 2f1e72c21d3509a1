package io.onloop.app.console;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Headless Chromium from the Debian packages {@code chromium} and {@code chromium-driver} (which
 * {@code .ci/run} installs). Without them the browser tests are skipped locally and fail in CI.
 */
final class Chromium {
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private Chromium() {
    }

    static ChromeDriver start(int width, int height) {
        String browser = find(BROWSERS);
        String driver = find(DRIVERS);
        if (browser == null || driver == null) {
            String why = "Chromium or chromedriver not installed (apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        var options = new ChromeOptions().setBinary(browser)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=" + width + "," + height, "--hide-scrollbars", "--force-device-scale-factor=1");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL")); // to read console errors, CSP reports included
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).build();
        return new ChromeDriver(service, options);
    }

    /** Makes the page's prefers-color-scheme light or dark (Chrome DevTools Protocol). */
    static void colorScheme(ChromeDriver driver, String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    private static String find(List<String> candidates) {
        return Stream.of(candidates.toArray(String[]::new)).map(Path::of).filter(Files::isExecutable)
                .map(Path::toString).findFirst().orElse(null);
    }
}
