package io.onloop.adapters.delivery;

import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.routing.Notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Notifications for target tests; the alert text tries every markup trick. */
final class Notifications {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final String EVIL_TITLE = "<!channel> *Disk* <https://evil.example|click> & <b>bold</b> [x](http://e)";
    /** With a right-to-left override: obeyed, "\u202Eexe.gnp" would read "png.exe". */
    static final String SUMMARY = "disk /var is 97% full \u202Eexe.gnp\u202C";
    static final String SUMMARY_SHOWN = "disk /var is 97% full [U+202E]exe.gnp[U+202C]";
    static final String THREAD = "5f0c6a8e-1111-3222-8333-444455556666";

    private Notifications() {
    }

    static AlertSnapshot alert(String fp, boolean firing, String title) {
        return new AlertSnapshot(fp, firing, Severity.CRITICAL, "alertmanager", title, SUMMARY,
                new Resource("host", "db-1", "db-1"), Map.of("alertname", "DiskFull", "severity", "critical"),
                "https://prometheus.example/graph?g0", UUID.fromString("0190f0e8-0000-7000-8000-000000000001"),
                T0, firing ? null : T0.plusSeconds(600));
    }

    static Notification firing(int sequence) {
        return new Notification("t1", "ops", "root", Map.of("alertname", "DiskFull"), THREAD, sequence,
                Notification.Status.FIRING, List.of(alert("fp1", true, EVIL_TITLE)), List.of(),
                T0.plusSeconds(sequence * 300L), "Check `df -h`; free space <now>.");
    }

    static Notification resolved(int sequence) {
        return new Notification("t1", "ops", "root", Map.of("alertname", "DiskFull"), THREAD, sequence,
                Notification.Status.RESOLVED, List.of(), List.of(alert("fp1", false, EVIL_TITLE)),
                T0.plusSeconds(sequence * 300L), "");
    }

    /** A firing group of {@code count} alerts, each with this summary, as a big group makes it. */
    static Notification many(int sequence, int count, String summary, String runbook) {
        List<AlertSnapshot> alerts = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            AlertSnapshot a = alert("fp" + i, true, "Alert " + i);
            alerts.add(new AlertSnapshot(a.fingerprint(), true, a.severity(), a.source(), a.title(), summary,
                    a.resource(), a.labels(), a.link(), a.incidentId(), a.startsAt(), null));
        }
        return new Notification("t1", "ops", "root", Map.of("alertname", "DiskFull"), THREAD, sequence,
                Notification.Status.FIRING, alerts, List.of(), T0.plusSeconds(sequence * 300L), runbook);
    }
}
