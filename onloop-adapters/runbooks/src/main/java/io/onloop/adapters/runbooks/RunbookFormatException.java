package io.onloop.adapters.runbooks;

/**
 * A knowledge-base file (or an edit sent to the API) that does not follow the format of
 * docs/runbooks.md. {@code origin} names the file, {@code field} the path inside it
 * ({@code remediation[1].risk}).
 */
public class RunbookFormatException extends RuntimeException {
    private final String origin;
    private final String field;

    public RunbookFormatException(String origin, String field, String problem) {
        super(origin + (field.isEmpty() ? "" : ": " + field) + ": " + problem);
        this.origin = origin;
        this.field = field;
    }

    public String origin() {
        return origin;
    }

    public String field() {
        return field;
    }
}
