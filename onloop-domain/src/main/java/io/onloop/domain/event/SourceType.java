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

    public static Optional<SourceType> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
