package io.onloop.domain.ingest;

/**
 * The payload is not a valid message of the format. {@link #pointer()} says where (a JSON Pointer
 * such as {@code /alerts/3/labels}, or "" for the whole document), so the sender can fix it.
 */
public class InvalidPayloadException extends Exception {
    private final String pointer;

    public InvalidPayloadException(String message, String pointer) {
        super(message);
        this.pointer = pointer == null ? "" : pointer;
    }

    public InvalidPayloadException(String message, String pointer, Throwable cause) {
        super(message, cause);
        this.pointer = pointer == null ? "" : pointer;
    }

    public String pointer() {
        return pointer;
    }
}
