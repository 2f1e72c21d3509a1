package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.LambdaRightsizer.Sample;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static io.onloop.domain.rightsizing.Load.DAY;
import static io.onloop.domain.rightsizing.Load.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LambdaRightsizerTest {

    private final PricingCatalog catalog = PricingCatalog.defaults();
    private final LambdaRightsizer rightsizer = new LambdaRightsizer(catalog, Clock.systemUTC());

    private static LambdaFunction function(int memoryMb, String architecture, int timeoutSeconds) {
        return new LambdaFunction(new WorkloadRef("aws", "prod/us-east-1", "", "LambdaFunction", "resize-images", ""),
                memoryMb, architecture, timeoutSeconds);
    }

    /** Hourly samples over {@code days}: the first half at {@code firstMb}, the rest at {@code thenMb}; duration by memory. */
    private static List<Sample> history(int days, int firstMb, int thenMb, IntToDoubleFunction durationMs, double usedMb) {
        List<Sample> samples = new ArrayList<>();
        long hours = days * DAY / HOUR;
        for (long h = 0; h < hours; h++) {
            int mb = h < hours / 2 ? firstMb : thenMb;
            samples.add(new Sample(Load.START + h * HOUR, mb, 1000, durationMs.applyAsDouble(mb), usedMb));
        }
        return samples;
    }

    private static int recommendedMb(Recommendation r) {
        assertThat(r.changes().getFirst().setting()).isEqualTo(SettingChange.FUNCTION_MEMORY_MB);
        return Integer.parseInt(r.changes().getFirst().recommended());
    }

    @Test
    void anIoBoundFunctionShrinksToItsMemoryUsedPlusMargin() {
        // ran at 2048 and then 1024 MB with the same 200 ms: waiting, not computing
        List<Sample> h = history(8, 2048, 1024, mb -> 200, 100);
        Recommendation r = rightsizer.recommend(function(1024, "x86_64", 30), h).orElseThrow();
        assertThat(recommendedMb(r)).isEqualTo(192);  // max(100 × 1.2, 100 + 64) = 164, up to 64 MB steps
        assertThat(r.evidence().statistics().get("cpuBoundShare")).isCloseTo(0, within(1e-6));
        double perMonth = 8 * 24 * 1000 * 730.0 * 3600 / ((8 * 24 - 1) * 3600.0);
        assertThat(r.monthlyCostNow()).isCloseTo(perMonth * (1.0 * 0.2 * 0.0000166667 + 0.0000002), within(1e-9));
        assertThat(r.monthlyCostAfter()).isCloseTo(perMonth * (192 / 1024.0 * 0.2 * 0.0000166667 + 0.0000002), within(1e-9));
        assertThat(r.riskReasons()).noneMatch(s -> s.contains("assumed"));
    }

    @Test
    void aCpuBoundFunctionBelowOneVcpuIsLeftAlone() {
        // duration halves when memory doubles: fully CPU-bound, so less memory costs the same and runs slower
        List<Sample> h = history(8, 512, 1024, mb -> 400.0 * 1024 / mb, 100);
        assertThat(LambdaRightsizer.fitCpuBound(h, 1024).orElseThrow()).isCloseTo(1.0, within(1e-6));
        assertThat(rightsizer.recommend(function(1024, "x86_64", 30), h)).isEmpty();
    }

    @Test
    void theCpuBoundShareIsFittedFromTwoMemorySizes() {
        // 50 ms of waiting plus 100,000 / MB ms of computing
        List<Sample> h = history(4, 512, 1024, mb -> 50 + 100_000.0 / mb, 100);
        double cpuPart = 100_000.0 / 1024;
        assertThat(LambdaRightsizer.fitCpuBound(h, 1024).orElseThrow()).isCloseTo(cpuPart / (50 + cpuPart), within(1e-9));
        assertThat(LambdaRightsizer.fitCpuBound(history(4, 1024, 1024, mb -> 100, 100), 1024)).isEmpty();
        // above one vCPU a single thread gets no faster: 2048 and 4096 MB look the same
        assertThat(LambdaRightsizer.fitCpuBound(history(4, 2048, 4096, mb -> 100, 100), 4096)).isEmpty();
    }

    @Test
    void withOneMemorySizeHalfCpuBoundIsAssumedAndTheSlowdownIsBounded() {
        List<Sample> h = history(8, 1024, 1024, mb -> 300, 100);
        Recommendation r = rightsizer.recommend(function(1024, "arm64", 30), h).orElseThrow();
        int mb = recommendedMb(r);
        // d(m) / d0 = 0.5 + 0.5 × 1024 / m must stay within 1.25: m ≥ 683
        assertThat(mb).isBetween(683, 1023);
        assertThat(LambdaRightsizer.duration(300, 0.5, 1024, mb)).isLessThanOrEqualTo(1.25 * 300);
        assertThat(r.riskReasons()).anyMatch(s -> s.contains("assumed")).anyMatch(s -> s.contains("slower"));
        assertThat(r.monthlyCostAfter()).isLessThan(0.9 * r.monthlyCostNow());
    }

    @Test
    void theTimeoutLimitsTheSlowdown() {
        List<Sample> h = history(8, 1024, 1024, mb -> 2000, 100);
        // slowest period 2 s; 80% of a 3 s timeout is 2.4 s, so at most 20% slower (the 25% bound alone would allow 704 MB)
        Recommendation r = rightsizer.recommend(function(1024, "x86_64", 3), h).orElseThrow();
        assertThat(LambdaRightsizer.duration(2000, 0.5, 1024, recommendedMb(r))).isLessThanOrEqualTo(0.8 * 3000);
        assertThat(recommendedMb(r)).isEqualTo(768);
        assertThat(rightsizer.recommend(function(1024, "x86_64", 2), h)).isEmpty();  // 2 s is already above 80% of 2 s
    }

    @Test
    void theSlowestInvocationNotTheAverageIsHeldToTheTimeout() {
        // 2 s on average, but some invocations take 25 s of a 30 s timeout: any slowdown would time them out
        List<Sample> h = history(8, 1024, 1024, mb -> 2000, 100).stream()
                .map(s -> new Sample(s.epochSecond(), s.memoryMb(), s.invocations(), s.averageDurationMs(), 25_000,
                        s.maxMemoryUsedMb())).toList();
        assertThat(rightsizer.recommend(function(1024, "x86_64", 30), history(8, 1024, 1024, mb -> 2000, 100)))
                .as("judged by the average alone, it would be cut").isPresent();
        assertThat(rightsizer.recommend(function(1024, "x86_64", 30), h)).isEmpty();
    }

    @Test
    void aFunctionNearItsMemoryGoesUp() {
        List<Sample> h = history(3, 1024, 1024, mb -> 100, 950);
        Recommendation r = rightsizer.recommend(function(1024, "x86_64", 30), h).orElseThrow();
        assertThat(r.direction()).isEqualTo(Recommendation.Direction.UP);
        assertThat(recommendedMb(r)).isEqualTo(1152);  // 950 × 1.2 = 1140, up to 64 MB steps
        assertThat(r.monthlySavings()).isNegative();
    }

    @Test
    void sizesStayWithinLambdasRange() {
        assertThat(LambdaRightsizer.roundUp(10)).isEqualTo(128);
        assertThat(LambdaRightsizer.roundUp(129)).isEqualTo(192);
        assertThat(LambdaRightsizer.roundUp(20_000)).isEqualTo(10_240);
        assertThat(rightsizer.recommend(function(1024, "x86_64", 30), history(3, 1024, 1024, mb -> 100, 100).subList(0, 12))).isEmpty();
    }
}
