package io.onloop.adapters.delivery;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.routing.Notification;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class WebhookTargetTest extends WireMockTest {
    private final WebhookTarget target = new WebhookTarget();

    @Test
    void postsSignedJsonWithCustomHeadersAndAnIdempotencyKey() {
        server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        Notification n = Notifications.firing(1);
        SendResult r = target.send(n, Map.of("url", url() + "/hook", "secret", "s3cret",
                "headers", "Authorization: Bearer abc\nX-Team: ops"), Optional.empty());
        assertThat(r.outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        LoggedRequest req = requests().getFirst();
        String body = req.getBodyAsString();
        String ts = req.getHeader("X-Onloop-Timestamp");
        // the time of sending (a retry hours later is not stale), not the notification's
        assertThat(Long.parseLong(ts)).isCloseTo(java.time.Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L))
                .isNotEqualTo(n.at().getEpochSecond());
        // the receiver's check, done independently with the JDK's HMAC
        assertThat(req.getHeader("X-Onloop-Signature")).isEqualTo("sha256=" + hmac("s3cret", ts + "." + body));
        assertThat(req.getHeader("Authorization")).isEqualTo("Bearer abc");
        assertThat(req.getHeader("X-Team")).isEqualTo("ops");
        assertThat(req.getHeader("Idempotency-Key")).isEqualTo(n.dedupKey());
        JsonNode json = json(req);
        assertThat(json.get("status").asString()).isEqualTo("firing");
        assertThat(json.get("thread_key").asString()).isEqualTo(Notifications.THREAD);
        assertThat(json.get("firing").get(0).get("title").asString()).isEqualTo(Notifications.EVIL_TITLE);
        assertThat(json.get("runbook").asString()).contains("df -h");
        assertThat(NotificationJson.read(body)).isEqualTo(n);
    }

    @Test
    void unsignedWithoutSecretAndStatusesMapToRetryOrFailure() {
        server.stubFor(post(urlEqualTo("/busy")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
        server.stubFor(post(urlEqualTo("/down")).willReturn(aResponse().withStatus(503).withBody("maintenance")));
        server.stubFor(post(urlEqualTo("/bad")).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"schema\"}")));
        SendResult busy = target.send(Notifications.firing(1), Map.of("url", url() + "/busy"), Optional.empty());
        assertThat(busy.outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        // RFC 9110's other form, an HTTP date; and more seconds than a long holds
        String in25s = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(25));
        server.stubFor(post(urlEqualTo("/dated")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", in25s)));
        server.stubFor(post(urlEqualTo("/forever")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "999999999999999999999")));
        assertThat(target.send(Notifications.firing(1), Map.of("url", url() + "/dated"), Optional.empty()).retryAfter())
                .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(26));
        assertThat(target.send(Notifications.firing(1), Map.of("url", url() + "/forever"), Optional.empty()).retryAfter())
                .isGreaterThan(Duration.ofDays(365));
        assertThat(requests().getFirst().containsHeader("X-Onloop-Signature")).isFalse();
        SendResult down = target.send(Notifications.firing(1), Map.of("url", url() + "/down"), Optional.empty());
        assertThat(down.outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(down.error()).isEqualTo("HTTP 503: maintenance");
        SendResult bad = target.send(Notifications.firing(1), Map.of("url", url() + "/bad"), Optional.empty());
        assertThat(bad.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        // the error is kept for viewers to read: a token the target echoes back is not
        server.stubFor(post(urlEqualTo("/echo")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid token\",\"token\":\"xoxb-1234567890-abcdefghijkl\"}")));
        assertThat(target.send(Notifications.firing(1), Map.of("url", url() + "/echo"), Optional.empty()).error())
                .isEqualTo("HTTP 401: {\"error\":\"invalid token\",\"token\":\"[REDACTED:slack-token]\"}");
        SendResult refused = target.send(Notifications.firing(1), Map.of("url", "http://127.0.0.1:1/x"), Optional.empty());
        assertThat(refused.outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(refused.error()).contains("ConnectException");
    }

    private static String hmac(String key, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
