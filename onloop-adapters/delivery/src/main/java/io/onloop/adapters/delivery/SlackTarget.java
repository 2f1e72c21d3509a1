package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.Acknowledgement;
import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.routing.Notification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Slack, with Block Kit. Two ways in:
 * <ul>
 *   <li>a bot token and a channel ({@code chat.postMessage}): the first notification of a group is a
 *       message; each later one is a reply in its thread ({@code thread_ts}), and the first message
 *       is edited ({@code chat.update}) to show the group's current state, resolved included, and who
 *       acknowledged the incident in onloop;</li>
 *   <li>an incoming webhook URL: Slack returns no message id there, so every notification is a new
 *       message.</li>
 * </ul>
 * All sender text is escaped for mrkdwn ({@link Markup#slack}).
 */
public final class SlackTarget implements NotificationTarget {
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("slack", "Slack", List.of(
            new Setting("webhook_url", SettingType.SECRET_URL, false, "An incoming webhook URL (no threading)"),
            new Setting("bot_token", SettingType.SECRET, false,
                    "A bot token (xoxb-...) with chat:write; updates are threaded to the first message"),
            new Setting("channel", SettingType.STRING, false, "Channel id or name, with bot_token"),
            new Setting("api_url", SettingType.URL, false, "Web API base URL (default https://slack.com/api)")),
            List.of("bot_token", "webhook_url"));

    /** Errors that will not clear up by retrying (https://api.slack.com/methods/chat.postMessage). */
    private static final Set<String> PERMANENT = Set.of("invalid_auth", "not_authed", "account_inactive",
            "token_revoked", "channel_not_found", "not_in_channel", "is_archived", "missing_scope", "invalid_blocks",
            "msg_too_long", "no_text", "restricted_action", "message_not_found", "cant_update_message");

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        try {
            String token = settings.get("bot_token");
            if (token == null || token.isBlank()) {
                String url = settings.get("webhook_url");
                if (url == null || url.isBlank()) {
                    return SendResult.failed("slack target needs webhook_url or bot_token");
                }
                ObjectNode msg = message(n);
                Http.call("POST", url, Map.of(), msg.toString());
                return SendResult.delivered(null);
            }
            if (!problems(settings).isEmpty()) { // a file saved before the check: Slack would answer channel_not_found
                return SendResult.failed("slack target with bot_token needs channel");
            }
            String api = Http.trimSlash(settings.getOrDefault("api_url", "https://slack.com/api"));
            Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
            ObjectNode msg = message(n);
            msg.put("channel", settings.get("channel"));
            if (threadRef.isEmpty()) {
                JsonNode r = api(api + "/chat.postMessage", auth, msg);
                return SendResult.delivered(r.get("channel").asString() + "/" + r.get("ts").asString());
            }
            String[] ref = threadRef.get().split("/", 2);
            // The first message's edit before the reply: an edit repeated by a retry changes nothing, a reply repeated
            // would be posted twice. An edit Slack refuses for good (the message was deleted, or belongs to another
            // app's token) does not hold back the reply.
            ObjectNode update = message(n);
            update.put("channel", ref[0]);
            update.put("ts", ref[1]);
            try {
                api(api + "/chat.update", auth, update);
            } catch (Http.Outcome o) {
                if (o.result.outcome() != SendResult.Outcome.FAILED) {
                    throw o;
                }
            }
            ObjectNode reply = message(n);
            reply.put("channel", ref[0]);
            reply.put("thread_ts", ref[1]);
            api(api + "/chat.postMessage", auth, reply);
            return SendResult.delivered(threadRef.get());
        } catch (Http.Outcome o) {
            return o.result;
        }
    }

    /**
     * What the descriptor cannot say: a bot token posts to a channel, so it needs one (without, the message went out
     * with {@code "channel": null}). Problems as {@link io.onloop.domain.delivery.TargetDescriptor#problems} gives them.
     */
    static List<String> problems(Map<String, String> settings) {
        return !settings.getOrDefault("bot_token", "").isBlank() && settings.getOrDefault("channel", "").isBlank()
                ? List.of("channel: required with bot_token (the channel id or name to post to)") : List.of();
    }

    /** Only with a bot token: an incoming webhook cannot edit a message. */
    @Override
    public boolean showsAcknowledgements(Map<String, String> settings) {
        return !settings.getOrDefault("bot_token", "").isBlank();
    }

    /** Edits the thread's first message ({@code chat.update}) to its last state plus who acknowledged it. */
    @Override
    public SendResult acknowledge(Acknowledgement ack, Map<String, String> settings, Optional<String> threadRef) {
        if (threadRef.isEmpty()) {
            return SendResult.failed("slack: the thread's first message was never sent, nothing to mark acknowledged");
        }
        String api = Http.trimSlash(settings.getOrDefault("api_url", "https://slack.com/api"));
        String[] ref = threadRef.get().split("/", 2);
        ObjectNode update = message(ack.last());
        update.put("channel", ref[0]);
        update.put("ts", ref[1]);
        ObjectNode acked = NotificationJson.JSON.createObjectNode();
        acked.put("type", "section");
        acked.putObject("text").put("type", "mrkdwn").put("text", ":eyes: Acknowledged by *"
                + Markup.slack(ack.by(), 200) + "* at " + ack.at().truncatedTo(ChronoUnit.SECONDS));
        ((ArrayNode) update.get("blocks")).insert(1, acked);
        try {
            api(api + "/chat.update", Map.of("Authorization", "Bearer " + settings.get("bot_token")), update);
            return SendResult.delivered(threadRef.get());
        } catch (Http.Outcome o) {
            return o.result;
        }
    }

    /** Slack answers 200 with {"ok": false, "error": ...} for most failures. */
    private static JsonNode api(String url, Map<String, String> auth, ObjectNode body) throws Http.Outcome {
        HttpResponse<String> r = Http.call("POST", url, auth, body.toString());
        JsonNode json = NotificationJson.JSON.readTree(r.body());
        if (json.path("ok").asBoolean(false)) {
            return json;
        }
        String error = json.path("error").asString("unknown");
        throw new Http.Outcome(PERMANENT.contains(error) ? SendResult.failed("slack: " + error)
                : SendResult.retry("slack: " + error, Http.retryAfter(r).orElse(null)));
    }

    static ObjectNode message(Notification n) {
        ObjectNode m = NotificationJson.JSON.createObjectNode();
        boolean resolved = n.status() == Notification.Status.RESOLVED;
        String icon = resolved ? ":white_check_mark:" : n.severity().rank() >= 3 ? ":red_circle:" : ":large_orange_circle:";
        String state = resolved ? "Resolved" : n.severity().id().toUpperCase();
        m.put("text", state + ": " + Markup.slack(n.title(), 300)); // notification fallback
        ArrayNode blocks = m.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        // plain_text renders no formatting; the entities are escaped all the same, as Slack asks for all text
        header.putObject("text").put("type", "plain_text").put("text",
                Markup.slack((resolved ? "Resolved: " : state + ": ") + n.title(), 150));
        StringBuilder alerts = new StringBuilder();
        for (AlertSnapshot a : n.firing()) {
            line(alerts, ":rotating_light: *" + a.severity().id() + "*", a);
        }
        for (AlertSnapshot a : n.resolved()) {
            line(alerts, ":white_check_mark: resolved", a);
        }
        section(blocks, icon + " " + wholeLines(alerts.toString(), 2900));
        if (!n.runbook().isEmpty()) {
            section(blocks, "*Runbook*\n" + Markup.slack(n.runbook(), 2900));
        }
        ObjectNode ctx = blocks.addObject();
        ctx.put("type", "context");
        // Slack refuses a context element over 3,000 characters (invalid_blocks): long group labels are cut
        ctx.putArray("elements").addObject().put("type", "mrkdwn").put("text",
                Markup.slack(PlainText.labels(n.groupLabels()), 2900) + " · " + n.firing().size() + " firing, "
                        + n.resolved().size() + " resolved · update " + n.sequence()).put("verbatim", true);
        return m;
    }

    /** Escaped text cut at its last whole line within {@code max} characters, so no escape is cut in two. */
    static String wholeLines(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        int cut = escaped.lastIndexOf('\n', max - 2) + 1;
        if (cut <= 0) { // one line: cut before an escape it would split
            cut = max - 1;
            int amp = escaped.lastIndexOf('&', cut - 1);
            if (amp >= 0 && escaped.indexOf(';', amp) >= cut) {
                cut = amp;
            }
        }
        return escaped.substring(0, cut) + "…";
    }

    private static void line(StringBuilder b, String prefix, AlertSnapshot a) {
        b.append(prefix).append(' ').append(Markup.slack(a.title()));
        if (a.resource().isKnown()) {
            b.append(" on `").append(Markup.slack(a.resource().name()).replace("`", "'")).append('`');
        }
        if (!a.summary().isEmpty()) {
            b.append("\n> ").append(Markup.slack(a.summary(), 500).replace("\n", "\n> "));
        }
        b.append('\n');
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode s = blocks.addObject();
        s.put("type", "section");
        // verbatim: Slack does not turn bare URLs, channel names or mentions in alert text into links or pings
        s.putObject("text").put("type", "mrkdwn").put("text", mrkdwn).put("verbatim", true);
    }
}
