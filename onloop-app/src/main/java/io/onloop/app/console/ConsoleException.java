package io.onloop.app.console;

import org.springframework.http.HttpStatus;

/** A console request onloop refuses: shown to the operator as an error page with this status. */
class ConsoleException extends RuntimeException {
    private final HttpStatus status;

    ConsoleException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ConsoleException notFound(String what) {
        return new ConsoleException(HttpStatus.NOT_FOUND, what + " does not exist (or belongs to another tenant).");
    }

    HttpStatus status() {
        return status;
    }
}
