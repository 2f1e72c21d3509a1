package io.onloop.app.rightsizing;

import io.onloop.app.AppTestBase;
import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.rightsizing.PricingCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant's price catalog through the API on the real server and store: read by anyone of the tenant, set and
 * removed by an admin only, each change audited and handed to the next scan, bad input refused precisely, and
 * another tenant's catalog untouched. Each test uses keys of its own: the tests share one tenant.
 */
class PricesApiTest extends AppTestBase {
    private static final String PRICES = "/api/v1/rightsizing/prices";

    @Autowired
    FixedRecommendationSource source;
    @Autowired
    RecommendationScanner scanner;

    private String viewer;

    @BeforeEach
    void tokens() {
        viewer = apiToken(Role.VIEWER);
    }

    private JsonNode entry(String token, String key) {
        JsonNode catalog = http.get(PRICES).bearer(token).send().expect(200).json();
        assertThat(catalog.get("currency").asString()).isEqualTo("USD");
        for (JsonNode p : catalog.get("prices")) {
            if (p.get("key").asString().equals(key)) {
                return p;
            }
        }
        throw new AssertionError("no " + key + " in the catalog");
    }

    private JsonNode audited(String action, String key) {
        JsonNode found = null;
        for (JsonNode a : http.get("/api/v1/audit?limit=500").bearer(viewer).send().expect(200).json().get("items")) {
            if (a.get("action").asString().equals(action) && a.get("targetId").asString().equals(key) && found == null) {
                found = a; // newest first
            }
        }
        assertThat(found).as("audit entry %s of %s", action, key).isNotNull();
        return found;
    }

    @Test
    void everyShippedPriceIsListedWithItsUnitAsTheDefault() {
        JsonNode catalog = http.get(PRICES).bearer(viewer).send().expect(200).json();
        assertThat(catalog.get("prices").size()).isEqualTo(PricingCatalog.defaults().prices().size());

        JsonNode m5 = entry(viewer, "ec2/m5.xlarge");
        assertThat(m5.get("price").asDouble()).isEqualTo(PricingCatalog.defaults().instanceType("m5.xlarge").orElseThrow().hourlyPrice());
        assertThat(m5.get("defaultPrice").asDouble()).isEqualTo(m5.get("price").asDouble());
        assertThat(m5.get("overridden").asBoolean()).isFalse();
        assertThat(m5.get("unit").asString()).isEqualTo("hour");
        assertThat(entry(viewer, "lambda/gb-second-arm64").get("unit").asString()).isEqualTo("GB-second");
        assertThat(entry(viewer, "ebs/gp3-throughput-month").get("unit").asString()).isEqualTo("MiB/s-month");
        assertThat(entry(viewer, "container/gib-hour").get("unit").asString()).isEqualTo("GiB-hour");
    }

    @Test
    void anAdminSetsAndRemovesATenantPriceAuditedAndTheNextScanIsGivenIt() {
        double shipped = PricingCatalog.defaults().prices().get("ec2/r5.large");
        JsonNode set = http.put(PRICES + "/ec2/r5.large").bearer(ADMIN_TOKEN).json(Map.of("price", 0.0882))
                .send().expect(200).json();
        assertThat(set.get("price").asDouble()).isEqualTo(0.0882);
        assertThat(set.get("defaultPrice").asDouble()).isEqualTo(shipped);
        assertThat(set.get("overridden").asBoolean()).isTrue();
        assertThat(set.get("updatedBy").asString()).isNotBlank();

        JsonNode listed = entry(viewer, "ec2/r5.large");
        assertThat(listed.get("price").asDouble()).isEqualTo(0.0882);
        assertThat(listed.get("overridden").asBoolean()).isTrue();
        assertThat(audited("price.set", "ec2/r5.large").get("detail").asString())
                .isEqualTo("default " + shipped + " -> 0.0882 USD");

        scanner.scanNow();
        assertThat(source.pricesSeen(TENANT)).containsEntry("ec2/r5.large", 0.0882);

        http.put(PRICES + "/ec2/r5.large").bearer(ADMIN_TOKEN).json(Map.of("price", 0)).send().expect(200);
        assertThat(audited("price.set", "ec2/r5.large").get("detail").asString()).isEqualTo("0.0882 -> 0 USD");
        assertThat(entry(viewer, "ec2/r5.large").get("price").asDouble()).isZero();
        String lastSet = audited("price.set", "ec2/r5.large").get("id").asString();
        http.put(PRICES + "/ec2/r5.large").bearer(ADMIN_TOKEN).json(Map.of("price", 0)).send().expect(200);
        assertThat(audited("price.set", "ec2/r5.large").get("id").asString())
                .as("the same price again changes nothing and is not audited").isEqualTo(lastSet);

        JsonNode removed = http.delete(PRICES + "/ec2/r5.large").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(removed.get("price").asDouble()).isEqualTo(shipped);
        assertThat(removed.get("overridden").asBoolean()).isFalse();
        assertThat(entry(viewer, "ec2/r5.large").get("overridden").asBoolean()).isFalse();
        assertThat(audited("price.reset", "ec2/r5.large").get("detail").asString())
                .isEqualTo("0 -> default " + shipped + " USD");
        scanner.scanNow();
        assertThat(source.pricesSeen(TENANT)).doesNotContainKey("ec2/r5.large");

        assertThat(http.delete(PRICES + "/ec2/r5.large").bearer(ADMIN_TOKEN).send().problem(404)
                .get("detail").asString()).contains("no price of ec2/r5.large");
    }

    @Test
    void onlyAnAdminChangesPrices() {
        for (Role role : new Role[]{Role.VIEWER, Role.RESPONDER, Role.APPROVER}) {
            String token = apiToken(role);
            http.put(PRICES + "/ec2/c5.xlarge").bearer(token).json(Map.of("price", 0.1)).send().problem(403);
            http.delete(PRICES + "/ec2/c5.xlarge").bearer(token).send().problem(403);
        }
        http.put(PRICES + "/ec2/c5.xlarge").json(Map.of("price", 0.1)).send().problem(401);
        http.get(PRICES).send().problem(401);
        assertThat(entry(viewer, "ec2/c5.xlarge").get("overridden").asBoolean()).isFalse();
    }

    @Test
    void badInputIsRefusedPreciselyAndChangesNothing() {
        String m7i = PRICES + "/ec2/m7i.large";
        assertThat(http.put(PRICES + "/ec2/m9.huge").bearer(ADMIN_TOKEN).json(Map.of("price", 1)).send().problem(404)
                .get("key").asString()).isEqualTo("ec2/m9.huge");
        assertThat(http.put(PRICES + "/gpu/hour").bearer(ADMIN_TOKEN).json(Map.of("price", 1)).send().problem(404)
                .get("detail").asString()).contains("the catalog has no price gpu/hour");
        http.delete(PRICES + "/ec2/m9.huge").bearer(ADMIN_TOKEN).send().problem(404);

        JsonNode negative = http.put(m7i).bearer(ADMIN_TOKEN).json(Map.of("price", -0.1)).send().problem(422);
        assertThat(negative.get("pointer").asString()).isEqualTo("/price");
        assertThat(negative.get("detail").asString()).isEqualTo("price must be a number from 0 to 1000000, not -0.1");
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": 1e300}").send().problem(422)
                .get("detail").asString()).isEqualTo("price must be a number from 0 to 1000000, not 1E+300");
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": 1e309}").send().problem(422)
                .get("detail").asString()).as("named as sent, not Infinity")
                .isEqualTo("price must be a number from 0 to 1000000, not 1E+309");
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": 1e-400}").send().problem(422)
                .get("detail").asString()).as("not quietly stored as 0").contains("too small to be told from 0");
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": -1e-400}").send().problem(422)
                .get("detail").asString()).isEqualTo("price must be a number from 0 to 1000000, not -1E-400");
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": 1000000.0000000001}").send().problem(422)
                .get("pointer").asString()).isEqualTo("/price");
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json(Map.of("price", "cheap")).send().problem(422)
                .get("detail").asString()).contains("must be a number");
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": \"0.1\"}").send().problem(422)
                .get("pointer").asString()).isEqualTo("/price");
        http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": 1e999}").send().problem(422);
        http.put(m7i).bearer(ADMIN_TOKEN).json("{}").send().problem(422);
        http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": null}").send().problem(422);
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json(Map.of("price", 0.1, "currency", "EUR")).send().problem(400)
                .get("pointer").asString()).isEqualTo("/currency");
        http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": 0.1").send().problem(400);
        http.put(m7i).bearer(ADMIN_TOKEN).json("[0.1]").send().problem(400);
        http.put(m7i).bearer(ADMIN_TOKEN).send().problem(400);
        String huge = "{\"price\": 0.1, \"note\": \"" + "x".repeat(PricesController.MAX_BODY_BYTES) + "\"}";
        http.put(m7i).bearer(ADMIN_TOKEN).json(huge).send().problem(413);
        assertThat(http.put(m7i).bearer(ADMIN_TOKEN).json("{\"price\": -0.0}").send().expect(200).body())
                .as("-0.0 is 0").doesNotContain("-0");
        http.delete(m7i).bearer(ADMIN_TOKEN).send().expect(200);

        assertThat(entry(viewer, "ec2/m7i.large").get("overridden").asBoolean()).isFalse();
    }

    @Test
    void anotherTenantsPricesAreItsOwn() {
        http.put(PRICES + "/container/vcpu-hour").bearer(ADMIN_TOKEN).json(Map.of("price", 0.031)).send().expect(200);
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        accessStore.createTenant(new Tenant(other, other, Instant.now()));
        String outsider = apiTokenInStore(other, Role.ADMIN, null);

        assertThat(entry(outsider, "container/vcpu-hour").get("overridden").asBoolean()).isFalse();
        http.delete(PRICES + "/container/vcpu-hour").bearer(outsider).send().problem(404);
        assertThat(entry(viewer, "container/vcpu-hour").get("price").asDouble()).isEqualTo(0.031);
        scanner.scanNow();
        assertThat(source.pricesSeen(other)).isEmpty();
        assertThat(source.pricesSeen(TENANT)).containsEntry("container/vcpu-hour", 0.031);
        http.delete(PRICES + "/container/vcpu-hour").bearer(ADMIN_TOKEN).send().expect(200);
    }

    @Test
    void theOpenApiDocumentDescribesThem() {
        JsonNode paths = http.get("/v3/api-docs").send().expect(200).json().get("paths");
        assertThat(paths.has(PRICES)).isTrue();
        assertThat(paths.at("/~1api~1v1~1rightsizing~1prices~1{section}~1{name}/put/description").asString())
                .contains("404").contains("422").contains("413");
        assertThat(paths.at("/~1api~1v1~1rightsizing~1prices~1{section}~1{name}/put/requestBody").isMissingNode()).isFalse();
        assertThat(paths.has(PRICES + "/{section}/{name}")).isTrue();
    }
}
