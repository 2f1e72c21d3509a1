package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import io.onloop.domain.rightsizing.inventory.CloudInventory;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import io.onloop.domain.rightsizing.usage.CloudUsage;
import io.onloop.domain.rightsizing.usage.FunctionUsage;
import io.onloop.domain.rightsizing.usage.InstanceUsage;
import io.onloop.domain.rightsizing.usage.UsagePoint;
import io.onloop.domain.rightsizing.usage.UsageWindow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One AWS account's recommendations: its EC2 instances, Lambda functions and EBS volumes (from the
 * {@link CloudInventory}), their usage over the last {@code history} (from {@link CloudUsage}), through
 * the EC2, Lambda and EBS rightsizers. The account belongs to one tenant; other tenants get nothing.
 */
public final class AwsRecommendations implements RecommendationSource {
    private static final Logger LOG = Logger.getLogger(AwsRecommendations.class.getName());

    private final String name;
    private final String tenantId;
    private final CloudInventory inventory;
    private final CloudUsage usage;
    private final PricingCatalog catalog;
    private final Clock clock;
    private final Duration history;
    private final Duration period;

    public AwsRecommendations(String name, String tenantId, CloudInventory inventory, CloudUsage usage,
                              PricingCatalog catalog, Clock clock, Duration history, Duration period) {
        this.name = Objects.requireNonNull(name);
        this.tenantId = Objects.requireNonNull(tenantId);
        this.inventory = Objects.requireNonNull(inventory);
        this.usage = Objects.requireNonNull(usage);
        this.catalog = Objects.requireNonNull(catalog);
        this.clock = clock;
        this.history = history;
        this.period = period;
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
        PricingCatalog priced = catalog.withPrices(prices);
        var ec2 = new Ec2Rightsizer(priced, clock);
        var lambda = new LambdaRightsizer(priced, clock);
        var ebs = new EbsRightsizer(priced, clock);
        Instant now = clock.instant();
        UsageWindow window = new UsageWindow(now.minus(history), now, period);
        List<Recommendation> out = new ArrayList<>();
        // the settings of what was looked at with its usage in hand; a section that fails, or a function without
        // memory figures, is not, and keeps its open recommendations
        Map<String, Map<String, String>> settings = new HashMap<>();
        // no usage figures, or no price: nothing is known, so the resource is not evaluated (an empty answer from
        // CloudWatch is no more "nothing to change" than a refused one)
        List<String> notJudged = new ArrayList<>();
        // each kind on its own: CloudWatch refusing Lambda metrics must not cost the volumes
        section("EC2 instances", () -> {
            var instances = inventory.instances();
            if (!instances.isEmpty()) {
                List<InstanceUsage> used = usage.instances(instances, window);
                for (int i = 0; i < instances.size(); i++) {
                    Ec2Instance instance = instances.get(i);
                    try {
                        var measured = ec2Usage(used.get(i));
                        Optional<String> cannotJudge = ec2.whyCannotJudge(instance, measured);
                        if (cannotJudge.isPresent()) {
                            notJudged.add(instance.ref().key() + ": " + cannotJudge.get());
                            continue;
                        }
                        ec2.recommend(instance, measured).ifPresent(out::add);
                        settings.put(instance.ref().key(), Ec2Rightsizer.settings(instance));
                    } catch (RuntimeException e) {
                        // one instance's figures the rightsizer cannot take cost only its own recommendation
                        LOG.warning(() -> name + ": no recommendation for " + instance.ref().key() + " this scan: " + e.getMessage());
                    }
                }
            }
        });
        section("Lambda functions", () -> {
            var functions = inventory.functions();
            if (!functions.isEmpty()) {
                List<FunctionUsage> used = usage.functions(functions, window);
                for (int i = 0; i < functions.size(); i++) {
                    LambdaFunction function = functions.get(i);
                    var samples = lambdaSamples(function, used.get(i));
                    Optional<String> cannotJudge = samples.flatMap(lambda::whyCannotJudge);
                    if (cannotJudge.isPresent()) {
                        notJudged.add(function.ref().key() + ": " + cannotJudge.get());
                        continue;
                    }
                    samples.flatMap(s -> lambda.recommend(function, s)).ifPresent(out::add);
                    if (samples.isPresent()) {
                        settings.put(function.ref().key(), LambdaRightsizer.settings(function));
                    }
                }
            }
        });
        section("EBS volumes", () -> inventory.volumes().forEach(v -> {
            Optional<String> cannotJudge = ebs.whyCannotJudge(v);
            if (cannotJudge.isPresent()) {
                notJudged.add(v.ref().key() + ": " + cannotJudge.get());
                return;
            }
            ebs.recommend(v).ifPresent(out::add);
            settings.put(v.ref().key(), EbsRightsizer.settings(v));
        }));
        if (!notJudged.isEmpty()) {
            LOG.info(() -> RecommendationSource.notEvaluated(name, "resource(s)", notJudged));
        }
        return new Scan(out, settings);
    }

    private void section(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warning(() -> name + ": no recommendations for " + what + " this scan: " + e.getMessage());
        }
    }

    /**
     * CPU always; memory only when the CloudWatch agent reports it (otherwise the rightsizer keeps memory). Negative,
     * NaN or infinite points are left out, as the Kubernetes usage leaves them out.
     */
    static Ec2Rightsizer.Usage ec2Usage(InstanceUsage used) {
        Optional<UsageHistory> withMemory = used.history();
        if (withMemory.isPresent()) {
            return new Ec2Rightsizer.Usage(withMemory.get().samples(), true);
        }
        List<UsageSample> cpuOnly = new ArrayList<>();
        for (UsagePoint p : used.cpuCores()) {
            if (!UsagePoint.usable(p.value())) {
                continue; // a bad datapoint is a gap, not a reason to give up on the instance
            }
            cpuOnly.add(new UsageSample(p.epochSecond(), p.value(), 0));
        }
        return new Ec2Rightsizer.Usage(cpuOnly, false);
    }

    /**
     * Periods with invocations, their average duration and the memory they used. Without Lambda Insights
     * there is no memory figure, and memory is not recommended blind: empty, with the reason logged.
     */
    static Optional<List<LambdaRightsizer.Sample>> lambdaSamples(LambdaFunction function, FunctionUsage used) {
        if (used.memoryAbsent().isPresent()) {
            LOG.fine(() -> "no Lambda memory recommendation for " + function.ref().name() + ": " + used.memoryAbsent().get());
            return Optional.empty();
        }
        List<LambdaRightsizer.Sample> samples = new ArrayList<>();
        for (FunctionUsage.Period p : used.periods()) {
            Optional<Double> duration = p.averageDurationMs().filter(UsagePoint::usable);
            Optional<Double> memory = p.maxMemoryUsedMb().filter(UsagePoint::usable);
            if (p.invocations() > 0 && duration.isPresent() && memory.isPresent()) {
                samples.add(new LambdaRightsizer.Sample(p.epochSecond(), used.memoryMb(), Math.round(p.invocations()),
                        duration.get(), p.maxDurationMs().filter(UsagePoint::usable).orElse(duration.get()), memory.get()));
            }
        }
        return Optional.of(samples);
    }
}
