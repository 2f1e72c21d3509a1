package io.onloop.adapters.delivery;

import java.util.List;

/** A route file that cannot be used, with every problem found (not just the first). */
public class InvalidRoutesException extends RuntimeException {

    /**
     * @param line   1-based; 0 when the problem has no place in the file
     * @param column 1-based; 0 when unknown
     * @param path   where in the document, e.g. {@code route.routes[1].matchers[0]}
     */
    public record Problem(int line, int column, String path, String message) {
        @Override
        public String toString() {
            return (line > 0 ? line + ":" + column + " " : "") + path + ": " + message;
        }
    }

    private final List<Problem> problems;

    public InvalidRoutesException(List<Problem> problems) {
        super(problems.size() + " problem(s) in route file: " + problems.getFirst());
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
