package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.rightsizing.ContainerRightsizer;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.inventory.KubernetesContainerInventory;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.Objects;
import java.util.Optional;

/**
 * One cluster as a {@link RecommendationSource}: every container the inventory lists, its usage from
 * Prometheus over the last {@code history}, and the {@link ContainerRightsizer}'s recommendation. A cluster
 * belongs to one tenant; other tenants get nothing from it.
 */
public final class KubernetesRecommendationSource implements RecommendationSource {
    private static final Logger LOG = Logger.getLogger(KubernetesRecommendationSource.class.getName());


    private final String name;
    private final String tenantId;
    private final KubernetesContainerInventory inventory;
    private final KubernetesUsage usage;
    private final ContainerRightsizer rightsizer;
    private final Clock clock;
    private final Duration history;
    private final Duration step;

    /**
     * @param name    e.g. {@code kubernetes/prod}
     * @param history how far back usage is read, e.g. 14 days
     * @param step    the sample interval, e.g. 5 minutes
     */
    public KubernetesRecommendationSource(String name, String tenantId, KubernetesContainerInventory inventory,
                                          KubernetesUsage usage, ContainerRightsizer rightsizer, Clock clock,
                                          Duration history, Duration step) {
        this.name = Objects.requireNonNull(name, "name");
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.rightsizer = Objects.requireNonNull(rightsizer, "rightsizer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.history = Objects.requireNonNull(history, "history");
        this.step = Objects.requireNonNull(step, "step");
        if (step.toSeconds() < 1 || history.compareTo(step) < 0) {
            throw new IllegalArgumentException("need a step of at least a second and a history of at least a step: "
                    + history + " by " + step);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Scan scan(String tenantId, Map<String, Double> prices) {
        if (!this.tenantId.equals(tenantId)) {
            return Scan.NONE;
        }
        ContainerRightsizer priced = rightsizer.withPrices(prices);
        // the end on a step boundary, so consecutive scans ask for the same sample times
        Instant end = Instant.ofEpochSecond(clock.instant().getEpochSecond() / step.toSeconds() * step.toSeconds());
        Instant start = end.minus(history);
        List<Recommendation> recommendations = new ArrayList<>();
        Map<String, Map<String, String>> settings = new HashMap<>();
        List<String> notJudged = new ArrayList<>();
        for (KubernetesContainer container : inventory.scan().containers()) {
            try {
                ContainerUsage used = usage.read(container, start, end, step);
                var measured = new ContainerRightsizer.Usage(used.samples(), (int) Math.min(used.oomKills(), Integer.MAX_VALUE),
                        used.cpuThrottledRatio().map(r -> Math.min(r, 1.0)).orElse(0.0));
                // the running pods' requests and limits (kube-state-metrics), where the template's may differ (a
                // LimitRange's default, a VPA's admission, a request defaulted to its limit); the template's fill in
                var running = new KubernetesContainer(container.ref(), used.cpuRequest(), used.cpuLimit(),
                        used.memoryRequest(), used.memoryLimit(), container.replicas(), container.hpa());
                // Prometheus answering with no series (a relabelled job, wiped retention) is not "usage is fine now"
                Optional<String> cannotJudge = priced.whyCannotJudge(measured);
                if (cannotJudge.isPresent()) {
                    notJudged.add(container.ref().key() + ": " + cannotJudge.get());
                    continue;
                }
                priced.recommend(running, measured).ifPresent(recommendations::add);
                settings.put(container.ref().key(), ContainerRightsizer.settings(running));
            } catch (RuntimeException e) {
                // one container Prometheus cannot answer for (a timeout on a huge workload) costs only its own
                LOG.warning(() -> "no recommendation for " + container.ref().key() + " this scan: " + e.getMessage());
            }
        }
        if (!notJudged.isEmpty()) {
            LOG.info(() -> RecommendationSource.notEvaluated(name, "container(s)", notJudged));
        }
        return new Scan(recommendations, settings);
    }
}
