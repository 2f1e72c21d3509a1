package io.onloop.app.rightsizing;

import io.onloop.app.api.ApiException;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.rightsizing.PricingCatalog;
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
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;

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
    /**
     * Its own reader (the body is read as text to bound its size first), as strict as the API's: one price, once. It
     * reads numbers exactly, so that 1e309 is named as sent (not as Infinity) and 1e-400 is not quietly 0.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final TenantPrices prices;

    PricesController(TenantPrices prices) {
        this.prices = prices;
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
    TenantPrices.CatalogView catalog(@AuthenticationPrincipal OnloopPrincipal me) {
        return prices.catalog(me.tenantId());
    }

    @PutMapping("/{section}/{name}")
    @Operation(summary = "Set the tenant's price of one catalog key (admin), e.g. PUT .../prices/ec2/m5.large",
            description = "Body: {\"price\": number from 0 to 1000000} in the catalog's currency, per the key's unit. "
                    + "404 for a key the catalog does not have, 400 for a member other than price, 422 for a missing, "
                    + "non-numeric, negative or over 1000000 price, 413 for a body over 1 KiB. Recommendations use it "
                    + "from the next scan on.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = PriceRequest.class))))
    TenantPrices.PriceView put(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String section,
                               @PathVariable String name, HttpServletRequest request) throws IOException {
        String key = key(section, name);
        return prices.set(me.tenantId(), me.name(), key, price(request));
    }

    @DeleteMapping("/{section}/{name}")
    @Operation(summary = "Remove the tenant's price of one key (admin): the default applies again",
            description = "Answers with the entry as it is now. 404 for a key the catalog does not have, or that "
                    + "the tenant has no price of.")
    TenantPrices.PriceView delete(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String section,
                                  @PathVariable String name) {
        String key = key(section, name);
        return prices.reset(me.tenantId(), me.name(), key).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "Not found", "the tenant has no price of " + key + " (the default applies)").with("key", key));
    }

    private static String key(String section, String name) {
        String key = section + "/" + name;
        if (!TenantPrices.known(key)) {
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
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", "the body must be the JSON {\"price\": number}, price given once");
        }
        if (json == null || !json.isObject()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", "the body must be {\"price\": number}");
        }
        for (String member : json.propertyNames()) {
            if (!member.equals("price")) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request body", "/" + member
                        + ": not a member of this request (it has price)").with("pointer", "/" + member);
            }
        }
        JsonNode price = json.get("price");
        if (price == null || price.isNull()) {
            throw invalid("/price", "price is required");
        }
        if (!price.isNumber()) {
            throw invalid("/price", "price must be a number, not " + price);
        }
        BigDecimal exact = price.decimalValue();
        double value = exact.doubleValue();
        if (exact.signum() < 0 || !PricingCatalog.validPrice(value)
                || exact.compareTo(BigDecimal.valueOf(PricingCatalog.MAX_PRICE)) > 0) {
            throw invalid("/price", "price must be " + PricingCatalog.VALID_PRICE + ", not " + price);
        }
        if (value == 0 && exact.signum() != 0) {
            throw invalid("/price", "price " + price + " is too small to be told from 0; send 0 for a free price");
        }
        return value;
    }

    private static ApiException invalid(String pointer, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid price", detail).with("pointer", pointer);
    }
}
