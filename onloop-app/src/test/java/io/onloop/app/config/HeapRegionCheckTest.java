package io.onloop.app.config;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class HeapRegionCheckTest {

    @Test
    void readsThisJvmsRegionSizeWhenItRunsG1() {
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1"));
        if (g1) {
            long bytes = HeapRegionCheck.g1RegionBytes().orElseThrow();
            assertThat(bytes).isBetween(1L << 20, 512L << 20);
            assertThat(Long.bitCount(bytes)).isOne(); // G1 regions are a power of two
        } else {
            assertThat(HeapRegionCheck.g1RegionBytes()).isEmpty();
        }
    }
}
