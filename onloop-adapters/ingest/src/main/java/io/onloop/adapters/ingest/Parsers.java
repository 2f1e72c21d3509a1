package io.onloop.adapters.ingest;

import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventParser;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every ingest format's parser, keyed by format. onloop-app serves one endpoint per entry. */
public final class Parsers {
    private Parsers() {
    }

    /** The production parsers (SNS verifies signatures against certificates fetched over HTTPS). */
    public static Map<SourceType, EventParser> defaults() {
        return index(List.of(
                new AlertmanagerParser(), new SnsParser(), new EventBridgeParser(), new AzureMonitorParser(),
                new GcpMonitoringParser(), new GenericParser(),
                new GrafanaParser(), new DatadogParser(), new PagerDutyParser(), new KubernetesParser(),
                new CloudEventsParser()
        ));
    }

    public static Map<SourceType, EventParser> index(List<EventParser> parsers) {
        Map<SourceType, EventParser> byFormat = new EnumMap<>(SourceType.class);
        for (EventParser p : parsers) {
            if (byFormat.put(p.format(), p) != null) {
                throw new IllegalStateException("two parsers for " + p.format().id());
            }
        }
        return byFormat;
    }
}
