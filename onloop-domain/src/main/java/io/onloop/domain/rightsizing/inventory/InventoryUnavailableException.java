package io.onloop.domain.rightsizing.inventory;

/** The inventory could not be read: unreachable, throttled, or the credentials lack a permission (the message says which). */
public class InventoryUnavailableException extends RuntimeException {

    public InventoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
