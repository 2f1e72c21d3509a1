package io.onloop.domain.metrics;

/** The metrics backend could not answer: unreachable, timed out, or it rejected the query (the message says which). */
public class MetricsUnavailableException extends RuntimeException {

    public MetricsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public MetricsUnavailableException(String message) {
        super(message);
    }
}
