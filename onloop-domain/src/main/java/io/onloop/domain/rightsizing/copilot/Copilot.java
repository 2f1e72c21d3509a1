package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Page;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What happens to a recommendation after it is made: it is recorded (a newer one for the same workload
 * supersedes the open one; the same change again only refreshes it), listed, and approved (which makes its
 * {@link ChangePlan}) or rejected by a person. Every recording and decision is written to the audit log.
 * Nothing is applied to any cluster or account here.
 */
public final class Copilot {
    /** The actor of the audit entries and supersessions a scan writes. */
    public static final String SCAN_ACTOR = "scan";
    /** A comment says why in a few sentences; anything longer is not a comment. */
    public static final int MAX_COMMENT_CHARS = 10_000;

    private final RecommendationStore store;
    private final EventStore audit;
    private final Clock clock;

    public Copilot(RecommendationStore store, EventStore audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * How a scan changed the stored recommendations; {@code withdrawn}: open ones for workloads the source scanned
     * and no longer recommends a change for.
     */
    public record ScanOutcome(int created, int superseded, int unchanged, int withdrawn) {
    }

    /**
     * Records what a source found, comparing each recommendation with the workload's latest one:
     * <ul>
     * <li>none, or a different change than the latest decided one: a new open recommendation;</li>
     * <li>the same change (settings and values) as the open one: that one is refreshed (evidence, costs,
     *     confidence), not duplicated;</li>
     * <li>a different change than the open one: the open one is superseded by a new one;</li>
     * <li>the same change as an approved (not yet applied) or rejected one: nothing, so a decided change is
     *     not proposed again and again;</li>
     * <li>an open one for a workload the scan evaluated and no longer recommends a change for (usage rose back,
     *     someone resized it by hand): withdrawn, as superseded by the scan, so that a change the data no longer
     *     supports cannot be approved.</li>
     * </ul>
     */
    public ScanOutcome record(String tenantId, String sourceName, RecommendationSource.Scan scan) {
        List<Recommendation> found = scan.found();
        int created = 0;
        int superseded = 0;
        int unchanged = 0;
        for (Recommendation r : found) {
            Instant now = clock.instant();
            // a superseded latest one (a scan stopped between superseding and inserting) counts as none
            Optional<StoredRecommendation> latest = store.findLatest(tenantId, r.workload().key())
                    .filter(l -> l.status() != Status.SUPERSEDED);
            if (latest.isPresent() && sameChange(latest.get().recommendation(), r)) {
                // refreshed when still open (if someone decides it meanwhile, their decision stands)
                store.update(latest.get().refreshed(r, now), Status.OPEN);
                unchanged++;
                continue;
            }
            var fresh = StoredRecommendation.open(Ids.newId(now), tenantId, r, now);
            if (latest.isPresent() && latest.get().status() == Status.OPEN && store.update(latest.get().decided(Status.SUPERSEDED, SCAN_ACTOR,
                    now, "superseded by " + fresh.id(), null), Status.OPEN)) {
                superseded++;
            }
            store.insert(fresh);
            created++;
        }
        int withdrawn = withdrawStale(tenantId, sourceName, scan);
        if (created + superseded + withdrawn > 0) { // a scan that only refreshed what was open changed no one's decisions
            audit(tenantId, SCAN_ACTOR, "recommendation.scan", "", "source " + sourceName + ": " + created + " new, "
                    + superseded + " superseded, " + withdrawn + " withdrawn, " + unchanged + " unchanged");
        }
        return new ScanOutcome(created, superseded, unchanged, withdrawn);
    }

    private int withdrawStale(String tenantId, String sourceName, RecommendationSource.Scan scan) {
        if (scan.evaluated().isEmpty()) {
            return 0;
        }
        Set<String> current = scan.found().stream().map(r -> r.workload().key()).collect(Collectors.toSet());
        List<StoredRecommendation> stale = new ArrayList<>();
        var query = RecommendationQuery.all(tenantId, Status.OPEN, 500);
        for (String cursor = null; ; ) {
            var page = store.find(cursor == null ? query : query.after(cursor));
            page.items().stream().filter(r -> scan.evaluated().contains(r.workloadKey()) && !current.contains(r.workloadKey()))
                    .forEach(stale::add);
            cursor = page.nextCursor();
            if (cursor == null) {
                break;
            }
        }
        int withdrawn = 0;
        for (StoredRecommendation r : stale) {
            // an update that finds it no longer open lost to someone's decision, which stands
            if (store.update(r.decided(Status.SUPERSEDED, SCAN_ACTOR, clock.instant(), "withdrawn: the latest scan of "
                    + sourceName + " no longer recommends a change here", null), Status.OPEN)) {
                withdrawn++;
            }
        }
        return withdrawn;
    }

    public Optional<StoredRecommendation> find(String tenantId, UUID id) {
        return store.find(tenantId, id);
    }

    public Page<StoredRecommendation> list(RecommendationQuery query) {
        return store.find(query);
    }

    /**
     * Approves an open recommendation and makes its change plan.
     *
     * @param manifest the workload's manifest in Git, or null
     * @return empty if the tenant has no such recommendation
     * @throws AlreadyDecidedException if it is not open
     * @throws PlanException           if no exact plan can be made; the recommendation then stays open
     * @throws IllegalArgumentException if the comment is longer than {@link #MAX_COMMENT_CHARS}
     */
    public Optional<StoredRecommendation> approve(String tenantId, UUID id, String actor, String comment,
                                                  ChangePlanner.Manifest manifest) {
        checkLength(comment);
        return store.find(tenantId, id).map(current -> {
            requireOpen(current);
            ChangePlan plan = ChangePlanner.plan(current.recommendation(), manifest);
            return decide(current, Status.APPROVED, actor, comment, plan, "recommendation.approve");
        });
    }

    /**
     * Rejects an open recommendation; the comment saying why is required.
     *
     * @return empty if the tenant has no such recommendation
     * @throws IllegalArgumentException if the comment is blank or longer than {@link #MAX_COMMENT_CHARS}
     * @throws AlreadyDecidedException  if it is not open
     */
    public Optional<StoredRecommendation> reject(String tenantId, UUID id, String actor, String comment) {
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("a rejection needs a comment saying why");
        }
        checkLength(comment);
        return store.find(tenantId, id).map(current -> {
            requireOpen(current);
            return decide(current, Status.REJECTED, actor, comment, null, "recommendation.reject");
        });
    }

    private StoredRecommendation decide(StoredRecommendation current, Status to, String actor, String comment,
                                        ChangePlan plan, String action) {
        Instant now = clock.instant();
        var decided = current.decided(to, actor, now, comment == null ? "" : comment.strip(), plan);
        if (!store.update(decided, Status.OPEN)) {
            // someone else decided (or a scan superseded it) between our read and our write
            throw new AlreadyDecidedException(store.find(current.tenantId(), current.id()).orElse(current));
        }
        // the comment is free text a person typed, so it stays with the recommendation, not in the audit detail
        audit(current.tenantId(), actor, action, current.id().toString(), describe(current.recommendation()));
        return decided;
    }

    private static void checkLength(String comment) {
        if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
            throw new IllegalArgumentException("a comment is at most " + MAX_COMMENT_CHARS + " characters");
        }
    }

    private static void requireOpen(StoredRecommendation r) {
        if (r.status() != Status.OPEN) {
            throw new AlreadyDecidedException(r);
        }
    }

    /** e.g. {@code kubernetes/prod/shop/Deployment/cart/app: cpu.request 500m -> 250m; saves 12.40 USD/month}. */
    static String describe(Recommendation r) {
        String changes = r.changes().stream().map(Copilot::describe).collect(Collectors.joining(", "));
        return r.workload().key() + ": " + changes + "; saves "
                + String.format(Locale.ROOT, "%.2f", r.monthlySavings()) + " " + r.currency() + "/month";
    }

    private static String describe(SettingChange c) {
        return c.setting() + " " + (c.current().isEmpty() ? "(unset)" : c.current()) + " -> "
                + (c.recommended().isEmpty() ? "(unset)" : c.recommended());
    }

    private void audit(String tenantId, String actor, String action, String targetId, String detail) {
        Instant now = clock.instant();
        var entry = new AuditEntry(Ids.newId(now), tenantId, now, actor, action, "recommendation", targetId, detail);
        audit.inTransaction(tx -> {
            tx.appendAudit(entry);
            return null;
        });
    }

    /** The same settings to the same values: a later scan saying the same thing again. */
    /**
     * The same settings to the same values, where numbers (Kubernetes quantities, sizes) within 10% of each
     * other count as the same: a sliding usage window moves a recommendation by a millicore or a MiB at
     * every scan, and that is not a new recommendation to supersede the one someone is reading.
     */
    static boolean sameChange(Recommendation a, Recommendation b) {
        if (a.direction() != b.direction() || a.changes().size() != b.changes().size()) {
            return false;
        }
        Map<String, String> before = new HashMap<>();
        a.changes().forEach(c -> before.put(c.setting(), c.recommended()));
        for (var c : b.changes()) {
            String old = before.get(c.setting());
            if (old == null || !(old.equals(c.recommended()) || closeNumbers(old, c.recommended()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean closeNumbers(String a, String b) {
        OptionalDouble x = quantity(a);
        OptionalDouble y = quantity(b);
        return x.isPresent() && y.isPresent() && Math.abs(x.getAsDouble() - y.getAsDouble())
                <= SAME_CHANGE_TOLERANCE * Math.max(Math.abs(x.getAsDouble()), Math.abs(y.getAsDouble()));
    }

    private static final double SAME_CHANGE_TOLERANCE = 0.10;
    private static final Pattern QUANTITY = Pattern.compile(
            "(\\d+(?:\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");

    /**
     * A Kubernetes quantity ({@code 250m}, {@code 512Mi}, {@code 2G}, {@code 1e3}) or a plain number, as a number;
     * empty when it is neither. The one reading of quantities: the planner refuses what this cannot read.
     */
    public static OptionalDouble quantity(String value) {
        Matcher m = QUANTITY.matcher(value);
        if (!m.matches()) {
            return OptionalDouble.empty();
        }
        String suffix = m.group(2) == null ? "" : m.group(2);
        if (suffix.length() > 6) {
            return OptionalDouble.empty(); // an exponent no quantity has
        }
        double scale = switch (suffix) {
            case "" -> 1;
            case "m" -> 1e-3;
            case "k" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            case "T" -> 1e12;
            case "P" -> 1e15;
            case "E" -> 1e18;
            case "Ki" -> 0x1p10;
            case "Mi" -> 0x1p20;
            case "Gi" -> 0x1p30;
            case "Ti" -> 0x1p40;
            case "Pi" -> 0x1p50;
            case "Ei" -> 0x1p60;
            default -> Math.pow(10, Integer.parseInt(suffix.substring(1))); // an exponent, e.g. e3
        };
        return OptionalDouble.of(Double.parseDouble(m.group(1)) * scale);
    }
}
