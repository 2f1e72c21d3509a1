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
        this(origin, field, field, problem);
    }

    /** {@code shownAt} is where the message says the problem is: an unknown field's parent, its problem naming it. */
    RunbookFormatException(String origin, String field, String shownAt, String problem) {
        super(origin + (shownAt.isEmpty() ? "" : ": " + shownAt) + ": " + problem);
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
