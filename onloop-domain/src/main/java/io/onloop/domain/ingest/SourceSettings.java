package io.onloop.domain.ingest;

/**
 * Per-source parsing settings.
 *
 * @param verifySignatures check the sender's signature (SNS). True unless a source is explicitly
 *                         configured otherwise; switching it off is meant for tests of parsing only.
 */
public record SourceSettings(boolean verifySignatures) {
    public static final SourceSettings DEFAULT = new SourceSettings(true);
}
