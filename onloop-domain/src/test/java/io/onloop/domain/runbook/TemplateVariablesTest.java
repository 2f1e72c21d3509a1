package io.onloop.domain.runbook;

import io.onloop.domain.event.Resource;
import io.onloop.domain.event.SourceType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateVariablesTest {
    @Test
    void cloudWatchAlarm() {
        var e = TestEvents.event(SourceType.SNS, "db-cpu", "CPU high", Resource.of("aws",
                "arn:aws:rds:eu-west-1:123456789012:db:orders"), Map.of("aws_region", "eu-west-1",
                "aws_account", "123456789012", "namespace", "AWS/RDS", "metric_name", "CPUUtilization",
                "dimension_DBInstanceIdentifier", "orders", "threshold", "80.0"));
        var v = TemplateVariables.of(e);
        assertThat(v).containsEntry("region", "eu-west-1").containsEntry("account", "123456789012")
                .containsEntry("metric", "CPUUtilization").containsEntry("threshold", "80.0")
                .containsEntry("instance", "orders").containsEntry("labels.dimension_DBInstanceIdentifier", "orders")
                .containsEntry("resource.name", "orders").containsEntry("source", "sns").containsEntry("severity", "high")
                .doesNotContainKey("observed");
    }

    @Test
    void kubernetesEventNamesThePod() {
        var e = TestEvents.event(SourceType.KUBERNETES, "BackOff: shop/Pod/cart-1", "Back-off restarting",
                Resource.of("kubernetes", "shop/Pod/cart-1"), Map.of("namespace", "shop", "kind", "Pod",
                        "name", "cart-1", "reason", "BackOff"));
        var v = TemplateVariables.of(e);
        assertThat(v).containsEntry("namespace", "shop").containsEntry("pod", "cart-1").doesNotContainKey("node");
    }

    @Test
    void gcpAndAzureFromTheResourceId() {
        var gcp = TemplateVariables.of(TestEvents.event(SourceType.GCP_MONITORING, "cpu", "", new Resource("gcp",
                "gce_instance:project_id=shop-prod,instance_id=42,zone=us-central1-a", "vm-1"),
                Map.of("metric_type", "compute.googleapis.com/instance/cpu/utilization", "observed_value", "0.97")));
        assertThat(gcp).containsEntry("account", "shop-prod").containsEntry("region", "us-central1-a")
                .containsEntry("metric", "compute.googleapis.com/instance/cpu/utilization").containsEntry("observed", "0.97");
        var azure = TemplateVariables.of(TestEvents.event(SourceType.AZURE_MONITOR, "cpu", "", Resource.of("azure",
                "/subscriptions/sub-1/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1"), Map.of()));
        assertThat(azure).containsEntry("account", "sub-1");
    }

    @Test
    void longValuesAreCut() {
        var v = TemplateVariables.of(TestEvents.labels(Map.of("pod", "p".repeat(2000))));
        assertThat(v.get("pod")).hasSize(TemplateVariables.MAX_VALUE + 1).endsWith("…");
    }
}
