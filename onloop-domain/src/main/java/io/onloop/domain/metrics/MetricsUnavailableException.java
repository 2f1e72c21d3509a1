package io.onloop.domain.metrics;

/** The metrics backend could not answer: unreachable, timed out, or it rejected the query (the message says which). */
public class MetricsUnavailableException extends RuntimeException {

    public MetricsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public MetricsUnavailableException(String message) {
        super(message);
    }

    /** The answer was larger than onloop reads: a shorter range (or fewer series) may be answered. */
    public static class AnswerTooLarge extends MetricsUnavailableException {
        public AnswerTooLarge(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
