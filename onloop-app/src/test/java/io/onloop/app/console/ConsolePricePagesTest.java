package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import io.onloop.domain.rightsizing.PricingCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prices page over real HTTP: everyone of the tenant reads it, only an admin sets or resets, bad input is told. */
class ConsolePricePagesTest extends AppTestBase {
    private static final String PAGE = "/console/rightsizing/prices";

    private ConsoleClient admin;

    @BeforeEach
    void signIn() {
        admin = new ConsoleClient(http.baseUrl());
        assertThat(admin.signIn("admin", ADMIN_PASSWORD).status()).isEqualTo(302);
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

    /** The table row of a key. */
    private static String row(String body, String key) {
        String id = "id=\"price-" + key.replace('/', '-').replace('.', '-') + "\"";
        int start = body.indexOf(id);
        assertThat(start).as("a row for %s", key).isPositive();
        return body.substring(start, body.indexOf("</tr>", start));
    }

    @Test
    void anAdminSetsAndResetsAPriceAndAViewerOnlyReads() {
        String shipped = "0.252"; // r6i.xlarge
        assertThat(PricingCatalog.defaults().prices().get("ec2/r6i.xlarge")).isEqualTo(0.252);
        var viewer = user("viewer");
        String page = viewer.get(PAGE).body();
        assertThat(row(page, "ec2/r6i.xlarge")).contains(shipped, "hour").doesNotContain("tenant");
        assertThat(page).doesNotContain("id=\"price-form\"");
        assertThat(viewer.postForm(PAGE, PAGE, Map.of("key", "ec2/r6i.xlarge", "price", "0.2")).status()).isEqualTo(403);
        assertThat(user("approver").postForm(PAGE, PAGE, Map.of("key", "ec2/r6i.xlarge", "price", "0.2")).status())
                .isEqualTo(403);

        assertThat(admin.postForm(PAGE, PAGE, Map.of("key", "ec2/r6i.xlarge", "price", " 0.2016 ")).status()).isEqualTo(302);
        String after = admin.get(PAGE).body();
        assertThat(after).contains("The price of ec2/r6i.xlarge is now 0.2016 per hour; recommendations use it from the next scan.");
        assertThat(row(after, "ec2/r6i.xlarge")).contains("0.2016", "tenant", shipped, "admin", "Use shipped");
        assertThat(row(viewer.get(PAGE).body(), "ec2/r6i.xlarge")).contains("0.2016", "tenant").doesNotContain("Use shipped");
        assertThat(http.get("/api/v1/audit").bearer(ADMIN_TOKEN).send().expect(200).body())
                .contains("default 0.252 -> 0.2016 USD");

        admin.postForm(PAGE, PAGE + "/reset", Map.of("key", "ec2/r6i.xlarge"));
        String reset = admin.get(PAGE).body();
        assertThat(reset).contains("The price of ec2/r6i.xlarge is the shipped one again.");
        assertThat(row(reset, "ec2/r6i.xlarge")).doesNotContain("tenant").doesNotContain("0.2016");
        admin.postForm(PAGE, PAGE + "/reset", Map.of("key", "ec2/r6i.xlarge"));
        assertThat(admin.get(PAGE).body()).contains("Nothing to reset: the tenant has no price of ec2/r6i.xlarge.");
    }

    @Test
    void badInputIsToldAndChangesNothing() {
        admin.postForm(PAGE, PAGE, Map.of("key", "ec2/r6i.2xlarge", "price", "cheap"));
        assertThat(admin.get(PAGE).body()).contains("Not set: the price must be a number.");
        admin.postForm(PAGE, PAGE, Map.of("key", "ec2/r6i.2xlarge", "price", "-1"));
        assertThat(admin.get(PAGE).body()).contains("Not set: a price must be a number from 0 to 1000000, not -1.0.");
        admin.postForm(PAGE, PAGE, Map.of("key", "ec2/r6i.2xlarge", "price", "Infinity"));
        assertThat(admin.get(PAGE).body()).contains("Not set: the price must be a number.");
        admin.postForm(PAGE, PAGE, Map.of("key", "ec2/r6i.2xlarge", "price", "0x1p3"));
        assertThat(admin.get(PAGE).body()).contains("Not set: the price must be a number.");
        admin.postForm(PAGE, PAGE, Map.of("key", "<b>gpu/hour</b>", "price", "1"));
        assertThat(admin.get(PAGE).body()).contains("Not set: the catalog has no price &lt;b&gt;gpu/hour&lt;/b&gt;.");
        assertThat(row(admin.get(PAGE).body(), "ec2/r6i.2xlarge")).doesNotContain("tenant");
    }
}
