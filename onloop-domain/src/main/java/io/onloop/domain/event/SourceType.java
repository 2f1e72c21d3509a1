package io.onloop.domain.event;

import java.util.Arrays;
import java.util.Optional;

/** The native formats onloop ingests; {@link #id()} is the {format} segment of the ingest URL. */
public enum SourceType {
    ALERTMANAGER("alertmanager"),
    SNS("sns"),
    EVENTBRIDGE("eventbridge"),
    AZURE_MONITOR("azure-monitor"),
    GCP_MONITORING("gcp-monitoring"),
    GRAFANA("grafana"),
    DATADOG("datadog"),
    PAGERDUTY("pagerduty"),
    KUBERNETES("kubernetes"),
    CLOUDEVENTS("cloudevents"),
    GENERIC("generic"),
    /** Events onloop raises itself (anomalies, forecasts, autopilot). Not an ingest format. */
    ONLOOP("onloop");

    private final String id;

    SourceType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * Whether an event's own time is when its alert changed state, once per episode: CloudWatch's
     * {@code StateChangeTime} (SNS, EventBridge), and Azure Monitor's and Google Cloud Monitoring's, whose ids name one
     * episode each. Then a firing dated no later than its alert's last resolve can only be a late delivery. Not so
     * for Alertmanager's (or Grafana's) {@code startsAt}: Alertmanager resolves an alert after its
     * {@code resolve_timeout}, and Prometheus may report it again, still firing, with the same {@code startsAt}.
     */
    public boolean timesStateChanges() {
        return this == SNS || this == EVENTBRIDGE || this == AZURE_MONITOR || this == GCP_MONITORING;
    }

    public static Optional<SourceType> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
