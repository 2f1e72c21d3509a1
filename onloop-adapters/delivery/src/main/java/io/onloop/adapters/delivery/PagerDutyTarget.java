package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.Acknowledgement;
import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import io.onloop.domain.routing.Notification;
import io.onloop.domain.text.BidiControls;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PagerDuty Events API v2. The dedup_key is the notification's thread key, stable for the whole
 * group episode: a retry or an update re-triggers the same PagerDuty alert (PagerDuty deduplicates
 * it), the group's resolution resolves it, and a person acknowledging one of the thread's
 * incidents in onloop acknowledges it.
 */
public final class PagerDutyTarget implements NotificationTarget {
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("pagerduty", "PagerDuty", List.of(
            new Setting("routing_key", SettingType.SECRET, true, "The integration key of an Events API v2 integration"),
            new Setting("api_url", SettingType.URL, false, "Events API base URL (default https://events.pagerduty.com)")));

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * PagerDuty refuses an event over 512 KB (Events API v2), for good; counted here in UTF-8 bytes of the event as
     * sent, with room to spare.
     */
    static final int MAX_EVENT_BYTES = 500_000;

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        // a big group lists fewer alerts, then less runbook, and says so, rather than never arriving
        return post(settings, PlainText.fitted(n, cut -> event(n, settings, cut),
                e -> e.toString().getBytes(StandardCharsets.UTF_8).length, MAX_EVENT_BYTES));
    }

    private static ObjectNode event(Notification n, Map<String, String> settings, PlainText.Cut cut) {
        ObjectNode e = NotificationJson.JSON.createObjectNode();
        e.put("routing_key", settings.get("routing_key"));
        e.put("dedup_key", n.threadKey());
        if (n.status() == Notification.Status.RESOLVED) {
            e.put("event_action", "resolve");
        } else {
            e.put("event_action", "trigger");
            ObjectNode p = e.putObject("payload");
            p.put("summary", Markup.clip(PlainText.headline(n), 1024));
            p.put("source", n.firing().isEmpty() || !n.firing().getFirst().resource().isKnown() ? "onloop"
                    : BidiControls.shownIn(n.firing().getFirst().resource().name()));
            p.put("severity", switch (n.severity()) {
                case CRITICAL -> "critical";
                case HIGH -> "error";
                case MEDIUM, LOW -> "warning";
                case INFO -> "info";
            });
            p.put("timestamp", n.at().toString());
            p.put("group", PlainText.labels(n.groupLabels()));
            ObjectNode details = p.putObject("custom_details");
            details.put("alerts", PlainText.alerts(n, cut)); // the runbook has its own detail below
            details.put("firing", n.firing().size());
            details.put("resolved", n.resolved().size());
            if (!n.runbook().isEmpty()) {
                details.put("runbook", PlainText.runbook(n, cut));
            }
            n.firing().stream().filter(a -> a.link().startsWith("http")).findFirst()
                    .ifPresent(a -> e.putArray("links").addObject().put("href", a.link()).put("text", "source"));
        }
        return e;
    }

    @Override
    public boolean showsAcknowledgements(Map<String, String> settings) {
        return true;
    }

    /** Acknowledges the thread's PagerDuty alert (a person acknowledged the incident in onloop). */
    @Override
    public SendResult acknowledge(Acknowledgement ack, Map<String, String> settings, Optional<String> threadRef) {
        ObjectNode e = NotificationJson.JSON.createObjectNode();
        e.put("routing_key", settings.get("routing_key"));
        e.put("dedup_key", ack.last().threadKey());
        e.put("event_action", "acknowledge");
        return post(settings, e);
    }

    private SendResult post(Map<String, String> settings, ObjectNode event) {
        String base = Http.trimSlash(settings.getOrDefault("api_url", "https://events.pagerduty.com"));
        try {
            Http.call("POST", base + "/v2/enqueue", Map.of(), event.toString());
            return SendResult.delivered(event.get("dedup_key").asString());
        } catch (Http.Outcome o) {
            return o.result;
        }
    }
}
