package io.onloop.domain.anomaly.watch;

import org.junit.jupiter.api.Test;

import static io.onloop.domain.anomaly.watch.AlertRuleQueries.seriesBehind;
import static org.assertj.core.api.Assertions.assertThat;

class AlertRuleQueriesTest {

    @Test
    void theQuerySideOfAThresholdIsWatched() {
        assertThat(seriesBehind("node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1"))
                .contains("node_filesystem_avail_bytes / node_filesystem_size_bytes");
        assertThat(seriesBehind("up == 0")).contains("up");
        assertThat(seriesBehind("0.9 <= rate(errors_total[5m])")).contains("rate(errors_total[5m])");
        assertThat(seriesBehind("x >= bool 1e3")).contains("x");
        assertThat(seriesBehind("x != -Inf")).contains("x");
    }

    @Test
    void comparisonsInsideSelectorsFunctionsAndStringsAreNotTheCondition() {
        assertThat(seriesBehind("sum by (job) (rate(http_requests_total{code=~\"5..\", path!=\"/a>b\"}[5m])) > 10"))
                .contains("sum by (job) (rate(http_requests_total{code=~\"5..\", path!=\"/a>b\"}[5m]))");
        assertThat(seriesBehind("histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) > 0.5 # p99 over 500ms"))
                .contains("histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))");
    }

    @Test
    void nothingIsPickedWhenItIsNotOneQueryAgainstANumber() {
        assertThat(seriesBehind("absent(up{job=\"api\"})")).isEmpty();
        assertThat(seriesBehind("a > b")).isEmpty();
        assertThat(seriesBehind("a > 1 and b < 2")).isEmpty();
        assertThat(seriesBehind("a > 1 unless b")).isEmpty();
        assertThat(seriesBehind("(a > 1)")).isEmpty();
        assertThat(seriesBehind("> 1")).isEmpty();
    }
}
