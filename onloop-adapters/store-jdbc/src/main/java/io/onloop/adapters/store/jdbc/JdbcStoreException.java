package io.onloop.adapters.store.jdbc;

/** A database failure the caller cannot fix (connection lost, constraint the domain should have prevented). */
public class JdbcStoreException extends RuntimeException {
    public JdbcStoreException(String message) {
        super(message);
    }
}
