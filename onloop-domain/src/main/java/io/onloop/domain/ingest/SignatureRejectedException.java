package io.onloop.domain.ingest;

/** The message's signature is missing, invalid, or points at a signing certificate we refuse to fetch. */
public class SignatureRejectedException extends Exception {
    public SignatureRejectedException(String message) {
        super(message);
    }

    public SignatureRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
