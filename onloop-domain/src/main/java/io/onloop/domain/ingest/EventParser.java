package io.onloop.domain.ingest;

import io.onloop.domain.event.SourceType;

/**
 * Port: turns one native webhook body into normalized alerts. One implementation per format.
 * Implementations must never throw anything but {@link InvalidPayloadException} (the sender's
 * fault, a 400) or {@link SignatureRejectedException} (a failed authenticity check, a 401/403),
 * whatever bytes they are given.
 */
public interface EventParser {

    SourceType format();

    ParseResult parse(IngestRequest request) throws InvalidPayloadException, SignatureRejectedException;
}
