package io.onloop.domain.rightsizing;

import java.util.Arrays;

/**
 * A reference implementation of Robusta KRR's {@code simple} strategy with its defaults
 * (robusta-dev/krr, robusta_krr/strategies/simple.py and robusta_krr/core/abstract/strategies.py):
 * CPU request = the 95th percentile of CPU usage over the history, memory = the peak × (1 + 15%), over
 * a 336 h (two-week) history, and no recommendation before 100 data points and 3 h of history.
 * <p>
 * KRR's defaults moved between releases (older simple.py: p99 CPU and a 5% memory buffer); this follows
 * the release with {@code cpu_percentile = 95} and {@code memory_buffer_percentage = 15}, the constants
 * the comparison in issue 6 asks for. KRR has no minimum and, by default ({@code use_oomkill_data = False}),
 * no OOM bump. Percentiles interpolate linearly, as numpy's and Prometheus' quantiles do.
 */
public final class KrrSimpleRecommender implements Recommender {

    /** simple.py SimpleStrategySettings.cpu_percentile. */
    static final double CPU_PERCENTILE = 0.95;
    /** simple.py SimpleStrategySettings.memory_buffer_percentage. */
    static final double MEMORY_BUFFER_FRACTION = 0.15;
    /** strategies.py StrategySettings.history_duration = 24 * 7 * 2 hours. */
    static final long HISTORY_SECONDS = 24L * 7 * 2 * 3600;
    /** simple.py points_required. */
    static final int POINTS_REQUIRED = 100;
    /** simple.py history_range_enough: at least 3 hours. */
    static final long MIN_HISTORY_SECONDS = 3 * 3600;

    @Override
    public String name() {
        return "KRR simple";
    }

    @Override
    public Workload follow(Allocation current) {
        return new State(current);
    }

    /** The samples of the last two weeks, in a ring. */
    static final class State implements Workload {

        private long[] time = new long[256];
        private double[] cpu = new double[256];
        private double[] memory = new double[256];
        private int head;  // index of the oldest sample
        private int size;
        private Allocation current;

        State(Allocation current) {
            this.current = current;
        }

        @Override
        public void observe(UsageSample sample, Allocation inForce) {
            current = inForce;
            while (size > 0 && time[head] <= sample.epochSecond() - HISTORY_SECONDS) {
                head = (head + 1) % time.length;
                size--;
            }
            if (size == time.length) {
                grow();
            }
            int at = (head + size) % time.length;
            time[at] = sample.epochSecond();
            cpu[at] = sample.cpuCores();
            memory[at] = sample.memoryBytes();
            size++;
        }

        @Override
        public Allocation recommend() {
            if (size < POINTS_REQUIRED || newest() - time[head] < MIN_HISTORY_SECONDS) {
                return current;  // KRR: "Not enough data", no recommendation
            }
            double[] cpus = new double[size];
            double peakMemory = 0;
            for (int i = 0; i < size; i++) {
                int at = (head + i) % time.length;
                cpus[i] = cpu[at];
                peakMemory = Math.max(peakMemory, memory[at]);
            }
            double cpuRequest = percentile(cpus, CPU_PERCENTILE);
            double memoryRequest = peakMemory * (1 + MEMORY_BUFFER_FRACTION);
            // an Allocation must be positive; KRR would print 0 for an idle workload
            return new Allocation(Math.max(cpuRequest, 1e-6), Math.max(memoryRequest, 1.0));
        }

        private long newest() {
            return time[(head + size - 1) % time.length];
        }

        private void grow() {
            long[] t = new long[time.length * 2];
            double[] c = new double[t.length];
            double[] m = new double[t.length];
            for (int i = 0; i < size; i++) {
                int at = (head + i) % time.length;
                t[i] = time[at];
                c[i] = cpu[at];
                m[i] = memory[at];
            }
            time = t;
            cpu = c;
            memory = m;
            head = 0;
        }
    }

    /** The linearly interpolated percentile (numpy's default), {@code p} in [0, 1]. Sorts {@code values}. */
    static double percentile(double[] values, double p) {
        Arrays.sort(values);
        double rank = p * (values.length - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(low + 1, values.length - 1);
        return values[low] + (values[high] - values[low]) * (rank - low);
    }
}
