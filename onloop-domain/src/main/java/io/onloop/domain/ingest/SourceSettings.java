package io.onloop.domain.ingest;

import java.util.List;

/**
 * Per-source parsing settings.
 *
 * @param verifySignatures check the sender's signature (SNS). True unless a source is explicitly
 *                         configured otherwise; switching it off is meant for tests of parsing only.
 * @param topicArns        the SNS topics whose messages the source takes; empty: any topic
 */
public record SourceSettings(boolean verifySignatures, List<String> topicArns) {
    public static final SourceSettings DEFAULT = new SourceSettings(true, List.of());

    public SourceSettings {
        topicArns = List.copyOf(topicArns); // a source's own list is immutable already: no copy per request
    }
}
