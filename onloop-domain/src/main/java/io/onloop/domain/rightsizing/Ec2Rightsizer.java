package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.PricingCatalog.InstanceType;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import static io.onloop.domain.rightsizing.Findings.DAY;
import static io.onloop.domain.rightsizing.Findings.GIB;

/**
 * Recommends a cheaper (or, for a saturated instance, a bigger) instance type from the catalog for a Linux EC2
 * instance, from its CPU usage (CloudWatch CPUUtilization × vCPUs, in cores) and its memory when an agent
 * reports it.
 * <ul>
 * <li>A type fits when p95 CPU is at most {@link #CPU_HEADROOM} of its vCPUs and the peak at most all of them;
 *     and its memory is at least 1.2 × the peak memory used, or, when memory is not measured, at least the
 *     current type's (what cannot be seen is not cut).</li>
 * <li>Burstable types (t3, t4g) are only proposed for a burstable instance, within its own family: their vCPUs
 *     run on credits, which a CPU percentile cannot judge.</li>
 * <li>Preference: the cheapest fitting type of the same family; another family of the same architecture only if
 *     it saves a further {@link #SWITCH_SAVING} of the current price; the other architecture (Graviton, arm64, from
 *     x86) only on the same condition over both, and with more risk: the software must be built for arm64.</li>
 * </ul>
 * Prices are Linux on-demand ({@code PlatformDetails} {@value #LINUX_UNIX}); other platforms (Windows, RHEL, SUSE,
 * Ubuntu Pro, Linux with SQL Server) get no recommendation.
 */
public final class Ec2Rightsizer {

    static final double CPU_HEADROOM = 0.70;
    static final double MEMORY_HEADROOM = 1.2;
    static final double SWITCH_SAVING = 0.10;
    static final double MIN_SAVING = 0.10;
    static final long MIN_HISTORY_SECONDS = DAY;
    /** EC2's {@code PlatformDetails} of plain Linux, the platform the catalog's prices are for. */
    static final String LINUX_UNIX = "Linux/UNIX";

    /**
     * What CloudWatch (and an agent, for memory) measured.
     *
     * @param samples        CPU in cores used, memory in bytes used (0 when not measured)
     * @param memoryMeasured whether the memory figures are real
     */
    public record Usage(List<UsageSample> samples, boolean memoryMeasured) {
        public Usage {
            samples = List.copyOf(samples);
        }
    }

    private final PricingCatalog catalog;
    private final Clock clock;

    public Ec2Rightsizer(PricingCatalog catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Whether the catalog's prices are the instance's: only plain Linux ({@code PlatformDetails} {@value #LINUX_UNIX};
     * blank, not said, counts as that). RHEL, SUSE, Ubuntu Pro and "Linux with SQL Server ..." have licence-included
     * prices far above it (and SQL Server does not run on arm64), Windows too.
     */
    private static boolean pricedPlatform(Ec2Instance instance) {
        return instance.platform() == null || instance.platform().isBlank()
                || instance.platform().strip().equalsIgnoreCase(LINUX_UNIX);
    }

    /** The instance's type, by setting name, as a recommendation writes it. */
    public static Map<String, String> settings(Ec2Instance instance) {
        return Map.of(SettingChange.INSTANCE_TYPE, instance.instanceType());
    }

    /**
     * Why the instance cannot be judged from this usage (its type has no price; less than a day of CPU figures), or
     * empty when it can: only then does an empty {@link #recommend} mean that nothing should change rather than that
     * nothing is known. An instance of a platform that is not priced is judged: it never gets a recommendation.
     */
    public Optional<String> whyCannotJudge(Ec2Instance instance, Usage usage) {
        if (!pricedPlatform(instance)) {
            return Optional.empty();
        }
        if (catalog.instanceType(instance.instanceType()).isEmpty()) {
            return Optional.of("no price for instance type " + instance.instanceType());
        }
        List<UsageSample> samples = usage.samples();
        if (samples.size() < 2 || samples.getLast().epochSecond() - samples.getFirst().epochSecond() < MIN_HISTORY_SECONDS) {
            return Optional.of("less than a day of CPU figures");
        }
        return Optional.empty();
    }

    public Optional<Recommendation> recommend(Ec2Instance instance, Usage usage) {
        if (!pricedPlatform(instance) || whyCannotJudge(instance, usage).isPresent()) {
            return Optional.empty();
        }
        InstanceType current = catalog.instanceType(instance.instanceType()).orElseThrow();
        List<UsageSample> samples = usage.samples();
        int n = samples.size();
        Findings.Columns columns = Findings.Columns.of(samples);
        long[] times = columns.times();
        double[] cpu = columns.cpu();
        double[] memory = columns.memory();
        long span = times[n - 1] - times[0];
        Map<String, Double> stats = Findings.statistics();
        Findings.summarize("cpu", cpu, stats);
        if (usage.memoryMeasured()) {
            Findings.summarize("memory", memory, stats);
        }
        double p95 = stats.get("cpu.p95");
        double peak = stats.get("cpu.max");
        double memoryNeededGib = usage.memoryMeasured() ? stats.get("memory.max") * MEMORY_HEADROOM / GIB : current.memoryGib();
        Predicate<InstanceType> fits = t -> p95 <= CPU_HEADROOM * t.vcpus() && peak <= t.vcpus() && t.memoryGib() >= memoryNeededGib
                && (!t.burstable() || (current.burstable() && t.family().equals(current.family())));

        List<InstanceType> fitting = catalog.instanceTypes().stream().filter(fits).toList();  // cheapest first
        Optional<InstanceType> sameFamily = fitting.stream().filter(t -> t.family().equals(current.family())).findFirst();
        Optional<InstanceType> sameArchitecture = fitting.stream().filter(t -> t.architecture().equals(current.architecture())).findFirst();
        Optional<InstanceType> otherArchitecture = fitting.stream().filter(t -> !t.architecture().equals(current.architecture())).findFirst();
        double switchBy = SWITCH_SAVING * current.hourlyPrice();
        InstanceType choice = sameFamily.orElse(null);
        if (sameArchitecture.isPresent() && (choice == null || sameArchitecture.get().hourlyPrice() <= choice.hourlyPrice() - switchBy)) {
            choice = sameArchitecture.get();
        }
        if (otherArchitecture.isPresent() && (choice == null || otherArchitecture.get().hourlyPrice() <= choice.hourlyPrice() - switchBy)) {
            choice = otherArchitecture.get();
        }
        if (choice == null || choice.name().equals(current.name())) {
            return Optional.empty();
        }
        boolean fitsNow = fits.test(current);
        double saving = 1 - choice.hourlyPrice() / current.hourlyPrice();
        if (fitsNow && saving < MIN_SAVING) {
            return Optional.empty();  // a move down must be worth the restart; one that does not fit now moves regardless
        }

        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "p95 CPU %.2f of %d vCPUs on %s; on %s it would be %.0f%% of %d vCPUs",
                p95, current.vcpus(), current.name(), choice.name(), 100 * p95 / choice.vcpus(), choice.vcpus()));
        if (!usage.memoryMeasured()) {
            notes.add("memory not measured (no CloudWatch agent): memory kept at least at " + current.memoryGib() + " GiB");
        }
        Findings.Risk risk = new Findings.Risk();
        Findings.shortHistory(risk, span);
        risk.add(0.1, "changing the type stops and starts the instance");
        if (saving > 0) {
            risk.add(0.3 * saving, String.format(Locale.ROOT, "%.0f%% cheaper: a smaller machine", 100 * saving));
        }
        if (!choice.architecture().equals(current.architecture())) {
            risk.add(0.35, "moves to " + choice.architecture() + " (" + (choice.architecture().equals(PricingCatalog.ARM64) ? "Graviton" : "x86")
                    + "): the AMI and software must be built for it");
        } else if (!choice.family().equals(current.family())) {
            risk.add(0.1, "another instance family: different CPU and network characteristics");
        }
        if (!usage.memoryMeasured()) {
            risk.add(0.1, "memory use unknown");
        }
        if (stats.get("cpu.p99") > 3 * Math.max(stats.get("cpu.p50"), 1e-9)) {
            risk.add(0.15, "spiky CPU: p99 is more than 3 × p50");
        }
        double costNow = current.monthlyPrice();
        double costAfter = choice.monthlyPrice();
        Evidence evidence = new Evidence(Instant.ofEpochSecond(times[0]), Instant.ofEpochSecond(times[n - 1]), n, stats, notes);
        return Optional.of(new Recommendation(instance.ref(),
                costAfter > costNow ? Recommendation.Direction.UP : Recommendation.Direction.DOWN,
                List.of(new SettingChange(SettingChange.INSTANCE_TYPE, current.name(), choice.name())), evidence,
                costNow, costAfter, catalog.currency(), risk.score(), risk.reasons(), Findings.confidence(times), clock.instant()));
    }
}
