package io.onloop.domain.anomaly.watch;

import io.onloop.domain.anomaly.ExhaustionForecaster.Forecast;
import io.onloop.domain.event.EventStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WatchEventTest {
    private static final Watch DISK = Watch.exhaustion("disk-full", "disk_used_bytes", Duration.ofMinutes(1), 100,
            Duration.ofHours(4));

    private static WatchEvent firing(Forecast forecast, double observed) {
        return new WatchEvent(DISK, EventStatus.FIRING, Map.of("__name__", "disk_used_bytes", "instance", "h1"),
                Instant.parse("2026-11-25T08:00:00Z"), observed, 0, 0, 0, forecast, 100, List.of());
    }

    @Test
    void anExhaustionAtItsLimitSaysSoInsteadOfAnEtaOfNothing() {
        WatchEvent full = firing(new Forecast(Duration.ZERO, Duration.ZERO, Duration.ZERO), 100);
        assertThat(full.title()).isEqualTo("disk-full is at its limit (instance=h1)");
        assertThat(full.summary()).isEqualTo("At 100.0 of 100.0: the limit is reached.");
    }

    @Test
    void anExhaustionAheadOfItsLimitSaysWhenWithItsBand() {
        WatchEvent heading = firing(new Forecast(Duration.ofHours(2), Duration.ofMinutes(90), Duration.ofHours(3)), 60);
        assertThat(heading.title()).isEqualTo("disk-full reaches its limit in about 2.0h (instance=h1)");
        assertThat(heading.summary()).startsWith("At 60.00 of 100.0: the limit is expected in 2.0h (between 90m and 3.0h)");
    }
}
