package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Port: where recommendations come from (the Kubernetes and Prometheus sources with the recommender, the
 * AWS source). The application calls every source on a schedule, with the tenant's own prices, and hands what it
 * returns to {@link Copilot#record}.
 */
public interface RecommendationSource {

    /** A short name for the audit log and logs, e.g. {@code kubernetes/prod}. */
    String name();

    /**
     * The recommendations for the tenant's workloads now; empty when there is nothing to change.
     *
     * @param prices the tenant's prices by catalog key ({@link PriceOverrideStore#prices}); they replace the
     *               source's own catalog's prices ({@link PricingCatalog#withPrices})
     */
    Scan scan(String tenantId, Map<String, Double> prices);

    /**
     * The log line for what a scan could not judge ({@code things}: "container(s)", "resource(s)"): the first ten, so
     * an outage of a whole backend is one readable line.
     */
    static String notEvaluated(String source, String things, List<String> notJudged) {
        return source + ": " + notJudged.size() + " " + things + " not evaluated this scan, their recommendations left as"
                + " they are: " + String.join("; ", notJudged.subList(0, Math.min(10, notJudged.size())))
                + (notJudged.size() > 10 ? "; and " + (notJudged.size() - 10) + " more" : "");
    }

    /**
     * What one scan found, and what the workloads it looked at without failing are set to now, by their keys
     * ({@link WorkloadRef#key()}): an open recommendation for one of those that it no longer returns is withdrawn
     * ({@link Copilot#record}). A workload whose usage could not be read, or came back too little to judge by (no series
     * at all, less than a day), or that cannot be priced, is not among them, so a metrics outage withdraws nothing.
     *
     * @param settings per workload looked at, setting name to value as a
     *                 {@link io.onloop.domain.rightsizing.SettingChange}'s {@code current} has it ({@code ""} for unset).
     *                 An approved recommendation whose workload is at the values it approved was applied, and is not
     *                 withdrawn; a setting missing here is taken as not known to be
     */
    record Scan(List<Recommendation> found, Map<String, Map<String, String>> settings) {
        public static final Scan NONE = new Scan(List.of(), Set.of());

        public Scan {
            found = List.copyOf(found);
            settings = settings.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        }

        /** The keys of the workloads the scan looked at. */
        public Set<String> evaluated() {
            return settings.keySet();
        }

        /** Without the workloads' settings: an approval is not known to have been applied unless a finding says so. */
        public Scan(List<Recommendation> found, Set<String> evaluated) {
            this(found, evaluated.stream().collect(Collectors.toMap(key -> key, key -> Map.<String, String>of())));
        }
    }
}
