package io.onloop.app.ingest;

import java.util.List;
import java.util.UUID;

/**
 * The 202 answer: what was stored (committed before this was sent).
 *
 * @param accepted        number of events stored
 * @param incidentIds     the distinct incidents those events were grouped into
 * @param truncatedAlerts alerts the sender said it left out of the payload (Alertmanager)
 * @param warnings        things worth fixing that did not make the payload invalid
 */
public record IngestResponse(int accepted, List<UUID> eventIds, List<UUID> incidentIds, int truncatedAlerts,
                             List<String> warnings) {
}
