package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.routing.Notification;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Microsoft Teams through a Workflows ("When a Teams webhook request is received") webhook: a
 * message with one Adaptive Card. Workflows webhooks cannot edit a posted card, so each update is a
 * new card that says which notification of the thread it is.
 */
public final class TeamsTarget implements NotificationTarget {
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("teams", "Microsoft Teams", List.of(
            new Setting("webhook_url", SettingType.SECRET, true, "The Workflows webhook URL (it embeds a signature)")));

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        try {
            Http.call("POST", settings.get("webhook_url"), Map.of(), message(n).toString());
            return SendResult.delivered(null);
        } catch (Http.Outcome o) {
            return o.result;
        }
    }

    static ObjectNode message(Notification n) {
        ObjectNode m = NotificationJson.JSON.createObjectNode();
        m.put("type", "message");
        ObjectNode att = m.putArray("attachments").addObject();
        att.put("contentType", "application/vnd.microsoft.card.adaptive");
        att.putNull("contentUrl");
        ObjectNode card = att.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        boolean resolved = n.status() == Notification.Status.RESOLVED;
        ObjectNode head = body.addObject();
        head.put("type", "TextBlock");
        head.put("size", "Large");
        head.put("weight", "Bolder");
        head.put("wrap", true);
        head.put("color", resolved ? "Good" : n.severity().rank() >= 3 ? "Attention" : "Warning");
        head.put("text", (resolved ? "RESOLVED: " : n.severity().id().toUpperCase() + ": ")
                + Markup.adaptiveCard(Markup.clip(n.title(), 300)));
        if (!n.isFirst()) {
            text(body, "Update " + n.sequence() + " of this alert group", true);
        }
        ObjectNode facts = body.addObject();
        facts.put("type", "FactSet");
        ArrayNode list = facts.putArray("facts");
        // A card has a size limit (about 28 KB); a group of hundreds of alerts shows its first ones and a count.
        int shown = 0;
        for (AlertSnapshot a : n.firing()) {
            if (shown++ < MAX_FACTS) {
                fact(list, "firing · " + a.severity().id(), a);
            }
        }
        for (AlertSnapshot a : n.resolved()) {
            if (shown++ < MAX_FACTS) {
                fact(list, "resolved", a);
            }
        }
        if (shown > MAX_FACTS) {
            text(body, "… and " + (shown - MAX_FACTS) + " more alerts in this group", true);
        }
        if (!n.runbook().isEmpty()) {
            text(body, "**Runbook**", false);
            // the summary comes first; a card has a size limit (about 28 KB), so the rest may be cut
            text(body, Markup.adaptiveCard(Markup.clip(n.runbook(), 6000)), false);
        }
        return m;
    }

    /** Alerts listed on one card: 25 of at most 400 characters, with the runbook's 6,000, stay within its limit. */
    private static final int MAX_FACTS = 25;

    private static void fact(ArrayNode list, String title, AlertSnapshot a) {
        ObjectNode f = list.addObject();
        f.put("title", title);
        String on = a.resource().isKnown() ? " on " + a.resource().name() : "";
        f.put("value", Markup.adaptiveCard(Markup.clip(a.title() + on + (a.summary().isEmpty() ? "" : ": " + a.summary()),
                400)));
    }

    private static void text(ArrayNode body, String text, boolean subtle) {
        ObjectNode t = body.addObject();
        t.put("type", "TextBlock");
        t.put("wrap", true);
        t.put("text", text);
        if (subtle) {
            t.put("isSubtle", true);
        }
    }
}
