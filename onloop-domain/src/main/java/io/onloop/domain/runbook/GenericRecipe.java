package io.onloop.domain.runbook;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.Severity;
import io.onloop.domain.runbook.Recipe.Level;
import io.onloop.domain.runbook.Recipe.Provenance;
import io.onloop.domain.runbook.Recipe.Remediation;
import io.onloop.domain.runbook.Recipe.RootCause;
import io.onloop.domain.runbook.Recipe.SeverityAssessment;
import io.onloop.domain.runbook.Recipe.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recipe for an event no class matched: built only from what the event says (its source,
 * resource, metric, threshold and observed value), with the steps that fit its kind of resource.
 * Marked {@code generic} so nobody mistakes it for specific advice.
 */
public final class GenericRecipe {
    private GenericRecipe() {
    }

    public static Recipe of(Event e, Map<String, String> v) {
        String what = v.getOrDefault("resource.id", "");
        String metric = v.get("metric");
        StringBuilder meaning = new StringBuilder("No knowledge-base class matched this ").append(e.source().id())
                .append(" alert, so this recipe is generic, built from what the event says. The alert \"")
                .append(e.title()).append("\" is ").append(e.status().id());
        if (!what.isEmpty()) {
            meaning.append(" for ").append(v.get("resource.kind")).append(" resource ").append(what);
        }
        meaning.append('.');
        if (metric != null) {
            meaning.append(" It concerns ").append(metric);
            if (v.containsKey("observed")) {
                meaning.append(", observed ").append(v.get("observed"));
            }
            if (v.containsKey("threshold")) {
                meaning.append(" against a threshold of ").append(v.get("threshold"));
            }
            meaning.append('.');
        }

        List<Step> validation = new ArrayList<>();
        if (e.link() != null && !e.link().isBlank()) {
            validation.add(new Step("Open the alert in its source and check the condition still holds.", e.link()));
        } else {
            validation.add(new Step("Open the alert in " + e.source().id() + " and check the condition still holds.", ""));
        }
        if (metric != null) {
            validation.add(new Step("Look at " + metric + " over the last hours: is this a spike, a trend or noise?", ""));
        }
        validation.add(new Step("Check whether other alerts for the same resource or service fired at the same time.", ""));

        List<Step> troubleshooting = new ArrayList<>(byKind(e.resource().kind(), v));
        troubleshooting.add(new Step("List the changes of the last hours (deployments, configuration, scaling, "
                + "maintenance) and compare their times with when the alert started.", ""));

        List<RootCause> causes = List.of(
                new RootCause("A recent change (deployment, configuration, infrastructure).", Level.MEDIUM,
                        "The alert started shortly after the change."),
                new RootCause("More load than usual, or a resource running out.", Level.MEDIUM,
                        "Traffic, queue or utilization metrics rose before the alert."),
                new RootCause("A failing dependency (database, network, external service).", Level.LOW,
                        "Dependencies show errors or latency at the same time."));
        List<Remediation> remediation = List.of(
                new Remediation("Acknowledge, watch the signal and inform the owning team.", "", Level.LOW,
                        "No change to the system; buys time to diagnose.", true, false),
                new Remediation("Roll back the most recent change if the timing fits.", "", Level.MEDIUM,
                        "Restores the last known good state; the change must be redone later.", true, false));
        return new Recipe(meaning.toString(),
                new SeverityAssessment(e.severity(), "Taken from the source's own severity ("
                        + (e.sourceSeverity().isEmpty() ? e.severity().id() : e.sourceSeverity())
                        + "); no class knowledge to assess it further."
                        + (e.severity().rank() >= Severity.HIGH.rank() ? " Treat as urgent until shown otherwise." : "")),
                validation, troubleshooting, causes, remediation, List.of(),
                new Provenance(Recipe.Source.GENERIC, "", 0, "none", "no identifier or keywords matched"), List.of());
    }

    private static List<Step> byKind(String kind, Map<String, String> v) {
        return switch (kind) {
            case "kubernetes" -> List.of(
                    new Step("Describe the object and read its recent events.", Templates.renderCommand(
                            "kubectl -n {{namespace|<namespace>}} describe {{labels.kind|pod}} {{resource.name|<name>}}", v)),
                    new Step("List warning events in the namespace, newest last.", Templates.renderCommand(
                            "kubectl -n {{namespace|<namespace>}} get events --field-selector type=Warning --sort-by=.lastTimestamp", v)));
            case "aws" -> List.of(
                    new Step("Read the alarm's history and current state.", Templates.renderCommand(
                            "aws cloudwatch describe-alarm-history --region {{region|<region>}} --alarm-name {{labels.alarm_name|<alarm-name>}} --max-records 20", v)),
                    new Step("Check AWS Health for events in the region.", Templates.renderCommand(
                            "aws health describe-events --region us-east-1 --filter regions={{region|<region>}},eventStatusCodes=open", v)));
            case "azure" -> List.of(
                    new Step("Show the resource's recent activity log.", Templates.renderCommand(
                            "az monitor activity-log list --resource-id {{resource.id|<resource-id>}} --offset 6h", v)));
            case "gcp" -> List.of(
                    new Step("Read the recent error logs for the project.", Templates.renderCommand(
                            "gcloud logging read 'severity>=ERROR' --project {{account|<project>}} --freshness 1h --limit 50", v)));
            case "host" -> List.of(
                    new Step("Check load, memory and disk on the host.", Templates.renderCommand(
                            "ssh {{instance|<host>}} 'uptime; free -m; df -h; dmesg -T | tail -20'", v)),
                    new Step("Read the system journal for errors in the last hour.", Templates.renderCommand(
                            "ssh {{instance|<host>}} 'journalctl -p err --since \"1 hour ago\" --no-pager | tail -50'", v)));
            default -> List.of(new Step("Read the service's logs and metrics around the time the alert started.", ""));
        };
    }
}
