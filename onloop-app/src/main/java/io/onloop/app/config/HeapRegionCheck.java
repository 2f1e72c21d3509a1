package io.onloop.app.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.onloop.adapters.store.jdbc.JdbcStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * Says at start when the embedded store runs on G1 regions too small for it: H2 writes each chunk of its file through
 * a new buffer of 1–7 MiB, a humongous object in regions under 16 MiB, and under load those start concurrent
 * collections (README, JVM options; docs/benchmarks.md).
 */
@Component
class HeapRegionCheck implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HeapRegionCheck.class);
    private static final long ENOUGH = 16L << 20;

    private final JdbcStores stores;

    HeapRegionCheck(JdbcStores stores) {
        this.stores = stores;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (stores.h2File().isEmpty()) {
            return; // PostgreSQL, or H2 served by another process: not this JVM's writes
        }
        OptionalLong region = g1RegionBytes();
        if (region.isPresent() && region.getAsLong() < ENOUGH) {
            LOG.warn("G1 heap regions are {} MiB: the embedded store's larger write buffers are humongous objects in them,"
                    + " which costs CPU under load. Start the JVM with -XX:G1HeapRegionSize=32m (README, JVM options).",
                    region.getAsLong() >> 20);
        }
    }

    /** This JVM's G1 region size; empty when it runs another collector or is not HotSpot. */
    static OptionalLong g1RegionBytes() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null || !Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue()));
        } catch (RuntimeException e) { // a JVM without these options: nothing to advise
            return OptionalLong.empty();
        }
    }
}
