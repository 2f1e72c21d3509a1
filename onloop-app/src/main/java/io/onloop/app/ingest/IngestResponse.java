package io.onloop.app.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.UUID;

/**
 * The 202 answer. The events are in the journal on disk when this is sent; they are grouped into
 * incidents and stored moments later. A sender that asks with {@code Prefer: wait=<seconds>}
 * (RFC 7240) gets {@code stored: true} and the incident ids if that happened within its wait.
 *
 * @param accepted        number of events accepted
 * @param eventIds        their ids, readable at {@code /api/v1/events/{id}} once stored
 * @param stored          whether they were already grouped and stored when this was sent
 * @param incidentIds     the distinct incidents they were grouped into; only when stored
 * @param truncatedAlerts alerts the sender said it left out of the payload (Alertmanager)
 * @param warnings        things worth fixing that did not make the payload invalid
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestResponse(int accepted, List<UUID> eventIds, boolean stored, List<UUID> incidentIds,
                             int truncatedAlerts, List<String> warnings) {
}
