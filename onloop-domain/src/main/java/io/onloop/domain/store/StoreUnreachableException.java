package io.onloop.domain.store;

/**
 * The database could not be reached: no connection, a connection lost, a transaction the database asks to try
 * again. Unlike other store failures, trying again later may well succeed, so callers that retry wait it out
 * rather than give anything up.
 */
public class StoreUnreachableException extends RuntimeException {
    public StoreUnreachableException(String message) {
        super(message);
    }

    /** Whether this failure, or one it was caused by, is the database not being reachable. */
    public static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreUnreachableException) {
                return true;
            }
        }
        return false;
    }
}
