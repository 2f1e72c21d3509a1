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
            new Setting("webhook_url", SettingType.SECRET_URL, true, "The Workflows webhook URL (it embeds a signature)")));

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

    /**
     * The card, within Teams' size limit (about 28 KB) in bytes as sent: escaping, JSON and UTF-8 can make one
     * character of alert text four bytes, so it lists fewer alerts, then less runbook, until it fits.
     */
    static ObjectNode message(Notification n) {
        int facts = MAX_FACTS;
        int runbook = 6000;
        ObjectNode m = message(n, facts, runbook);
        while (m.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CARD_BYTES
                && (facts > 1 || runbook > 500)) {
            if (facts > 1) {
                facts = facts * 3 / 4;
            } else {
                runbook /= 2;
            }
            m = message(n, facts, runbook);
        }
        return m;
    }

    private static ObjectNode message(Notification n, int maxFacts, int runbookChars) {
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
                + Markup.adaptiveCard(n.title(), 300));
        if (!n.isFirst()) {
            text(body, "Update " + n.sequence() + " of this alert group", true);
        }
        ObjectNode facts = body.addObject();
        facts.put("type", "FactSet");
        ArrayNode list = facts.putArray("facts");
        // a group of hundreds of alerts shows its first ones and a count
        int shown = 0;
        for (AlertSnapshot a : n.firing()) {
            if (shown++ < maxFacts) {
                fact(list, "firing · " + a.severity().id(), a);
            }
        }
        for (AlertSnapshot a : n.resolved()) {
            if (shown++ < maxFacts) {
                fact(list, "resolved", a);
            }
        }
        if (shown > maxFacts) {
            text(body, "… and " + (shown - maxFacts) + " more alerts in this group", true);
        }
        if (!n.runbook().isEmpty()) {
            text(body, "**Runbook**", false);
            // the summary comes first, so a cut keeps what matters most
            text(body, Markup.adaptiveCard(n.runbook(), runbookChars), false);
        }
        return m;
    }

    /** Alerts listed on one card at most. */
    private static final int MAX_FACTS = 25;
    /** Below Teams' card limit (about 28 KB), with room for what the Workflows connector adds. */
    private static final int MAX_CARD_BYTES = 26_000;

    private static void fact(ArrayNode list, String title, AlertSnapshot a) {
        ObjectNode f = list.addObject();
        f.put("title", title);
        String on = a.resource().isKnown() ? " on " + a.resource().name() : "";
        f.put("value", Markup.adaptiveCard(a.title() + on + (a.summary().isEmpty() ? "" : ": " + a.summary()), 400));
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
