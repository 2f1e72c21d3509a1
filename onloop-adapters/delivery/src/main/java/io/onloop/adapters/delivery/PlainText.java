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
        return body(n, Cut.WHOLE);
    }

    /**
     * How much of a notification a size-limited target keeps: its first {@code alerts} alerts (firing first), the
     * first {@code runbook} characters of the runbook, and at most {@code chars} characters in all.
     */
    record Cut(int alerts, int runbook, int chars) {
        static final Cut WHOLE = new Cut(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

        /**
         * The next smaller cut: fewer alerts down to one, then less runbook down to its first 500 characters (its
         * summary comes first), then less text in all; null when nothing is left to take.
         */
        Cut smaller(Notification n) {
            int all = n.firing().size() + n.resolved().size();
            if (Math.min(alerts, all) > 1) {
                return new Cut(Math.min(alerts, all) * 3 / 4, runbook, chars);
            }
            int rb = Math.min(runbook, n.runbook().length());
            if (rb > RUNBOOK_KEPT) {
                return new Cut(alerts, Math.max(RUNBOOK_KEPT, rb / 2), chars);
            }
            return chars > 500 ? new Cut(alerts, runbook, chars == Integer.MAX_VALUE ? 1 << 20 : chars * 3 / 4)
                    : null;
        }
    }

    /** Runbook characters a cut keeps at least (the summary), as Slack and Teams do. */
    private static final int RUNBOOK_KEPT = 500;

    /**
     * The fullest text whose form as sent ({@code build}) is within {@code limit} as {@code size} measures it:
     * vendors refuse a larger one for good, so a big group would never arrive. What is left out is said.
     */
    static <T> T fitted(Notification n, java.util.function.Function<Cut, T> build,
                        java.util.function.ToIntFunction<T> size, int limit) {
        Cut cut = Cut.WHOLE;
        T sent = build.apply(cut);
        while (size.applyAsInt(sent) > limit && (cut = cut.smaller(n)) != null) {
            sent = build.apply(cut);
        }
        return sent;
    }

    static String body(Notification n, Cut cut) {
        return text(n, cut, true);
    }

    /** The body without the runbook, for a target that sends the runbook in a field of its own. */
    static String alerts(Notification n, Cut cut) {
        return text(n, cut, false);
    }

    private static String text(Notification n, Cut cut, boolean withRunbook) {
        StringBuilder b = new StringBuilder();
        b.append(headline(n)).append("\n\n");
        int shown = section(b, "Firing", n.firing(), cut.alerts());
        shown += section(b, "Resolved", n.resolved(), cut.alerts() - shown);
        int all = n.firing().size() + n.resolved().size();
        if (shown < all) {
            b.append("(").append(all - shown).append(" more alerts of this group not listed here: too long for the target)\n\n");
        }
        if (!n.groupLabels().isEmpty()) {
            b.append("Group: ").append(labels(n.groupLabels())).append('\n');
        }
        if (withRunbook && !n.runbook().isEmpty()) {
            b.append("\nRunbook\n").append(runbook(n, cut)).append('\n');
        }
        String text = BidiControls.shownIn(b.toString());
        return text.length() <= cut.chars() ? text
                : Markup.clip(text, cut.chars()) + "\n(cut here: too long for the target)";
    }

    /** The runbook as far as the cut keeps it, bidi controls shown. */
    static String runbook(Notification n, Cut cut) {
        String r = n.runbook();
        return BidiControls.shownIn(r.length() <= cut.runbook() ? r
                : Markup.clip(r, cut.runbook()) + "\n(runbook cut here: the rest is in onloop)");
    }

    /** Lists up to {@code max} of the alerts; returns how many it listed. */
    private static int section(StringBuilder b, String name, List<AlertSnapshot> alerts, int max) {
        if (alerts.isEmpty()) {
            return 0;
        }
        b.append(name).append(" (").append(alerts.size()).append(")\n");
        int shown = 0;
        for (AlertSnapshot a : alerts) {
            if (shown == max) {
                break;
            }
            shown++;
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
        return shown;
    }

    static String labels(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(labels).forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=')
                .append(v));
        return BidiControls.shownIn(b.toString());
    }
}
