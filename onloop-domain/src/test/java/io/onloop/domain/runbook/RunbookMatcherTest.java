package io.onloop.domain.runbook;

import io.onloop.domain.event.Resource;
import io.onloop.domain.event.SourceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunbookMatcherTest {
    static final List<RunbookClass> KB = List.of(
            TestEvents.cls("aws-rds-cpu-high", "RDS instance CPU utilization high",
                    List.of(Map.of("namespace", "AWS/RDS", "metric_name", "CPUUtilization"),
                            Map.of("alertname", "~RDS(Instance)?HighCPU")),
                    List.of("rds", "database", "cpu", "utilization", "aurora")),
            TestEvents.cls("aws-ec2-cpu-high", "EC2 instance CPU utilization high",
                    List.of(Map.of("namespace", "AWS/EC2", "metric_name", "CPUUtilization")),
                    List.of("ec2", "instance", "cpu", "utilization")),
            TestEvents.cls("any-cpu", "CPU utilization high", List.of(Map.of("metric_name", "CPUUtilization")),
                    List.of("cpu", "utilization")),
            TestEvents.cls("k8s-crashloop", "Pod crash looping",
                    List.of(Map.of("alertname", "KubePodCrashLooping"), Map.of("reason", "BackOff")),
                    List.of("crashloopbackoff", "crash", "looping", "restarting", "container", "pod")),
            TestEvents.cls("pg-replication-lag", "PostgreSQL replication lag",
                    List.of(Map.of("alertname", "PostgresqlReplicationLag")),
                    List.of("postgresql", "replication", "lag", "replica", "standby")));
    final RunbookMatcher matcher = new RunbookMatcher(KB);

    @Test
    void theEntryWithMoreLabelsWins() {
        var m = matcher.match(TestEvents.labels(Map.of("namespace", "AWS/RDS", "metric_name", "CPUUtilization"))).orElseThrow();
        assertThat(m.runbookClass().id()).isEqualTo("aws-rds-cpu-high");
        assertThat(m.matchedBy()).isEqualTo("identifier");
        assertThat(m.why()).contains("namespace=AWS/RDS").contains("metric_name=CPUUtilization");
        var single = matcher.match(TestEvents.labels(Map.of("namespace", "AWS/Lambda", "metric_name", "CPUUtilization"))).orElseThrow();
        assertThat(single.runbookClass().id()).isEqualTo("any-cpu");
        assertThat(single.confidence()).isLessThan(m.confidence());
    }

    @Test
    void valuesMatchCaseInsensitivelyAndRegexesMatchTheWholeValue() {
        assertThat(matcher.match(TestEvents.labels(Map.of("alertname", "kubepodcrashlooping"))).orElseThrow()
                .runbookClass().id()).isEqualTo("k8s-crashloop");
        var regex = matcher.match(TestEvents.labels(Map.of("alertname", "rdsinstancehighcpu"))).orElseThrow();
        assertThat(regex.runbookClass().id()).isEqualTo("aws-rds-cpu-high");
        assertThat(regex.why()).contains("matches");
        // not a whole-value match: only the text fallback (camel-case words) still finds it
        assertThat(matcher.match(TestEvents.labels(Map.of("alertname", "RDSHighCPUWarning"))).orElseThrow().matchedBy())
                .isEqualTo("keywords");
    }

    @Test
    void caseIsIgnoredBeyondAsciiAsEqualsIgnoreCaseDoes() {
        var kb = List.of(TestEvents.cls("disk", "Disk", List.of(Map.of("check", "DISK-Größe")), List.of()),
                TestEvents.cls("greek", "Greek", List.of(Map.of("check", "ΜΕΤΡΙΚΗΣ")), List.of()));
        var m = new RunbookMatcher(kb);
        // the dotless ı upper-cases to I, and the final ς to Σ: equal ignoring case, though their lower cases differ
        for (var value : List.of("dısk-GRÖßE", "disk-größe")) {
            assertThat(m.match(TestEvents.labels(Map.of("check", value))).orElseThrow().runbookClass().id())
                    .isEqualTo("disk");
        }
        assertThat(m.match(TestEvents.labels(Map.of("check", "μετρικης"))).orElseThrow().runbookClass().id())
                .isEqualTo("greek");
        assertThat(m.match(TestEvents.labels(Map.of("check", "disk-grosse")))).isEmpty();
    }

    @Test
    void keywordsFindTheClassWhenNoIdentifierMatches() {
        var e = TestEvents.event(SourceType.GENERIC, "Replica db-2 is 45s behind primary",
                "PostgreSQL standby replication lag grows", Resource.UNKNOWN, Map.of("team", "data"));
        var m = matcher.match(e).orElseThrow();
        assertThat(m.runbookClass().id()).isEqualTo("pg-replication-lag");
        assertThat(m.matchedBy()).isEqualTo("keywords");
        assertThat(m.confidence()).isBetween(RunbookMatcher.MIN_KEYWORD_CONFIDENCE, 0.8);
        assertThat(m.why()).contains("replication").contains("standby");
    }

    @Test
    void rarerWordsDecide() {
        // "cpu" and "utilization" are in three classes; "aurora" only in one
        var e = TestEvents.event(SourceType.GENERIC, "Aurora cpu utilization high", "", Resource.UNKNOWN, Map.of());
        assertThat(matcher.match(e).orElseThrow().runbookClass().id()).isEqualTo("aws-rds-cpu-high");
        var camel = TestEvents.event(SourceType.GENERIC, "EC2 CPUUtilization", "", Resource.UNKNOWN, Map.of());
        assertThat(matcher.match(camel).orElseThrow().runbookClass().id()).isEqualTo("aws-ec2-cpu-high");
    }

    @Test
    void weakTextIsAMiss() {
        var e = TestEvents.event(SourceType.GENERIC, "Backup job finished late", "nightly pod", Resource.UNKNOWN, Map.of());
        assertThat(matcher.match(e)).isEmpty();
        assertThat(new RunbookMatcher(List.of()).match(e)).isEmpty();
    }

    @Test
    void anInvalidRegexNamesTheClass() {
        assertThatThrownBy(() -> new RunbookMatcher(List.of(TestEvents.cls("bad", "Bad",
                List.of(Map.of("alertname", "~(unclosed")), List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class bad").hasMessageContaining("alertname");
    }

    @Test
    void tokensSplitCamelCaseAndPlurals() {
        assertThat(RunbookMatcher.tokens("KubePodCrashLooping errors on CPUUtilization"))
                .contains("kubepodcrashlooping", "kube", "pod", "crash", "looping", "error", "cpu", "utilization")
                .doesNotContain("on");
    }
}
