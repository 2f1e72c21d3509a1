package io.onloop.domain.rightsizing.copilot;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two versions of a text file, as {@code git diff} writes it (three lines of context),
 * so it can be applied with {@code git apply} or {@code patch -p1}. The longest common subsequence is
 * computed only between the first and the last differing lines, which keeps it cheap for the local
 * edits of a manifest.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;
    /** The edits are local, so the differing middle is small; this bounds the memory of a pathological one. */
    private static final long MAX_LCS_CELLS = 4_000_000;

    private UnifiedDiff() {
    }

    private record Op(char type, int oldIndex, int newIndex) {
    }

    /**
     * @param path               the file's path in the repository, for the {@code a/} and {@code b/} headers
     * @param endsWithNewline    whether both versions end with a line end (else git's "No newline" marker)
     * @return empty when the versions are equal
     */
    static String of(String path, List<String> before, List<String> after, boolean endsWithNewline) {
        List<Op> ops = endsWithNewline ? ops(before, after) : ops(unterminated(before), unterminated(after));
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).type() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int lastChange = i;
            for (int j = i; j < ops.size() && j - lastChange <= 2 * CONTEXT; j++) {
                if (ops.get(j).type() != ' ') {
                    lastChange = j;
                }
            }
            int stop = Math.min(ops.size(), lastChange + CONTEXT + 1);
            if (out.isEmpty()) {
                out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
            }
            hunk(ops.subList(start, stop), before, after, endsWithNewline, out);
            i = stop;
        }
        return out.toString();
    }

    private static void hunk(List<Op> ops, List<String> before, List<String> after, boolean endsWithNewline,
                             StringBuilder out) {
        int oldLength = 0;
        int newLength = 0;
        for (Op op : ops) {
            oldLength += op.type() == '+' ? 0 : 1;
            newLength += op.type() == '-' ? 0 : 1;
        }
        Op first = ops.getFirst();
        // a side with no lines in the hunk names the line before it
        int oldStart = oldLength == 0 ? first.oldIndex() : first.oldIndex() + 1;
        int newStart = newLength == 0 ? first.newIndex() : first.newIndex() + 1;
        out.append("@@ -").append(range(oldStart, oldLength)).append(" +").append(range(newStart, newLength))
                .append(" @@\n");
        for (Op op : ops) {
            String line = op.type() == '+' ? after.get(op.newIndex()) : before.get(op.oldIndex());
            out.append(op.type()).append(line).append('\n');
            boolean lastOld = op.type() != '+' && op.oldIndex() == before.size() - 1;
            boolean lastNew = op.type() != '-' && op.newIndex() == after.size() - 1;
            if (!endsWithNewline && (lastOld || lastNew)) {
                out.append("\\ No newline at end of file\n");
            }
        }
    }

    /** A last line without a line end differs from the same text with one (git shows it as changed). */
    private static List<String> unterminated(List<String> lines) {
        List<String> marked = new ArrayList<>(lines);
        if (!marked.isEmpty()) {
            marked.set(marked.size() - 1, marked.getLast() + "\u0000no newline");
        }
        return marked;
    }

    private static String range(int start, int length) {
        return length == 1 ? String.valueOf(start) : start + "," + length;
    }

    /** The edit script: context, removals and additions, each with its position in the old and the new text. */
    private static List<Op> ops(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        int n = a.size() - prefix - suffix;
        int m = b.size() - prefix - suffix;
        if ((long) n * m > MAX_LCS_CELLS) {
            throw new PlanException("the change spans " + n + " lines of the manifest; too far apart for one diff");
        }
        // lcs[i][j]: the longest common subsequence of the middle parts from i and j on
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(prefix + i).equals(b.get(prefix + j))
                        ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < prefix; k++) {
            ops.add(new Op(' ', k, k));
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(prefix + i).equals(b.get(prefix + j))) {
                ops.add(new Op(' ', prefix + i++, prefix + j++));
            } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
                ops.add(new Op('+', prefix + i, prefix + j++));
            } else {
                ops.add(new Op('-', prefix + i++, prefix + j));
            }
        }
        for (int k = 0; k < suffix; k++) {
            ops.add(new Op(' ', a.size() - suffix + k, b.size() - suffix + k));
        }
        return ops;
    }
}
