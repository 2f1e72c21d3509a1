package io.onloop.domain.store;

/**
 * A transaction committed, but the store could not force it onto the disk (a failed fsync): its
 * writes are visible and must not be made again, yet a power cut could still take them back.
 */
public class NotDurableException extends RuntimeException {
    public NotDurableException(String message, Throwable cause) {
        super(message, cause);
    }
}
