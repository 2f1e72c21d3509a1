package io.onloop.domain.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one send.
 *
 * @param threadRef  set on success when the target returned something to thread later updates on
 * @param retryAfter for a retryable failure, what the target asked for (Retry-After); null if it did not say
 */
public record SendResult(Outcome outcome, String threadRef, String error, Duration retryAfter) {

    public enum Outcome { DELIVERED, RETRY, FAILED }

    public SendResult {
        Objects.requireNonNull(outcome, "outcome");
        error = Objects.requireNonNullElse(error, "");
    }

    public static SendResult delivered(String threadRef) {
        return new SendResult(Outcome.DELIVERED, threadRef, "", null);
    }

    public static SendResult retry(String error, Duration retryAfter) {
        return new SendResult(Outcome.RETRY, null, error, retryAfter);
    }

    /** Will not succeed by trying again (bad settings, a 4xx other than 408/429). */
    public static SendResult failed(String error) {
        return new SendResult(Outcome.FAILED, null, error, null);
    }
}
