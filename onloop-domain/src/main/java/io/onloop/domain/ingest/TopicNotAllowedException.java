package io.onloop.domain.ingest;

/** The message comes from a topic the source was not set up to take messages from. */
public final class TopicNotAllowedException extends SignatureRejectedException {
    public TopicNotAllowedException(String message) {
        super(message);
    }
}
