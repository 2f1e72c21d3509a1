package io.onloop.app.console;

import io.onloop.app.AppTestBase;
import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.access.User;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A filtered list reads at most onloop.search.max-scanned rows a page (the default, 20,000, in a tenant of its
 * own): what it could not reach is found by following its cursor, through the API and the console alike.
 */
class SearchBoundTest extends AppTestBase {
    @Autowired
    PasswordEncoder encoder;

    @Test
    void aSearchThatFindsNothingInTheNewestEventsSaysHowFarItLookedAndSearchesOnWhenAsked() {
        String tenant = "search-" + UUID.randomUUID();
        Instant start = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        accessStore.createTenant(new Tenant(tenant, tenant, Instant.now()));
        String token = apiTokenInStore(tenant, Role.VIEWER, null);
        // one event says "needle"; 20,000 newer ones, a millisecond apart, do not
        eventStore.inTransaction(tx -> {
            tx.insertEvent(event(tenant, start, "needle in the haystack"));
            for (int i = 1; i <= 20_000; i++) {
                tx.insertEvent(event(tenant, start.plusMillis(i), "hay " + i));
            }
            return null;
        });

        JsonNode first = http.get("/api/v1/events?q=needle").bearer(token).send().expect(200).json();
        assertThat(first.get("items")).isEmpty();
        assertThat(Instant.parse(first.get("searchedTo").asString())).isEqualTo(start.plusMillis(1));
        JsonNode second = http.get("/api/v1/events?q=needle&cursor=" + first.get("nextCursor").asString()).bearer(token)
                .send().expect(200).json();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("title").asString()).isEqualTo("needle in the haystack");
        assertThat(second.has("searchedTo")).isFalse();
        assertThat(second.get("nextCursor").isNull()).isTrue();

        String user = "searcher-" + UUID.randomUUID();
        accessStore.createUser(new User(UUID.randomUUID(), tenant, user, encoder.encode("search-password"), Role.VIEWER,
                false, Instant.now()));
        var browser = new ConsoleClient(http.baseUrl());
        assertThat(browser.signIn(user, "search-password").status()).isEqualTo(302);
        var page = browser.get("/console/events?q=needle");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("No matches yet.", "older events are not searched yet").doesNotContain("needle in");
        Matcher older = Pattern.compile("href=\"(/console/events\\?[^\"]*cursor=[^\"]+)\">Search older").matcher(page.body());
        assertThat(older.find()).as("a link that searches on").isTrue();
        var next = browser.get(older.group(1).replace("&amp;", "&"));
        assertThat(next.body()).contains("needle in the haystack").doesNotContain("not searched yet");
        assertThat(URLEncoder.encode(first.get("nextCursor").asString(), StandardCharsets.UTF_8))
                .as("the console's link carries the API's cursor").isEqualTo(older.group(1).replaceAll(".*cursor=", ""));
    }

    private static Event event(String tenant, Instant at, String title) {
        return new Event(Ids.newId(at), tenant, null, SourceType.GENERIC, at, at, EventStatus.FIRING, Severity.HIGH,
                "high", title, "", Resource.of("host", "web-1"), Map.of(), "fp-" + title, null, "{}", null);
    }
}
