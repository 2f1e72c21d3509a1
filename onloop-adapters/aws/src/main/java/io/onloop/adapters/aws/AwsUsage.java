package io.onloop.adapters.aws;

import io.onloop.domain.metrics.MetricsUnavailableException;
import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import io.onloop.domain.rightsizing.usage.CloudUsage;
import io.onloop.domain.rightsizing.usage.FunctionUsage;
import io.onloop.domain.rightsizing.usage.InstanceUsage;
import io.onloop.domain.rightsizing.usage.UsagePoint;
import io.onloop.domain.rightsizing.usage.UsageWindow;
import io.onloop.domain.rightsizing.usage.VolumeUsage;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;

/**
 * Usage of EC2 instances, Lambda functions and EBS volumes from CloudWatch:
 * <ul>
 *   <li>EC2: {@code AWS/EC2 CPUUtilization} (Average) times the type's vCPUs (DescribeInstanceTypes) gives cores;
 *       memory only from the CloudWatch agent ({@code CWAgent mem_used_percent}, found with ListMetrics because
 *       the agent's dimensions vary with its configuration) times the type's memory.</li>
 *   <li>Lambda: {@code AWS/Lambda} Invocations, Errors, Throttles (Sum), Duration (Average and Maximum), and the
 *       peak memory from Lambda Insights ({@code LambdaInsights used_memory_max}, Maximum) when it is enabled.</li>
 *   <li>EBS: {@code AWS/EBS} VolumeReadOps, VolumeWriteOps, VolumeReadBytes, VolumeWriteBytes (Sum).</li>
 * </ul>
 * The period is widened where CloudWatch no longer keeps the asked one for the window's start (see
 * {@link CloudWatchReader#retainedPeriod}).
 */
public final class AwsUsage implements CloudUsage {

    private static final String AGENT_MEMORY_ABSENT = "memory not collected: no CWAgent mem_used_percent metric for this "
            + "instance (install the CloudWatch agent with the mem_used_percent measurement and an InstanceId dimension)";
    private static final String AGENT_MEMORY_SILENT = "memory not collected in this window: the CloudWatch agent's "
            + "mem_used_percent for this instance has no data points in it";
    private static final String INSIGHTS_MEMORY_ABSENT = "memory used not collected: no LambdaInsights used_memory_max "
            + "data for this function (enable Lambda Insights to measure it)";

    private final AwsClients aws;
    private final CloudWatchReader cloudWatch;
    private final Clock clock;
    private final Map<String, Allocation> instanceTypes = new ConcurrentHashMap<>();

    public AwsUsage(AwsClients aws, Clock clock) {
        this.aws = aws;
        this.cloudWatch = new CloudWatchReader(aws.cloudWatch);
        this.clock = clock;
    }

    @Override
    public List<InstanceUsage> instances(List<Ec2Instance> instances, UsageWindow window) {
        if (instances.isEmpty()) {
            return List.of();
        }
        Duration period = period(window);
        Map<String, Allocation> sizes = sizes(instances.stream().map(Ec2Instance::instanceType).distinct().toList());
        Map<String, Map<String, String>> agentMemory = agentMemoryDimensions();
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            String id = instances.get(i).ref().name();
            queries.add(CloudWatchReader.stat("i" + i + "_cpu", "AWS/EC2", "CPUUtilization", Map.of("InstanceId", id),
                    "Average", period));
            if (agentMemory.containsKey(id)) {
                queries.add(CloudWatchReader.stat("i" + i + "_mem", "CWAgent", "mem_used_percent", agentMemory.get(id),
                        "Average", period));
            }
        }
        var data = cloudWatch.read(queries, window.start(), window.end());
        List<InstanceUsage> usage = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            Ec2Instance instance = instances.get(i);
            Allocation size = sizes.get(instance.instanceType());
            List<UsagePoint> cpu = points(data.get("i" + i + "_cpu"), pct -> pct / 100 * size.cpuCores());
            List<UsagePoint> memory = points(data.get("i" + i + "_mem"), pct -> pct / 100 * size.memoryBytes());
            Optional<String> memoryAbsent = !agentMemory.containsKey(instance.ref().name()) ? Optional.of(AGENT_MEMORY_ABSENT)
                    : memory.isEmpty() ? Optional.of(AGENT_MEMORY_SILENT) : Optional.empty();
            usage.add(new InstanceUsage(instance.ref(), instance.instanceType(), size, cpu,
                    memoryAbsent.isPresent() ? Optional.empty() : Optional.of(memory), memoryAbsent));
        }
        return usage;
    }

    @Override
    public List<FunctionUsage> functions(List<LambdaFunction> functions, UsageWindow window) {
        Duration period = period(window);
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            Map<String, String> fn = Map.of("FunctionName", functions.get(i).ref().name());
            queries.add(CloudWatchReader.stat("f" + i + "_inv", "AWS/Lambda", "Invocations", fn, "Sum", period));
            queries.add(CloudWatchReader.stat("f" + i + "_err", "AWS/Lambda", "Errors", fn, "Sum", period));
            queries.add(CloudWatchReader.stat("f" + i + "_thr", "AWS/Lambda", "Throttles", fn, "Sum", period));
            queries.add(CloudWatchReader.stat("f" + i + "_davg", "AWS/Lambda", "Duration", fn, "Average", period));
            queries.add(CloudWatchReader.stat("f" + i + "_dmax", "AWS/Lambda", "Duration", fn, "Maximum", period));
            queries.add(CloudWatchReader.stat("f" + i + "_mem", "LambdaInsights", "used_memory_max",
                    Map.of("function_name", functions.get(i).ref().name()), "Maximum", period));
        }
        var data = cloudWatch.read(queries, window.start(), window.end());
        List<FunctionUsage> usage = new ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            String f = "f" + i + "_";
            Map<String, TreeMap<Instant, Double>> series = new LinkedHashMap<>();
            for (String metric : List.of("inv", "err", "thr", "davg", "dmax", "mem")) {
                series.put(metric, data.getOrDefault(f + metric, new TreeMap<>()));
            }
            List<FunctionUsage.Period> periods = new ArrayList<>();
            for (Instant at : times(series.values())) {
                periods.add(new FunctionUsage.Period(at.getEpochSecond(),
                        series.get("inv").getOrDefault(at, 0.0), series.get("err").getOrDefault(at, 0.0),
                        series.get("thr").getOrDefault(at, 0.0), Optional.ofNullable(series.get("davg").get(at)),
                        Optional.ofNullable(series.get("dmax").get(at)), Optional.ofNullable(series.get("mem").get(at))));
            }
            boolean memory = !series.get("mem").isEmpty();
            usage.add(new FunctionUsage(functions.get(i).ref(), functions.get(i).memoryMb(), periods,
                    memory ? Optional.empty() : Optional.of(INSIGHTS_MEMORY_ABSENT)));
        }
        return usage;
    }

    @Override
    public List<VolumeUsage> volumes(List<EbsVolume> volumes, UsageWindow window) {
        Duration period = period(window);
        List<String> metrics = List.of("VolumeReadOps", "VolumeWriteOps", "VolumeReadBytes", "VolumeWriteBytes");
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < volumes.size(); i++) {
            for (int m = 0; m < metrics.size(); m++) {
                queries.add(CloudWatchReader.stat("v" + i + "_" + m, "AWS/EBS", metrics.get(m),
                        Map.of("VolumeId", volumes.get(i).ref().name()), "Sum", period));
            }
        }
        var data = cloudWatch.read(queries, window.start(), window.end());
        List<VolumeUsage> usage = new ArrayList<>();
        for (int i = 0; i < volumes.size(); i++) {
            List<TreeMap<Instant, Double>> series = new ArrayList<>();
            for (int m = 0; m < metrics.size(); m++) {
                series.add(data.getOrDefault("v" + i + "_" + m, new TreeMap<>()));
            }
            List<VolumeUsage.Period> periods = new ArrayList<>();
            for (Instant at : times(series)) {
                periods.add(new VolumeUsage.Period(at.getEpochSecond(), series.get(0).getOrDefault(at, 0.0),
                        series.get(1).getOrDefault(at, 0.0), series.get(2).getOrDefault(at, 0.0),
                        series.get(3).getOrDefault(at, 0.0)));
            }
            usage.add(new VolumeUsage(volumes.get(i).ref(), period.toSeconds(), periods));
        }
        return usage;
    }

    private Duration period(UsageWindow window) {
        return CloudWatchReader.retainedPeriod(window.period(), window.start(), clock.instant());
    }

    /** vCPUs and memory per instance type, from DescribeInstanceTypes (100 types a call), remembered. */
    private Map<String, Allocation> sizes(List<String> types) {
        List<String> unknown = types.stream().filter(t -> !instanceTypes.containsKey(t)).toList();
        for (int from = 0; from < unknown.size(); from += 100) {
            List<String> batch = unknown.subList(from, Math.min(unknown.size(), from + 100));
            CloudWatchReader.call("ec2:DescribeInstanceTypes", () -> {
                aws.ec2.describeInstanceTypesPaginator(r -> r.instanceTypesWithStrings(batch)).instanceTypes()
                        .forEach(t -> instanceTypes.put(t.instanceTypeAsString(), new Allocation(
                                t.vCpuInfo().defaultVCpus(), t.memoryInfo().sizeInMiB() * 1024.0 * 1024)));
                return null;
            });
        }
        Map<String, Allocation> sizes = new HashMap<>();
        for (String type : types) {
            Allocation size = instanceTypes.get(type);
            if (size == null) {
                throw new MetricsUnavailableException("EC2 DescribeInstanceTypes did not describe " + type
                        + ", so its vCPUs and memory are unknown");
            }
            sizes.put(type, size);
        }
        return sizes;
    }

    /**
     * The dimensions of each instance's agent memory metric. The agent adds the dimensions its configuration
     * asks for (often ImageId, InstanceType, AutoScalingGroupName with InstanceId); the one with the fewest wins.
     */
    private Map<String, Map<String, String>> agentMemoryDimensions() {
        Map<String, Map<String, String>> byInstance = new HashMap<>();
        for (Metric metric : cloudWatch.list("CWAgent", "mem_used_percent", "InstanceId")) {
            Map<String, String> dims = new LinkedHashMap<>();
            metric.dimensions().forEach(d -> dims.put(d.name(), d.value()));
            String instance = dims.get("InstanceId");
            if (instance != null && (!byInstance.containsKey(instance) || byInstance.get(instance).size() > dims.size())) {
                byInstance.put(instance, dims);
            }
        }
        return byInstance;
    }

    private static List<UsagePoint> points(TreeMap<Instant, Double> series, DoubleUnaryOperator convert) {
        if (series == null) {
            return List.of();
        }
        return series.entrySet().stream()
                .map(e -> new UsagePoint(e.getKey().getEpochSecond(), convert.applyAsDouble(e.getValue()))).toList();
    }

    private static TreeSet<Instant> times(Iterable<TreeMap<Instant, Double>> series) {
        TreeSet<Instant> times = new TreeSet<>();
        series.forEach(s -> times.addAll(s.keySet()));
        return times;
    }
}
