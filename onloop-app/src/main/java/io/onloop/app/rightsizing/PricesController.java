package io.onloop.app.rightsizing;

import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore.PriceOverride;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The price catalog recommendations are costed with, per tenant: the shipped prices with the tenant's own on
 * top. Anyone of the tenant reads it; an admin sets or removes the tenant's price of one key. Every change is
 * audited, and priced into the recommendations of the next scan.
 */
@RestController
@RequestMapping("/api/v1/rightsizing/prices")
@Tag(name = "rightsizing")
class PricesController {
    /** {"price": 0.0000166667} is 25 bytes; anything near this is not a price. */
    static final int MAX_BODY_BYTES = 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PriceOverrideStore store;
    private final AuditLog audit;
    private final Clock clock;

    PricesController(PriceOverrideStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * @param key          e.g. {@code ec2/m5.large}
     * @param unit         what the price is per, e.g. {@code hour}, {@code GB-month}
     * @param price        the price in force for the tenant
     * @param defaultPrice the price onloop ships
     * @param overridden   whether {@code price} is the tenant's own (else it is the default)
     * @param updatedBy    who set the tenant's price; null when not overridden
     */
    record PriceDto(String key, String unit, double price, double defaultPrice, boolean overridden, String updatedBy,
                    Instant updatedAt) {
    }

    record CatalogDto(String currency, List<PriceDto> prices) {
    }

    /** The body of a PUT. */
    record PriceRequest(@Schema(description = "the tenant's price, >= 0, in the catalog's currency", example = "0.0864")
                        double price) {
    }

    @GetMapping
    @Operation(summary = "The tenant's price catalog: every price onloop ships, with the tenant's own where set",
            description = "Each entry says whether its price is the shipped default or the tenant's override. The "
                    + "defaults are on-demand list prices of AWS us-east-1 (docs/rightsizing.md says which were "
                    + "checked against which source). A recommendation source's own price file "
                    + "(onloop.rightsizing.*.pricing-file) sits between the two: the tenant's prices win over it.")
    CatalogDto catalog(@AuthenticationPrincipal OnloopPrincipal me) {
        PricingCatalog defaults = PricingCatalog.defaults();
        Map<String, PriceOverride> own = new HashMap<>();
        store.overrides(me.tenantId()).forEach(o -> own.put(o.key(), o));
        List<PriceDto> prices = new ArrayList<>();
        defaults.prices().forEach((key, price) -> prices.add(dto(key, price, own.get(key))));
        return new CatalogDto(defaults.currency(), prices);
    }

    @PutMapping("/{section}/{name}")
    @Operation(summary = "Set the tenant's price of one catalog key (admin), e.g. PUT .../prices/ec2/m5.large",
            description = "Body: {\"price\": number >= 0} in the catalog's currency, per the key's unit. 404 for a "
                    + "key the catalog does not have, 422 for a missing, non-numeric or negative price, 413 for a "
                    + "body over 1 KiB. Recommendations use it from the next scan on.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = PriceRequest.class))))
    PriceDto put(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String section, @PathVariable String name,
                 HttpServletRequest request) throws IOException {
        String key = key(section, name);
        double defaultPrice = PricingCatalog.defaults().prices().get(key);
        double price = price(request);
        var previous = store.overrides(me.tenantId()).stream().filter(o -> o.key().equals(key)).findFirst();
        var saved = new PriceOverride(key, price, me.name(), clock.instant());
        store.put(me.tenantId(), saved);
        audit.record(me.tenantId(), me.name(), "price.set", "price", key, String.format(Locale.ROOT, "%s -> %s %s",
                previous.map(o -> plain(o.price())).orElse("default " + plain(defaultPrice)), plain(price),
                PricingCatalog.defaults().currency()));
        return dto(key, defaultPrice, saved);
    }

    @DeleteMapping("/{section}/{name}")
    @Operation(summary = "Remove the tenant's price of one key (admin): the default applies again",
            description = "Answers with the entry as it is now. 404 for a key the catalog does not have, or that "
                    + "the tenant has no price of.")
    PriceDto delete(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String section,
                    @PathVariable String name) {
        String key = key(section, name);
        double defaultPrice = PricingCatalog.defaults().prices().get(key);
        var previous = store.overrides(me.tenantId()).stream().filter(o -> o.key().equals(key)).findFirst()
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Not found",
                        "the tenant has no price of " + key + " (the default applies)").with("key", key));
        if (store.delete(me.tenantId(), key)) {
            audit.record(me.tenantId(), me.name(), "price.reset", "price", key, String.format(Locale.ROOT,
                    "%s -> default %s %s", plain(previous.price()), plain(defaultPrice),
                    PricingCatalog.defaults().currency()));
        }
        return dto(key, defaultPrice, null);
    }

    private static String key(String section, String name) {
        String key = section + "/" + name;
        if (!PricingCatalog.defaults().prices().containsKey(key)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Unknown price", "the catalog has no price " + key
                    + " (GET /api/v1/rightsizing/prices lists them)").with("key", key);
        }
        return key;
    }

    /** The body's price, read without taking more than {@link #MAX_BODY_BYTES} of it. */
    private static double price(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                    "the body is over " + MAX_BODY_BYTES + " bytes; it is {\"price\": number}");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", "the body is not JSON: {\"price\": number}");
        }
        if (json == null || !json.isObject()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", "the body must be {\"price\": number}");
        }
        for (String member : json.propertyNames()) {
            if (!member.equals("price")) {
                throw invalid("/" + member, "unknown member '" + member + "' (the body is {\"price\": number})");
            }
        }
        JsonNode price = json.get("price");
        if (price == null || price.isNull()) {
            throw invalid("/price", "price is required");
        }
        if (!price.isNumber()) {
            throw invalid("/price", "price must be a number, not " + price);
        }
        double value = price.asDouble();
        if (!PricingCatalog.validPrice(value)) {
            throw invalid("/price", "price must be a finite number >= 0, not " + price);
        }
        return value;
    }

    private static ApiException invalid(String pointer, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid price", detail).with("pointer", pointer);
    }

    private static PriceDto dto(String key, double defaultPrice, PriceOverride own) {
        return own == null ? new PriceDto(key, unit(key), defaultPrice, defaultPrice, false, null, null)
                : new PriceDto(key, unit(key), own.price(), defaultPrice, true, own.updatedBy(), own.updatedAt());
    }

    /** What a key's price is per, from its name. */
    static String unit(String key) {
        if (key.startsWith("ec2/")) {
            return "hour";
        }
        String name = key.substring(key.indexOf('/') + 1);
        if (name.endsWith("-gb-month")) {
            return "GB-month";
        }
        return switch (name) {
            case "vcpu-hour" -> "vCPU-hour";
            case "gib-hour" -> "GiB-hour";
            case "gb-second-x86_64", "gb-second-arm64" -> "GB-second";
            case "request" -> "request";
            case "gp3-throughput-month" -> "MiB/s-month";
            default -> name.endsWith("-iops-month") ? "IOPS-month" : "unit";
        };
    }

    /** A price as written, without exponent or trailing zeros: 0.0000166667, not 1.66667E-5. */
    private static String plain(double price) {
        return BigDecimal.valueOf(price).stripTrailingZeros().toPlainString();
    }
}
