package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import io.onloop.domain.routing.Notification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Zendesk Support: one ticket per alert group. The first notification creates it (with the
 * thread key as {@code external_id} and an {@code Idempotency-Key}); updates add an internal
 * comment; the group's resolution comments and sets the ticket solved. When onloop has no record of
 * the ticket (a crash between create and record), it looks the ticket up by external_id before
 * creating one, so a retry never opens a second ticket.
 */
public final class ZendeskTarget implements NotificationTarget {
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("zendesk", "Zendesk", List.of(
            new Setting("url", SettingType.URL, true, "Your Zendesk, e.g. https://acme.zendesk.com"),
            new Setting("email", SettingType.EMAIL, true, "Agent e-mail the API token belongs to"),
            new Setting("api_token", SettingType.SECRET, true, "Zendesk API token")));

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        String base = Http.trimSlash(settings.get("url")) + "/api/v2";
        Map<String, String> auth = Map.of("Authorization",
                Http.basic(settings.get("email") + "/token", settings.get("api_token")));
        try {
            Optional<String> ticket = threadRef.isPresent() ? threadRef : existing(base, auth, n.threadKey());
            if (ticket.isEmpty()) {
                ObjectNode body = NotificationJson.JSON.createObjectNode();
                ObjectNode t = body.putObject("ticket");
                t.put("subject", Markup.clip(PlainText.headline(n), 250));
                t.putObject("comment").put("body", comment(n));
                t.put("priority", switch (n.severity()) {
                    case CRITICAL -> "urgent";
                    case HIGH -> "high";
                    case MEDIUM -> "normal";
                    default -> "low";
                });
                t.put("external_id", n.threadKey());
                t.putArray("tags").add("onloop");
                if (n.status() == Notification.Status.RESOLVED) {
                    t.put("status", "solved");
                }
                JsonNode r = NotificationJson.JSON.readTree(Http.call("POST", base + "/tickets.json",
                        withKey(auth, n.dedupKey()), body.toString()).body());
                return SendResult.delivered(r.path("ticket").path("id").asString());
            }
            if (n.isFirst() && threadRef.isEmpty()) {
                return SendResult.delivered(ticket.get()); // created by the attempt that crashed
            }
            ObjectNode body = NotificationJson.JSON.createObjectNode();
            ObjectNode t = body.putObject("ticket");
            t.putObject("comment").put("body", comment(n)).put("public", false);
            if (n.status() == Notification.Status.RESOLVED) {
                t.put("status", "solved");
            }
            Http.call("PUT", base + "/tickets/" + ticket.get() + ".json", withKey(auth, n.dedupKey()), body.toString());
            return SendResult.delivered(ticket.get());
        } catch (Http.Outcome o) {
            return o.result;
        }
    }

    /**
     * Zendesk refuses a comment over about 64 KB ("~65,000 characters, depending on encoding/markup", Zendesk
     * support), for good; counted here in UTF-8 bytes of the JSON string as sent, with room for Zendesk's markup.
     */
    static final int MAX_COMMENT_BYTES = 60_000;

    /** The notification as a comment within {@link #MAX_COMMENT_BYTES}: fewer alerts, then less runbook, saying so. */
    static String comment(Notification n) {
        return PlainText.fitted(n, cut -> PlainText.body(n, cut), body -> NotificationJson.JSON.writeValueAsString(body)
                .getBytes(StandardCharsets.UTF_8).length, MAX_COMMENT_BYTES);
    }

    private static Map<String, String> withKey(Map<String, String> auth, String key) {
        return Map.of("Authorization", auth.get("Authorization"), "Idempotency-Key", key);
    }

    private static Optional<String> existing(String base, Map<String, String> auth, String threadKey)
            throws Http.Outcome {
        JsonNode r = NotificationJson.JSON.readTree(Http.call("GET", base + "/tickets.json?external_id="
                + URLEncoder.encode(threadKey, StandardCharsets.UTF_8), auth, null).body());
        for (JsonNode t : r.path("tickets")) {
            return Optional.of(t.path("id").asString());
        }
        return Optional.empty();
    }
}
