package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.inventory.EbsVolume;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Two EBS recommendations that need no usage history, only the volume and the price list:
 * <ul>
 * <li>An unattached volume: delete it, after a snapshot. Risk is high (the data goes with it; a detached volume
 *     may be a spare or waiting for a stopped instance), and the cost after counts a full-size snapshot, an upper
 *     bound since snapshots keep only the blocks in use.</li>
 * <li>gp2 to gp3: gp3 is cheaper per GB and its baseline (3,000 IOPS, 125 MiB/s) is bought separately, so the
 *     gp3 volume gets at least gp2's baseline: IOPS = max(3,000, 3 per GiB within 100..16,000) (which also covers
 *     gp2's burst to 3,000) and throughput = max(125, 128 MiB/s up to 170 GiB, else 250 MiB/s). Both are priced.</li>
 * </ul>
 * Volume types without a catalog price (e.g. magnetic {@code standard}) get no recommendation.
 */
public final class EbsRightsizer {

    static final int GP3_BASELINE_IOPS = 3000;
    static final int GP3_BASELINE_THROUGHPUT = 125;
    static final double MIN_SAVING = 0.05;

    private final PricingCatalog catalog;
    private final Clock clock;

    public EbsRightsizer(PricingCatalog catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The volume's type, and its IOPS and throughput where known, by setting name, as a recommendation writes them. */
    public static Map<String, String> settings(EbsVolume volume) {
        Map<String, String> settings = new HashMap<>();
        settings.put(SettingChange.EXISTENCE, "exists");
        settings.put(SettingChange.VOLUME_TYPE, volume.volumeType());
        volume.iops().ifPresent(v -> settings.put(SettingChange.IOPS, String.valueOf(v)));
        volume.throughputMibps().ifPresent(v -> settings.put(SettingChange.THROUGHPUT_MIBPS, String.valueOf(v)));
        return settings;
    }

    /**
     * Why the volume cannot be judged (its type has no price), or empty when it can: only then does an empty
     * {@link #recommend} mean that nothing should change.
     */
    public Optional<String> whyCannotJudge(EbsVolume volume) {
        return catalog.knowsVolumeType(volume.volumeType()) ? Optional.empty()
                : Optional.of("no price for volume type " + volume.volumeType());
    }

    public Optional<Recommendation> recommend(EbsVolume volume) {
        if (whyCannotJudge(volume).isPresent()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        double costNow = monthly(volume.volumeType(), volume.sizeGib(), volume.iops().orElse(0), volume.throughputMibps().orElse(0));
        Map<String, Double> stats = Findings.statistics();
        stats.put("sizeGib", (double) volume.sizeGib());
        if (volume.attachedTo().isEmpty()) {
            double snapshot = volume.sizeGib() * catalog.ebs("snapshot-gb-month");
            Findings.Risk risk = new Findings.Risk()
                    .add(0.7, "deleting destroys the data: take a snapshot first")
                    .add(0.3, "a detached volume may be a spare, or wait for an instance to come back");
            Evidence evidence = new Evidence(now, now, 0, stats,
                    List.of("unattached: snapshot it, then delete it; the cost after is a full-size snapshot, an upper bound"));
            return Optional.of(new Recommendation(volume.ref(), Recommendation.Direction.DOWN,
                    List.of(new SettingChange(SettingChange.EXISTENCE, "exists", "deleted")), evidence, costNow, snapshot,
                    catalog.currency(), risk.score(), risk.reasons(), 1.0, now));
        }
        if (!volume.volumeType().equals("gp2")) {
            return Optional.empty();
        }
        int gp2Iops = gp2BaselineIops(volume.sizeGib());
        int gp2Throughput = volume.sizeGib() <= 170 ? 128 : 250;
        int iops = Math.max(GP3_BASELINE_IOPS, gp2Iops);
        int throughput = Math.max(GP3_BASELINE_THROUGHPUT, gp2Throughput);
        double costAfter = monthly("gp3", volume.sizeGib(), iops, throughput);
        if (costAfter > (1 - MIN_SAVING) * costNow) {
            return Optional.empty();
        }
        stats.put("gp2.baselineIops", (double) gp2Iops);
        stats.put("gp2.throughputMibps", (double) gp2Throughput);
        Findings.Risk risk = new Findings.Risk()
                .add(0.1, "the change is online, but the volume performs unevenly while it is optimised, and cannot be modified again for 6 hours");
        Evidence evidence = new Evidence(now, now, 0, stats,
                List.of("gp3 provisioned at gp2's baseline or better: " + iops + " IOPS, " + throughput + " MiB/s"));
        return Optional.of(new Recommendation(volume.ref(), Recommendation.Direction.DOWN, List.of(
                new SettingChange(SettingChange.VOLUME_TYPE, "gp2", "gp3"),
                new SettingChange(SettingChange.IOPS, String.valueOf(gp2Iops), String.valueOf(iops)),
                new SettingChange(SettingChange.THROUGHPUT_MIBPS, String.valueOf(gp2Throughput), String.valueOf(throughput))),
                evidence, costNow, costAfter, catalog.currency(), risk.score(), risk.reasons(), 1.0, now));
    }

    /** gp2: 3 IOPS per GiB, at least 100, at most 16,000. */
    static int gp2BaselineIops(int sizeGib) {
        return Math.max(100, Math.min(16_000, 3 * sizeGib));
    }

    /** The monthly price of a volume; provisioned IOPS and throughput count where the type charges for them. */
    double monthly(String type, int sizeGib, int iops, int throughputMibps) {
        double storage = sizeGib * catalog.ebs(type + "-gb-month");
        return switch (type) {
            case "gp3" -> storage + Math.max(0, iops - GP3_BASELINE_IOPS) * catalog.ebs("gp3-iops-month")
                    + Math.max(0, throughputMibps - GP3_BASELINE_THROUGHPUT) * catalog.ebs("gp3-throughput-month");
            case "io1", "io2" -> storage + iops * catalog.ebs(type + "-iops-month");  // io2's volume tiers above 32,000 IOPS not modelled
            default -> storage;
        };
    }
}
