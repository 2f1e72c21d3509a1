package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer.Hpa;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.onloop.domain.rightsizing.Findings.DAY;
import static io.onloop.domain.rightsizing.Findings.MIB;

/**
 * Recommends requests and limits for one container of a Deployment, StatefulSet or DaemonSet from the usage
 * of one of its pods (the inventory gives the busiest pod's), its OOM kills and its CPU throttling.
 * <ul>
 * <li>The target is {@link OnloopRecommender}'s; an OOM kill raises memory to at least VPA's bump
 *     max(used + 100 MiB, used × 1.2), used = max(limit, peak); throttling in at least
 *     {@link #STARVED_THROTTLING} of the periods (kube-prometheus' CPUThrottlingHigh threshold) raises CPU to at least
 *     1.2 × the observed peak, which the throttling has censored.</li>
 * <li>Limits: a CPU limit is kept in proportion to the request (removing it would change the pod's QoS class
 *     and may break a namespace's LimitRange: that is a policy choice, not a sizing one); a memory limit equal
 *     to the request stays equal (Guaranteed pods stay Guaranteed), any other becomes
 *     max(request, 1.2 × peak), so the limit never sits below what the container was seen to use. Limits that
 *     are not set are not added.</li>
 * <li>An HPA scaling on CPU at target utilisation u keeps usage / request near u by changing the replica count,
 *     so a smaller request buys more pods, not less CPU. The request therefore stays at least p90(per-pod usage) / u
 *     (at the p90 load the HPA wants no more pods than now) and at least peak × replicas / (maxReplicas × u)
 *     (the peak load still fits within maxReplicas); the same for memory when it scales on memory. With these
 *     floors the replica count is taken as unchanged for the cost.</li>
 * <li>Nothing is recommended when no request moves by more than 10% (the VPA updater's threshold), or with less
 *     than a day of history unless the container is starved (OOM kills or throttling).</li>
 * </ul>
 */
public final class ContainerRightsizer {

    /** kube-prometheus CPUThrottlingHigh fires above 25% of periods throttled. */
    public static final double STARVED_THROTTLING = 0.25;
    static final double CHANGE_THRESHOLD = 0.10;
    static final long MIN_HISTORY_SECONDS = DAY;
    static final double PEAK_LIMIT_RATIO = 1.2;

    /**
     * What the cluster measured for the container.
     *
     * @param perPod             usage of one pod in time order (cores, bytes)
     * @param oomKills           OOM kills of this container in the same span
     * @param cpuThrottledRatio  throttled CFS periods over all periods in the span, 0 to 1
     */
    public record Usage(List<UsageSample> perPod, int oomKills, double cpuThrottledRatio) {
        public Usage {
            perPod = List.copyOf(perPod);
            if (oomKills < 0 || !(cpuThrottledRatio >= 0 && cpuThrottledRatio <= 1)) {
                throw new IllegalArgumentException("oomKills >= 0 and a throttled ratio in [0, 1]: " + oomKills + ", " + cpuThrottledRatio);
            }
        }
    }

    private final PricingCatalog catalog;
    private final Clock clock;

    public ContainerRightsizer(PricingCatalog catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog);
        this.clock = Objects.requireNonNull(clock);
    }

    /** This rightsizer with some prices of its catalog replaced ({@link PricingCatalog#withPrices}). */
    public ContainerRightsizer withPrices(Map<String, Double> prices) {
        return prices.isEmpty() ? this : new ContainerRightsizer(catalog.withPrices(prices), clock);
    }

    /**
     * Why this usage is too little to judge the container by, or empty when it is enough: only then does an empty
     * {@link #recommend} mean that nothing should change rather than that nothing is known.
     */
    public Optional<String> whyCannotJudge(Usage usage) {
        List<UsageSample> samples = usage.perPod();
        if (samples.isEmpty()) {
            return Optional.of("no usage in the period (a step needs both CPU and memory)");
        }
        boolean starved = usage.oomKills() > 0 || usage.cpuThrottledRatio() >= STARVED_THROTTLING;
        if (samples.getLast().epochSecond() - samples.getFirst().epochSecond() < MIN_HISTORY_SECONDS && !starved) {
            return Optional.of("less than a day of usage, and no OOM kills or throttling");
        }
        return Optional.empty();
    }

    public Optional<Recommendation> recommend(KubernetesContainer container, Usage usage) {
        if (whyCannotJudge(usage).isPresent()) {
            return Optional.empty();
        }
        List<UsageSample> samples = usage.perPod();
        int n = samples.size();
        Findings.Columns columns = Findings.Columns.of(samples);
        long[] times = columns.times();
        double[] cpu = columns.cpu();
        double[] memory = columns.memory();
        Map<String, Double> stats = Findings.statistics();
        Findings.summarize("cpu", cpu, stats);
        Findings.summarize("memory", memory, stats);
        stats.put("cpu.throttledRatio", usage.cpuThrottledRatio());
        stats.put("memory.oomKills", (double) usage.oomKills());
        stats.put("replicas", (double) container.replicas());
        long span = times[n - 1] - times[0];
        boolean oomed = usage.oomKills() > 0;
        boolean throttled = usage.cpuThrottledRatio() >= STARVED_THROTTLING;

        // what is configured now; an unset request counts as the limit, or else as the peak, for the recommender's start;
        // a request of 0 is as good as unset (and would make every ratio to it infinite)
        double cpuNow = container.cpuRequest().filter(v -> v > 0).or(container::cpuLimit).filter(v -> v > 0)
                .orElse(Math.max(stats.get("cpu.max"), 0.001));
        double memoryNow = container.memoryRequest().filter(v -> v > 0).or(container::memoryLimit).filter(v -> v > 0)
                .orElse(Math.max(stats.get("memory.max"), MIB));
        List<String> notes = new ArrayList<>();
        double cpuNew = cpuNow;
        double memoryNew = memoryNow;
        if (span >= MIN_HISTORY_SECONDS) {
            // usage above a request is no OOM in Kubernetes: the recommender is told an allocation above the peak, and
            // real OOM kills come from the kill count below
            Allocation inForce = new Allocation(cpuNow, Math.max(memoryNow, stats.get("memory.max") * 1.01));
            Allocation target = new OnloopRecommender().recommend(new UsageHistory(samples, inForce));
            cpuNew = target.cpuCores();
            memoryNew = target.memoryBytes();
        }
        double oomBump = 0;
        if (oomed) {
            double used = Math.max(container.memoryLimit().orElse(memoryNow), stats.get("memory.max"));
            oomBump = Math.max(used + VpaRecommender.OOM_MIN_BUMP_UP_BYTES, used * VpaRecommender.OOM_BUMP_UP_RATIO);
            memoryNew = Math.max(memoryNew, oomBump);
            notes.add(usage.oomKills() + " OOM kill(s): memory raised to at least max(used + 100 MiB, used × 1.2), as VPA does");
        }
        if (throttled) {
            cpuNew = Math.max(cpuNew, stats.get("cpu.max") * PEAK_LIMIT_RATIO);
            notes.add(String.format(Locale.ROOT, "throttled in %.0f%% of CPU periods: CPU raised to at least 1.2 × the observed peak",
                    100 * usage.cpuThrottledRatio()));
        }
        Optional<Hpa> hpa = container.hpa();
        if (hpa.isPresent()) {
            Hpa h = hpa.get();
            if (h.cpuTargetUtilization().isPresent()) {
                cpuNew = Math.max(cpuNew, hpaFloor(h.cpuTargetUtilization().get(), stats.get("cpu.p90"), stats.get("cpu.max"),
                        container.replicas(), h.maxReplicas()));
                notes.add(String.format(Locale.ROOT, "scaled by HPA %s on CPU at %d%%: the CPU request stays at least "
                        + "p90 / target and peak × replicas / (maxReplicas × target), so the replica count does not grow",
                        h.name(), h.cpuTargetUtilization().get()));
            }
            if (h.memoryTargetUtilization().isPresent()) {
                memoryNew = Math.max(memoryNew, hpaFloor(h.memoryTargetUtilization().get(), stats.get("memory.p90"),
                        stats.get("memory.max"), container.replicas(), h.maxReplicas()));
                notes.add(String.format(Locale.ROOT, "scaled by HPA %s on memory at %d%%: the memory request stays at least p90 / target",
                        h.name(), h.memoryTargetUtilization().get()));
            }
        }
        cpuNew = Math.ceil(cpuNew * 1000 - 1e-9) / 1000;       // whole millicores
        memoryNew = Math.ceil(memoryNew / MIB - 1e-9) * MIB;     // whole MiB

        boolean cpuMoves = container.cpuRequest().filter(v -> v > 0).isEmpty() || moves(cpuNow, cpuNew);
        boolean memoryMoves = container.memoryRequest().filter(v -> v > 0).isEmpty() || moves(memoryNow, memoryNew);
        if (!cpuMoves && !memoryMoves) {
            return Optional.empty();
        }
        if (!cpuMoves) {
            cpuNew = cpuNow;
        }
        if (!memoryMoves) {
            memoryNew = memoryNow;
        }

        // the current values as settings() gives them: what a later scan compares an approval with
        Map<String, String> current = settings(container);
        List<SettingChange> changes = new ArrayList<>();
        if (cpuMoves) {
            changes.add(new SettingChange(SettingChange.CPU_REQUEST, current.get(SettingChange.CPU_REQUEST), cpu(cpuNew)));
            if (container.cpuLimit().isPresent()) {
                double limit = container.cpuLimit().get();
                double newLimit = Math.ceil(Math.max(cpuNew, limit * cpuNew / cpuNow) * 1000 - 1e-9) / 1000;
                changes.add(new SettingChange(SettingChange.CPU_LIMIT, current.get(SettingChange.CPU_LIMIT), cpu(newLimit)));
            }
        }
        if (memoryMoves) {
            changes.add(new SettingChange(SettingChange.MEMORY_REQUEST, current.get(SettingChange.MEMORY_REQUEST), memory(memoryNew)));
            if (container.memoryLimit().isPresent()) {
                double limit = container.memoryLimit().get();
                // an unset request is the limit (the API server sets it so): that container is guaranteed too
                boolean guaranteed = container.memoryRequest().orElse(limit).equals(limit);
                double newLimit = guaranteed ? memoryNew
                        : Math.max(Math.max(memoryNew, Math.ceil(stats.get("memory.max") * PEAK_LIMIT_RATIO / MIB) * MIB), oomBump);
                newLimit = Math.ceil(newLimit / MIB - 1e-9) * MIB;
                if (newLimit != limit) {
                    changes.add(new SettingChange(SettingChange.MEMORY_LIMIT, current.get(SettingChange.MEMORY_LIMIT), memory(newLimit)));
                }
            }
        }

        // a Deployment or StatefulSet scaled to zero costs nothing now, whatever its requests: its figures count no
        // pods (a DaemonSet's 0 is a status not yet reported, not a choice: counted as one pod)
        boolean scaledToZero = container.replicas() == 0 && !container.ref().kind().equals("DaemonSet");
        int replicas = scaledToZero ? 0 : Math.max(1, container.replicas());
        // what the scheduler reserves now: the request, or else the limit (the API server sets an unset request to the
        // limit), or else nothing (BestEffort)
        double cpuReserved = container.cpuRequest().or(container::cpuLimit).orElse(0.0);
        double memoryReserved = container.memoryRequest().or(container::memoryLimit).orElse(0.0);
        double perPodNow = catalog.containerMonthly(cpuReserved, memoryReserved);
        double perPodAfter = catalog.containerMonthly(cpuNew, memoryNew);
        double costNow = replicas * perPodNow;
        double costAfter = replicas * perPodAfter;
        if (scaledToZero) {
            notes.add(String.format(Locale.ROOT, "scaled to zero now: the monthly figures count no pods; each pod that "
                    + "runs again costs %.2f %s a month %s", Math.abs(perPodNow - perPodAfter), catalog.currency(),
                    perPodAfter <= perPodNow ? "less" : "more"));
        }
        // UP when the workload gets more of anything reserved: it was starved (or reserved nothing), whatever the money says
        Recommendation.Direction direction = (cpuMoves && cpuNew > cpuReserved) || (memoryMoves && memoryNew > memoryReserved)
                ? Recommendation.Direction.UP : Recommendation.Direction.DOWN;

        Findings.Risk risk = new Findings.Risk();
        Findings.shortHistory(risk, span);
        double cut = Math.max(cpuMoves ? 1 - cpuNew / cpuNow : 0, memoryMoves ? 1 - memoryNew / memoryNow : 0);
        if (cut > 0) {
            risk.add(0.4 * cut, String.format(Locale.ROOT, "cuts a request by %.0f%%", 100 * cut));
        }
        if (cpuMoves && cpuNew < cpuNow && stats.get("cpu.p99") > 3 * stats.get("cpu.p50")) {
            risk.add(0.15, "spiky CPU: p99 is more than 3 × p50");
        }
        if (memoryMoves && memoryNew < memoryNow && stats.get("memory.p99") > 1.5 * stats.get("memory.p50")) {
            risk.add(0.2, "spiky memory: p99 is more than 1.5 × p50");
        }
        if (oomed) {
            risk.add(0.2, "OOM kills in the history: memory demand above the limit is unknown");
        }
        if (throttled) {
            risk.add(0.1, "CPU throttling censors the usage: true CPU demand is unknown");
        }
        switch (container.ref().kind()) {
            case "StatefulSet" -> risk.add(0.15, "a StatefulSet: pods restart one by one and often hold state");
            case "DaemonSet" -> risk.add(0.1, "a DaemonSet: the change reaches every node");
            default -> { }
        }
        if (hpa.isPresent()) {
            risk.add(0.1, "scaled by an HPA: requests also change its utilisation and so the replica count");
        }
        Evidence evidence = new Evidence(Instant.ofEpochSecond(times[0]), Instant.ofEpochSecond(times[n - 1]), n, stats, notes);
        return Optional.of(new Recommendation(container.ref(), direction, changes, evidence, costNow, costAfter,
                catalog.currency(), risk.score(), risk.reasons(), Findings.confidence(times), clock.instant()));
    }

    /** The container's requests and limits as a recommendation writes them, {@code ""} when unset, by setting name. */
    public static Map<String, String> settings(KubernetesContainer container) {
        return Map.of(SettingChange.CPU_REQUEST, container.cpuRequest().map(ContainerRightsizer::cpu).orElse(""),
                SettingChange.CPU_LIMIT, container.cpuLimit().map(ContainerRightsizer::cpu).orElse(""),
                SettingChange.MEMORY_REQUEST, container.memoryRequest().map(ContainerRightsizer::memory).orElse(""),
                SettingChange.MEMORY_LIMIT, container.memoryLimit().map(ContainerRightsizer::memory).orElse(""));
    }

    /** The smallest request that keeps an HPA on this resource from scaling out because of the change. */
    static double hpaFloor(int targetPercent, double p90, double peak, int replicas, int maxReplicas) {
        double target = targetPercent / 100.0;
        return Math.max(p90 / target, peak * Math.max(1, replicas) / (Math.max(1, maxReplicas) * target));
    }

    private static boolean moves(double now, double next) {
        return Math.abs(next - now) > CHANGE_THRESHOLD * now;
    }

    /** Kubernetes CPU quantity in millicores, e.g. {@code 250m}. */
    static String cpu(double cores) {
        return Math.round(cores * 1000) + "m";
    }

    /** Kubernetes memory quantity in MiB, e.g. {@code 512Mi}. */
    static String memory(double bytes) {
        return Math.round(Math.ceil(bytes / MIB - 1e-9)) + "Mi";
    }
}
