package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Page;
import io.onloop.domain.store.Transactions;

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
 * supersedes the open or approved one; the same change again only refreshes it), listed, and approved (which makes
 * its {@link ChangePlan}) or rejected by a person. Every decision, supersession and withdrawal is committed together
 * with its audit entry. Nothing is applied to any cluster or account here.
 */
public final class Copilot {
    /** The actor of the audit entries and supersessions a scan writes. */
    public static final String SCAN_ACTOR = "scan";
    /** A comment says why in a few sentences; anything longer is not a comment. */
    public static final int MAX_COMMENT_CHARS = 10_000;

    private final RecommendationStore store;
    private final EventStore audit;
    private final Transactions transactions;
    private final Clock clock;

    public Copilot(RecommendationStore store, EventStore audit, Transactions transactions, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * How a scan changed the stored recommendations; {@code withdrawn}: open or approved ones for workloads the
     * source scanned and no longer recommends a change for.
     */
    public record ScanOutcome(int created, int superseded, int unchanged, int withdrawn) {
    }

    /**
     * Records what a source found, comparing each recommendation with the workload's latest one:
     * <ul>
     * <li>none, or a different change than the latest rejected one: a new open recommendation;</li>
     * <li>the same change (settings and values) as the open one: that one is refreshed (evidence, costs,
     *     confidence), not duplicated;</li>
     * <li>a different change than the open or the approved (not yet applied) one: that one is superseded by a new
     *     one. An approval is of a plan for the data as it was; run after the data changed (someone resized the
     *     workload by hand, usage moved), it could undo what was done meanwhile;</li>
     * <li>the same change as an approved or rejected one: nothing, so a decided change is not proposed again and
     *     again;</li>
     * <li>an open or approved one for a workload the scan evaluated and no longer recommends a change for (usage
     *     rose back, someone resized it by hand): withdrawn, as superseded by the scan, so that a change the data no
     *     longer supports cannot be approved or run; except an approved one the scan sees applied (the workload is at
     *     the values it approved, {@link RecommendationSource.Scan#settings}), which stands.</li>
     * </ul>
     * Each supersession and withdrawal is audited on its own, naming the recommendation, and a scan that changed
     * anything also writes one summary entry.
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
            boolean replaced = transactions.inOne(() -> {
                // read again in the transaction: someone may have decided it meanwhile
                Optional<StoredRecommendation> before = store.findLatest(tenantId, r.workload().key())
                        .filter(l -> l.status().pending() && !appliedAsApproved(l, settingsNow(scan, r)));
                boolean done = before.isPresent() && supersede(before.get(), "recommendation.supersede",
                        "superseded by " + fresh.id(), "by " + fresh.id() + ": " + describe(r), now);
                store.insert(fresh);
                return done;
            });
            superseded += replaced ? 1 : 0;
            created++;
        }
        int withdrawn = withdrawStale(tenantId, sourceName, scan);
        if (created + superseded + withdrawn > 0) { // a scan that only refreshed what was open changed no one's decisions
            audit(tenantId, SCAN_ACTOR, "recommendation.scan", "", "source " + sourceName + ": " + created + " new, "
                    + superseded + " superseded, " + withdrawn + " withdrawn, " + unchanged + " unchanged");
        }
        return new ScanOutcome(created, superseded, unchanged, withdrawn);
    }

    /**
     * Whether the scan sees the workload as an approved recommendation would leave it: someone applied it (onloop
     * applies nothing, and keeps no record of what people did). That approval stands, whether the scan recommends a
     * further step (not a reason to take the approval back) or nothing more.
     *
     * @param current the workload's settings now; a setting missing here is not known, so not applied
     */
    private static boolean appliedAsApproved(StoredRecommendation approved, Map<String, String> current) {
        if (approved.status() != Status.APPROVED) {
            return false;
        }
        return approved.recommendation().changes().stream()
                .allMatch(c -> current.containsKey(c.setting()) && sameValue(current.get(c.setting()), c.recommended()));
    }

    /** The workload's settings as the scan reports them, and as the recommendation found for it starts from. */
    private static Map<String, String> settingsNow(RecommendationSource.Scan scan, Recommendation found) {
        Map<String, String> current = new HashMap<>(scan.settings().getOrDefault(found.workload().key(), Map.of()));
        found.changes().forEach(c -> current.put(c.setting(), c.current()));
        return current;
    }

    /**
     * Marks an open or approved recommendation superseded by the scan, with its audit entry, in the caller's
     * transaction. An approved one keeps its plan, and its comment says who approved it, for the record.
     *
     * @return false if it was decided otherwise meanwhile (that decision stands)
     */
    private boolean supersede(StoredRecommendation r, String action, String why, String detail, Instant now) {
        String comment = r.status() == Status.APPROVED
                ? why + " (approved by " + r.decidedBy() + " at " + r.decidedAt() + "; not known to have been applied)"
                : why;
        if (!store.update(r.decided(Status.SUPERSEDED, SCAN_ACTOR, now, comment, r.plan()), r.status())) {
            return false;
        }
        audit(r.tenantId(), SCAN_ACTOR, action, r.id().toString(), (r.status() == Status.APPROVED ? "approved; " : "") + detail);
        return true;
    }

    private int withdrawStale(String tenantId, String sourceName, RecommendationSource.Scan scan) {
        if (scan.evaluated().isEmpty()) {
            return 0;
        }
        Set<String> current = scan.found().stream().map(r -> r.workload().key()).collect(Collectors.toSet());
        List<StoredRecommendation> stale = new ArrayList<>();
        for (Status pending : List.of(Status.OPEN, Status.APPROVED)) {
            var query = RecommendationQuery.all(tenantId, pending, 500);
            for (String cursor = null; ; ) {
                var page = store.find(cursor == null ? query : query.after(cursor));
                page.items().stream().filter(r -> scan.evaluated().contains(r.workloadKey()) && !current.contains(r.workloadKey()))
                        .forEach(stale::add);
                cursor = page.nextCursor();
                if (cursor == null) {
                    break;
                }
            }
        }
        // an approval the scan sees applied stands: the scan recommends nothing more because it was done
        stale.removeIf(r -> appliedAsApproved(r, scan.settings().getOrDefault(r.workloadKey(), Map.of())));
        int withdrawn = 0;
        for (StoredRecommendation r : stale) {
            String why = "withdrawn: the latest scan of " + sourceName + " no longer recommends a change here";
            if (transactions.inOne(() -> supersede(r, "recommendation.withdraw", why, why + "; was "
                    + describe(r.recommendation()), clock.instant()))) {
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
     * @param seen     the recommendation's {@code updatedAt} as the approver read it, or null for no check
     * @return empty if the tenant has no such recommendation
     * @throws AlreadyDecidedException  if it is not open
     * @throws ChangedSinceReadException if a scan refreshed it after {@code seen}: the approver did not see what
     *                                   would be approved
     * @throws PlanException            if no exact plan can be made; the recommendation then stays open
     * @throws IllegalArgumentException if the comment is longer than {@link #MAX_COMMENT_CHARS}
     */
    public Optional<StoredRecommendation> approve(String tenantId, UUID id, String actor, String comment,
                                                  ChangePlanner.Manifest manifest, Instant seen) {
        checkLength(comment);
        return store.find(tenantId, id).map(current -> {
            requireOpen(current, seen);
            ChangePlan plan = ChangePlanner.plan(current.recommendation(), manifest);
            return decide(current, Status.APPROVED, actor, comment, plan, "recommendation.approve");
        });
    }

    /**
     * Rejects an open recommendation; the comment saying why is required.
     *
     * @param seen as for {@link #approve}
     * @return empty if the tenant has no such recommendation
     * @throws IllegalArgumentException if the comment is blank or longer than {@link #MAX_COMMENT_CHARS}
     * @throws AlreadyDecidedException  if it is not open
     * @throws ChangedSinceReadException as for {@link #approve}
     */
    public Optional<StoredRecommendation> reject(String tenantId, UUID id, String actor, String comment, Instant seen) {
        if (comment == null || comment.isBlank()) {
            throw new IllegalArgumentException("a rejection needs a comment saying why");
        }
        checkLength(comment);
        return store.find(tenantId, id).map(current -> {
            requireOpen(current, seen);
            return decide(current, Status.REJECTED, actor, comment, null, "recommendation.reject");
        });
    }

    private StoredRecommendation decide(StoredRecommendation current, Status to, String actor, String comment,
                                        ChangePlan plan, String action) {
        Instant now = clock.instant();
        var decided = current.decided(to, actor, now, comment == null ? "" : comment.strip(), plan);
        return transactions.inOne(() -> {
            // the recommendation as read (and seen) is what is decided, even if a scan refreshed it since
            if (!store.update(decided, Status.OPEN)) {
                // someone else decided (or a scan superseded it) between our read and our write
                throw new AlreadyDecidedException(store.find(current.tenantId(), current.id()).orElse(current));
            }
            // the comment is free text a person typed, so it stays with the recommendation, not in the audit detail
            audit(current.tenantId(), actor, action, current.id().toString(), describe(current.recommendation())
                    + String.format(Locale.ROOT, "; risk %.2f", current.recommendation().risk()));
            return decided;
        });
    }

    private static void checkLength(String comment) {
        if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
            throw new IllegalArgumentException("a comment is at most " + MAX_COMMENT_CHARS + " characters");
        }
    }

    private static void requireOpen(StoredRecommendation r, Instant seen) {
        if (r.status() != Status.OPEN) {
            throw new AlreadyDecidedException(r);
        }
        if (seen != null && !seen.equals(r.updatedAt())) {
            throw new ChangedSinceReadException(r, seen);
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
            if (old == null || !sameValue(old, c.recommended())) {
                return false;
            }
        }
        return true;
    }

    /** Equal, or numbers within 10% of each other (see {@link #sameChange}). */
    private static boolean sameValue(String a, String b) {
        return a.equals(b) || closeNumbers(a, b);
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
