package io.onloop.adapters.delivery;

import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.text.BidiControls;
import io.onloop.domain.routing.Notification;

import java.util.List;
import java.util.Map;

/** A notification as plain text, for people (the e-mail's text part, tickets): bidi controls shown, not obeyed. */
final class PlainText {
    private PlainText() {
    }

    static String headline(Notification n) {
        String state = n.status() == Notification.Status.RESOLVED ? "RESOLVED" : n.severity().id().toUpperCase();
        return BidiControls.shownIn("[" + state + "] " + n.title());
    }

    static String body(Notification n) {
        StringBuilder b = new StringBuilder();
        b.append(headline(n)).append("\n\n");
        section(b, "Firing", n.firing());
        section(b, "Resolved", n.resolved());
        if (!n.groupLabels().isEmpty()) {
            b.append("Group: ").append(labels(n.groupLabels())).append('\n');
        }
        if (!n.runbook().isEmpty()) {
            b.append("\nRunbook\n").append(n.runbook()).append('\n');
        }
        return BidiControls.shownIn(b.toString());
    }

    private static void section(StringBuilder b, String name, List<AlertSnapshot> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        b.append(name).append(" (").append(alerts.size()).append(")\n");
        for (AlertSnapshot a : alerts) {
            b.append("- [").append(a.severity().id()).append("] ").append(a.title());
            if (a.resource().isKnown()) {
                b.append(" on ").append(a.resource().name());
            }
            b.append('\n');
            if (!a.summary().isEmpty()) {
                b.append("  ").append(a.summary().replace("\n", "\n  ")).append('\n');
            }
            if (!a.link().isEmpty()) {
                b.append("  ").append(a.link()).append('\n');
            }
        }
        b.append('\n');
    }

    static String labels(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(labels).forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=')
                .append(v));
        return BidiControls.shownIn(b.toString());
    }
}
