package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import io.onloop.domain.routing.Notification;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POSTs the notification as JSON ({@link NotificationJson}). With a secret, the body is signed:
 * {@code X-Onloop-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">} and
 * {@code X-Onloop-Timestamp: <unix seconds>} of the sending, so a receiver can refuse replays (a retry after an
 * outage is signed anew, not refused as stale). Every request carries
 * {@code Idempotency-Key: <dedup key>}: the same notification retried has the same key.
 */
public final class WebhookTarget implements NotificationTarget {
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("webhook", "Webhook", List.of(
            new Setting("url", SettingType.URL, true, "Where the JSON is POSTed"),
            new Setting("secret", SettingType.SECRET, false,
                    "Signs each request with HMAC-SHA256 (X-Onloop-Signature header)"),
            new Setting("headers", SettingType.HEADERS, false,
                    "Extra headers, one 'Name: value' per line (e.g. an Authorization header)")));

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        String body = NotificationJson.write(n);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders(settings.getOrDefault("headers", "")));
        headers.put("Idempotency-Key", n.dedupKey());
        String secret = settings.get("secret");
        if (secret != null && !secret.isEmpty()) {
            String ts = Long.toString(java.time.Instant.now().getEpochSecond());
            headers.put("X-Onloop-Timestamp", ts);
            headers.put("X-Onloop-Signature", "sha256=" + sign(secret, ts + "." + body));
        }
        try {
            Http.call("POST", settings.get("url"), headers, body);
            return SendResult.delivered(null);
        } catch (Http.Outcome o) {
            return o.result;
        }
    }

    public static String sign(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static Map<String, String> extraHeaders(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return out;
    }
}
