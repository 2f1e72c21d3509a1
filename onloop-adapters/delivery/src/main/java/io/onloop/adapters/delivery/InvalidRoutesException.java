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

    /** Problems are kept in file order (those without a place last), the way people read them. */
    public InvalidRoutesException(List<Problem> problems) {
        this(problems.stream().sorted(java.util.Comparator
                .comparingInt((Problem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line())
                .thenComparingInt(Problem::column)).toList(), true);
    }

    private InvalidRoutesException(List<Problem> sorted, boolean unused) {
        super(sorted.size() + " problem(s) in route file: " + sorted.getFirst());
        this.problems = sorted;
    }

    public List<Problem> problems() {
        return problems;
    }
}
