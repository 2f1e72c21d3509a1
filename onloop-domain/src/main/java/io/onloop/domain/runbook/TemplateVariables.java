package io.onloop.domain.runbook;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.Resource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The values of {@link Templates#VARIABLES} for one event, taken from whichever label or resource carries them. */
public final class TemplateVariables {
    /** Longest value put into a recipe; label values may be up to 1 KiB of sender text. */
    static final int MAX_VALUE = 256;

    private TemplateVariables() {
    }

    public static Map<String, String> of(Event e) {
        Map<String, String> labels = e.labels();
        Map<String, String> v = new HashMap<>(labels.size() + 24);
        labels.forEach((k, value) -> put(v, Templates.LABEL_PREFIX + k, value));
        put(v, "title", e.title());
        put(v, "summary", e.summary());
        put(v, "severity", e.severity().id());
        put(v, "source", e.source().id());
        put(v, "fingerprint", e.fingerprint());
        Resource r = e.resource();
        put(v, "resource.id", r.id());
        put(v, "resource.name", r.name());
        put(v, "resource.kind", r.kind());

        put(v, "region", first(labels, "aws_region", "region", "location", "zone", "metric_zone", "resource_zone",
                "topology.kubernetes.io/region"));
        if (!v.containsKey("region")) {
            put(v, "region", fromResourceId(r, "zone=", "region=", "location="));
        }
        put(v, "account", first(labels, "aws_account", "account", "account_id", "subscription_id", "subscriptionId",
                "project_id", "scoping_project_id", "project"));
        if (!v.containsKey("account")) {
            put(v, "account", azureSubscription(r));
            put(v, "account", fromResourceId(r, "project_id="));
        }
        put(v, "namespace", first(labels, "namespace", "kubernetes_namespace", "exported_namespace", "kube_namespace"));
        put(v, "pod", first(labels, "pod", "pod_name", "kubernetes_pod_name", "exported_pod"));
        put(v, "node", first(labels, "node", "nodename", "kubernetes_node", "node_name"));
        put(v, "container", first(labels, "container", "container_name"));
        put(v, "workload", first(labels, "deployment", "statefulset", "daemonset", "job_name", "cronjob",
                "replicaset", "workload", "kube_deployment"));
        put(v, "instance", first(labels, "instance", "dimension_InstanceId", "instance_id", "host", "hostname",
                "dimension_DBInstanceIdentifier", "dimension_DBClusterIdentifier", "metric_instance_name"));
        if (!v.containsKey("instance") && ("host".equals(r.kind()) || "aws".equals(r.kind()))) {
            put(v, "instance", r.name());
        }
        if ("kubernetes".equals(r.kind()) && labels.containsKey("kind")) {
            switch (labels.get("kind")) {
                case "Pod" -> put(v, "pod", first(labels, "name"));
                case "Node" -> put(v, "node", first(labels, "name"));
                case "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet" ->
                        put(v, "workload", first(labels, "name"));
                default -> {
                }
            }
        }
        put(v, "metric", first(labels, "metric_name", "metric_type", "alert_metric", "alertname"));
        put(v, "threshold", first(labels, "threshold", "threshold_value"));
        put(v, "observed", first(labels, "metric_value", "observed_value", "value"));
        return v;
    }

    private static void put(Map<String, String> v, String name, String value) {
        if (value == null || value.isBlank() || v.containsKey(name)) {
            return;
        }
        v.put(name, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "…" : value);
    }

    private static String first(Map<String, String> labels, String... names) {
        for (String n : names) {
            String value = labels.get(n);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** A value out of a GCP resource id such as {@code gce_instance:project_id=p,zone=us-central1-a}. */
    private static String fromResourceId(Resource r, String... keys) {
        if (!"gcp".equals(r.kind())) {
            return null;
        }
        for (String key : keys) {
            int at = r.id().indexOf(key);
            if (at >= 0 && (at == 0 || r.id().charAt(at - 1) == ',' || r.id().charAt(at - 1) == ':')) {
                int end = r.id().indexOf(',', at);
                return r.id().substring(at + key.length(), end < 0 ? r.id().length() : end);
            }
        }
        return null;
    }

    /** The subscription id out of an Azure resource id {@code /subscriptions/<id>/resourceGroups/...}. */
    private static String azureSubscription(Resource r) {
        List<String> parts = List.of(r.id().split("/"));
        int i = parts.indexOf("subscriptions");
        return "azure".equals(r.kind()) && i >= 0 && i + 1 < parts.size() ? parts.get(i + 1) : null;
    }
}
