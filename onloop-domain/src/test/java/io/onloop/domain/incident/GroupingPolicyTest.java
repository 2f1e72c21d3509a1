package io.onloop.domain.incident;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroupingPolicyTest {

    private static GroupingPolicy by(String... labels) {
        return new GroupingPolicy(List.of(labels), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    @Test
    void noGroupByMeansNoGroupKey() {
        assertThat(GroupingPolicy.FINGERPRINT_ONLY.groupKey(Map.of("alertname", "X"))).isNull();
        assertThat(by().groupKey(Map.of())).isNull();
    }

    @Test
    void keyIsIndependentOfTheOrderOfLabelsAndOfGroupBy() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("cluster", "eu1");
        one.put("alertname", "HighLatency");
        one.put("pod", "a");
        Map<String, String> two = new LinkedHashMap<>();
        two.put("pod", "b");
        two.put("alertname", "HighLatency");
        two.put("cluster", "eu1");
        String key = by("cluster", "alertname").groupKey(one);
        assertThat(key).isEqualTo("{alertname=\"HighLatency\",cluster=\"eu1\"}");
        assertThat(by("alertname", "cluster").groupKey(two)).isEqualTo(key);
        assertThat(by("alertname", "cluster").groupKey(Map.of("alertname", "HighLatency", "cluster", "us1")))
                .isNotEqualTo(key);
    }

    @Test
    void aMissingLabelCountsAsEmpty() {
        var policy = by("alertname", "namespace");
        assertThat(policy.groupKey(Map.of("alertname", "X"))).isEqualTo("{alertname=\"X\",namespace=\"\"}")
                .isEqualTo(policy.groupKey(Map.of("alertname", "X", "namespace", "")));
    }

    @Test
    void anAlertWithNoneOfTheLabelsIsGroupedWithNoOther() {
        var policy = by("cluster", "service");
        assertThat(policy.groupKey(Map.of())).isNull();
        assertThat(policy.groupKey(Map.of("alertname", "OOMKilled", "cluster", ""))).isNull();
        assertThat(policy.groupKey(Map.of("alertname", "Backup failed", "service", "db"))).isEqualTo("{cluster=\"\",service=\"db\"}");
    }

    @Test
    void valuesAreQuotedSoNoValueCanImitateAnotherLabel() {
        var policy = by("a", "b");
        String twoLabels = policy.groupKey(Map.of("a", "x", "b", "y"));
        String forged = policy.groupKey(Map.of("a", "x\",b=\"y"));
        String forgedEscaped = policy.groupKey(Map.of("a", "x\\\",b=\\\"y"));
        assertThat(twoLabels).isEqualTo("{a=\"x\",b=\"y\"}");
        assertThat(forged).isNotEqualTo(twoLabels);
        assertThat(forgedEscaped).isNotEqualTo(twoLabels).isNotEqualTo(forged);
        assertThat(by("a").groupKey(Map.of("a", "x,b=y"))).isEqualTo("{a=\"x,b=y\"}")
                .isNotEqualTo(by("a", "b").groupKey(Map.of("a", "x", "b", "y")));
        // a backslash at the end of a value cannot swallow the closing quote
        assertThat(policy.groupKey(Map.of("a", "x\\", "b", "y")))
                .isNotEqualTo(policy.groupKey(Map.of("a", "x\\\",b=\\\"y")));
    }

    @Test
    void groupLabelsAreThePresentGroupByLabelsSorted() {
        var policy = by("namespace", "alertname");
        assertThat(policy.groupLabels(Map.of("alertname", "X", "pod", "p1")))
                .containsExactly(Map.entry("alertname", "X"));
        assertThat(policy.groupLabels(Map.of("alertname", "X", "namespace", "ns", "pod", "p1")))
                .containsExactly(Map.entry("alertname", "X"), Map.entry("namespace", "ns"));
    }

    @Test
    void groupByIsCopied() {
        var list = new java.util.ArrayList<>(List.of("a"));
        var policy = new GroupingPolicy(list, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        list.add("b");
        assertThat(policy.groupBy()).containsExactly("a");
    }
}
