package io.onloop.domain.event;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.onloop.domain.event.EventLimits.MARKER;
import static org.assertj.core.api.Assertions.assertThat;

class EventLimitsTest {

    @Test
    void truncateKeepsValuesUpToTheLimit() {
        assertThat(EventLimits.truncate(null, 20)).isNull();
        assertThat(EventLimits.truncate("", 20)).isEmpty();
        assertThat(EventLimits.truncate("short", 20)).isEqualTo("short");
        String exactly = "x".repeat(20);
        assertThat(EventLimits.truncate(exactly, 20)).isSameAs(exactly);
    }

    @Test
    void truncateCutsLongerValuesToTheLimitEndingWithTheMarker() {
        String value = "abcdefghijklmnopqrstuvwxyz".repeat(4);
        for (int max : new int[]{MARKER.length(), MARKER.length() + 1, 21, 50, value.length() - 1}) {
            String cut = EventLimits.truncate(value, max);
            assertThat(cut).as("max %d", max).hasSize(max).endsWith(MARKER);
            assertThat(value).startsWith(cut.substring(0, cut.length() - MARKER.length()));
        }
    }

    @Test
    void truncateNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDD25"; // one code point, two chars
        int max = 20;
        int keep = max - MARKER.length();
        // the pair straddles the cut: its high surrogate would be the last kept char
        String value = "a".repeat(keep - 1) + emoji + "b".repeat(40);
        String cut = EventLimits.truncate(value, max);
        assertThat(cut).isEqualTo("a".repeat(keep - 1) + MARKER).hasSizeLessThanOrEqualTo(max);
        // the pair ends exactly at the cut: kept whole
        String whole = EventLimits.truncate("a".repeat(keep - 2) + emoji + "b".repeat(40), max);
        assertThat(whole).isEqualTo("a".repeat(keep - 2) + emoji + MARKER).hasSize(max);
        // every cut of a text made only of pairs is well-formed
        String fires = emoji.repeat(30);
        for (int m = MARKER.length(); m < fires.length(); m++) {
            String s = EventLimits.truncate(fires, m);
            assertThat(s.length()).isLessThanOrEqualTo(m);
            assertThat(s.codePoints().noneMatch(cp -> Character.isSurrogate((char) cp) && cp <= 0xFFFF))
                    .as("no lone surrogate at max %d: %s", m, s).isTrue();
        }
    }

    @Test
    void truncateNeverExceedsATinyLimit() {
        for (int max = 0; max < MARKER.length(); max++) {
            assertThat(EventLimits.truncate("x".repeat(40), max)).as("max %d", max).hasSizeLessThanOrEqualTo(max);
        }
    }

    @Test
    void boundKeepsLabelsWithinTheLimits() {
        var limits = new EventLimits(100, 100, 16, 20, 3, 1000, 100, 100);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "DiskFull");
        labels.put("a-very-long-label-name-indeed", "v");
        labels.put("description", "y".repeat(50));
        Map<String, String> out = limits.bound(labels);
        assertThat(out).hasSize(3).doesNotContainKey("onloop_truncated_labels");
        assertThat(out.get("alertname")).isEqualTo("DiskFull");
        String cutName = EventLimits.truncate("a-very-long-label-name-indeed", 16);
        assertThat(cutName).hasSize(16).endsWith(MARKER);
        assertThat(out.get(cutName)).isEqualTo("v");
        assertThat(out.get("description")).hasSize(20).endsWith(MARKER);
    }

    @Test
    void boundCapsTheLabelCountAndSaysHowManyWereDropped() {
        var limits = new EventLimits(100, 100, 64, 64, 3, 1000, 100, 100);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            labels.put("l" + i, "v" + i);
        }
        Map<String, String> out = limits.bound(labels);
        assertThat(out).containsEntry("l0", "v0").containsEntry("l1", "v1").containsEntry("l2", "v2")
                .containsEntry("onloop_truncated_labels", "7").hasSize(4);
    }

    @Test
    void overTheCountTheUsualRoutingLabelsAreKeptFirstThenTheOthersByName() {
        var limits = new EventLimits(100, 100, 64, 64, 5, 1000, 100, 100);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 9; i >= 0; i--) {
            labels.put("zz_extra_" + i, "v");
        }
        labels.put("team", "sre");
        labels.put("aa_first_by_name", "v");
        labels.put("alertname", "ManyLabels");
        Map<String, String> out = limits.bound(labels);
        assertThat(out).containsOnlyKeys("alertname", "team", "aa_first_by_name", "zz_extra_0", "zz_extra_1",
                "onloop_truncated_labels");
        assertThat(out).containsEntry("alertname", "ManyLabels").containsEntry("team", "sre")
                .containsEntry("onloop_truncated_labels", "8");
    }

    @Test
    void boundWithNullValuesAndEmptyMaps() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("empty", null);
        assertThat(EventLimits.DEFAULT.bound(labels)).containsExactly(Map.entry("empty", ""));
        assertThat(EventLimits.DEFAULT.bound(Map.of())).isEmpty();
    }

    @Test
    void defaultsAreGenerous() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < EventLimits.DEFAULT.labelCount(); i++) {
            labels.put("l" + i, "v");
        }
        assertThat(EventLimits.DEFAULT.bound(labels)).isEqualTo(labels);
        labels.put("one-more", "v");
        assertThat(EventLimits.DEFAULT.bound(labels)).containsEntry("onloop_truncated_labels", "1")
                .doesNotContainKey("one-more");
    }
}
