package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import io.onloop.domain.routing.Notification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jira Cloud (REST API v3): one issue per alert group, labelled {@code onloop-<thread key>}. The
 * first notification creates it; updates comment; the group's resolution comments and applies the
 * configured transition. Jira has no idempotency key, so without a recorded issue key onloop first
 * searches for the label: a retry after a lost response finds the issue instead of opening another.
 */
public final class JiraTarget implements NotificationTarget {
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("jira", "Jira", List.of(
            new Setting("url", SettingType.URL, true, "Your Jira site, e.g. https://acme.atlassian.net"),
            new Setting("email", SettingType.EMAIL, true, "Account e-mail the API token belongs to"),
            new Setting("api_token", SettingType.SECRET, true, "Atlassian API token"),
            new Setting("project", SettingType.STRING, true, "Project key, e.g. OPS"),
            new Setting("issue_type", SettingType.STRING, false, "Issue type name (default Task)"),
            new Setting("resolve_transition", SettingType.STRING, false,
                    "Transition applied when the group resolves (default Done)")));

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        String base = Http.trimSlash(settings.get("url")) + "/rest/api/3";
        Map<String, String> auth = Map.of("Authorization", Http.basic(settings.get("email"), settings.get("api_token")),
                "Accept", "application/json");
        String label = "onloop-" + n.threadKey();
        try {
            Optional<String> issue = threadRef.isPresent() ? threadRef : existing(base, auth, label);
            if (issue.isEmpty()) {
                ObjectNode body = NotificationJson.JSON.createObjectNode();
                ObjectNode f = body.putObject("fields");
                f.putObject("project").put("key", settings.get("project"));
                f.put("summary", Markup.clip(PlainText.headline(n).replace('\n', ' '), 250));
                f.putObject("issuetype").put("name", settings.getOrDefault("issue_type", "Task"));
                f.set("description", document(n));
                f.putArray("labels").add("onloop").add(label);
                JsonNode r = NotificationJson.JSON.readTree(Http.call("POST", base + "/issue", auth, body.toString())
                        .body());
                issue = Optional.of(r.path("key").asString());
                if (n.status() == Notification.Status.RESOLVED) {
                    transition(base, auth, issue.get(), settings.getOrDefault("resolve_transition", "Done"));
                }
                return SendResult.delivered(issue.get());
            }
            if (n.status() == Notification.Status.RESOLVED) {
                // closed before the comment: a retry after either fails finds it closed and comments once, where a
                // comment before a failed transition would be posted again by every retry
                transition(base, auth, issue.get(), settings.getOrDefault("resolve_transition", "Done"));
            }
            if (!(n.isFirst() && threadRef.isEmpty())) {
                ObjectNode comment = NotificationJson.JSON.createObjectNode();
                comment.set("body", document(n));
                Http.call("POST", base + "/issue/" + issue.get() + "/comment", auth, comment.toString());
            }
            return SendResult.delivered(issue.get());
        } catch (Http.Outcome o) {
            return o.result;
        }
    }

    private static void transition(String base, Map<String, String> auth, String issue, String name)
            throws Http.Outcome {
        JsonNode r = NotificationJson.JSON.readTree(Http.call("GET", base + "/issue/" + issue + "/transitions", auth,
                null).body());
        for (JsonNode t : r.path("transitions")) {
            if (t.path("name").asString().equalsIgnoreCase(name)
                    || t.path("to").path("name").asString().equalsIgnoreCase(name)) {
                ObjectNode body = NotificationJson.JSON.createObjectNode();
                body.putObject("transition").put("id", t.path("id").asString());
                Http.call("POST", base + "/issue/" + issue + "/transitions", auth, body.toString());
                return;
            }
        }
        // none from here: already done (a retry after the transition went through) is no failure
        JsonNode status = NotificationJson.JSON.readTree(Http.call("GET", base + "/issue/" + issue + "?fields=status",
                auth, null).body()).path("fields").path("status");
        if ("done".equals(status.path("statusCategory").path("key").asString(""))) {
            return;
        }
        throw new Http.Outcome(SendResult.failed("jira: issue " + issue + " has no transition named \"" + name + "\""));
    }

    private static Optional<String> existing(String base, Map<String, String> auth, String label) throws Http.Outcome {
        String jql = "labels = \"" + label + "\"";
        JsonNode r = NotificationJson.JSON.readTree(Http.call("GET", base + "/search/jql?fields=key&jql="
                + URLEncoder.encode(jql, StandardCharsets.UTF_8), auth, null).body());
        for (JsonNode i : r.path("issues")) {
            return Optional.of(i.path("key").asString());
        }
        return Optional.empty();
    }

    /**
     * Jira Cloud refuses a description or comment over 32,767 characters (its text field limit), for good; counted
     * here on the document as sent (ADF JSON, UTF-16 units), which is never less than what Jira counts.
     */
    static final int MAX_TEXT = 32_767;

    /** The notification as a document within {@link #MAX_TEXT}: fewer alerts, then less runbook, saying so. */
    static ObjectNode document(Notification n) {
        return PlainText.fitted(n, cut -> adf(PlainText.body(n, cut)), doc -> doc.toString().length(), MAX_TEXT);
    }

    /** Atlassian Document Format: one paragraph per line; text nodes are literal, never markup. */
    static ObjectNode adf(String text) {
        ObjectNode doc = NotificationJson.JSON.createObjectNode();
        doc.put("type", "doc");
        doc.put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String line : text.split("\n")) {
            ObjectNode p = content.addObject();
            p.put("type", "paragraph");
            if (!line.isEmpty()) {
                p.putArray("content").addObject().put("type", "text").put("text", line);
            }
        }
        return doc;
    }
}
