package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Changes one container's resources in a Kubernetes manifest as a person would: line by line, keeping
 * everything else (comments, order, quoting, indentation) as it was, so the diff shows only the change.
 * <p>
 * It reads the block style manifests are written in: documents separated by {@code ---}, a workload found
 * by its top-level {@code kind} and {@code metadata.name} (and {@code metadata.namespace} when both say
 * one), its containers under {@code spec.template.spec.containers} (a sequence, indented or not). Flow style
 * ({@code resources: {requests: {cpu: 1}}}), anchors and multi-line scalars in the edited lines are refused
 * with a {@link PlanException} rather than guessed at.
 */
final class ManifestEditor {
    private static final Pattern KEY = Pattern.compile("(\"[^\"]*\"|'[^']*'|[^\\s#'\"{\\[][^:#]*+):(\\s.*)?"); // possessive: no backtracking on long lines
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+\\-]*");
    private static final List<String> YAML_WORDS = List.of("y", "n", "yes", "no", "on", "off", "true", "false",
            "null");

    /** The manifest's lines without line ends; edits happen here. */
    private final List<String> lines;
    private final boolean endsWithNewline;
    private final String kind;
    private final String name;
    private final String namespace;
    private final String container;

    /**
     * Lines [from, to) are a block's contents; {@code indent} its children's indentation, -1 when it has none.
     * {@code inlineEmpty}: the key line says {@code {}}, {@code null} or {@code ~}, to be opened before adding children.
     */
    private record Block(int keyLine, int from, int to, int indent, boolean inlineEmpty) {
        Block(int keyLine, int from, int to, int indent) {
            this(keyLine, from, to, indent, false);
        }
    }

    private ManifestEditor(String yaml, String kind, String name, String namespace, String container) {
        String text = yaml.replace("\r\n", "\n");
        this.endsWithNewline = text.endsWith("\n");
        String body = endsWithNewline ? text.substring(0, text.length() - 1) : text;
        this.lines = new ArrayList<>(Arrays.asList(body.split("\n", -1)));
        this.kind = kind;
        this.name = name;
        this.namespace = namespace;
        this.container = container;
    }

    /**
     * The unified diff that sets the container's resources.
     *
     * @param resources {@code requests} and/or {@code limits} to {@code cpu} and/or {@code memory}; a null
     *                  value removes the setting
     * @return empty when the manifest already says exactly that
     */
    static String diff(String path, String yaml, String kind, String name, String namespace, String container,
                       Map<String, Map<String, String>> resources) {
        var editor = new ManifestEditor(yaml, kind, name, namespace, container);
        List<String> before = List.copyOf(editor.lines);
        resources.forEach((group, values) -> values.forEach((resource, value) -> editor.set(group, resource, value)));
        return UnifiedDiff.of(path, before, editor.lines, editor.endsWithNewline);
    }

    private void set(String group, String resource, String value) {
        Block item = containerItem();
        int resourcesLine = findKey(item, "resources");
        if (resourcesLine < 0) {
            if (value != null) {
                insert(lastContent(item) + 1, item.indent(), 2, "resources", group, resource + ": " + scalar(value));
            }
            return;
        }
        Block resources = mapping(resourcesLine, item.to());
        int step = resources.indent() >= 0 ? resources.indent() - item.indent() : 2;
        int groupLine = findKey(resources, group);
        if (groupLine < 0) {
            if (value != null) {
                openUp(resources);
                insert(lastContent(resources) + 1, indentFor(resources, item.indent() + step), step, group,
                        resource + ": " + scalar(value));
            }
            return;
        }
        Block values = mapping(groupLine, resources.to());
        int resourceLine = findKey(values, resource);
        if (resourceLine >= 0 && value == null) {
            boolean onlySetting = lastContent(values) == resourceLine && firstContent(values) == resourceLine;
            lines.remove(resourceLine);
            if (onlySetting) {
                lines.remove(groupLine); // leave no empty "requests:" behind
            }
        } else if (resourceLine >= 0) {
            String old = valueText(lines.get(resourceLine));
            if (old.isEmpty() || old.startsWith("|") || old.startsWith(">")) { // continued on the next lines
                throw new PlanException(what() + ": '" + lines.get(resourceLine).strip()
                        + "' does not hold its value on one line; edit it by hand");
            }
            lines.set(resourceLine, withValue(lines.get(resourceLine), scalar(value)));
        } else if (value != null) {
            openUp(values);
            int indent = indentFor(values, indent(lines.get(groupLine)) + step);
            lines.add(lastContent(values) + 1, " ".repeat(indent) + resource + ": " + scalar(value));
        }
    }

    /** "key: {}" becomes "key:", so that children can follow. */
    private void openUp(Block b) {
        if (b.inlineEmpty()) {
            String line = lines.get(b.keyLine());
            lines.set(b.keyLine(), line.substring(0, line.indexOf(':', keyColumn(line)) + 1));
        }
    }

    /** The block under a key that must be a mapping (or empty). */
    private Block mapping(int keyLine, int limit) {
        Block b = valueBlock(keyLine, limit);
        if (b == null) {
            throw new PlanException(what() + ": '" + lines.get(keyLine).strip() + "' is not a mapping");
        }
        return b;
    }

    /** Inserts "a:\n  b:\n    c: v" at {@code at}, each level {@code step} deeper. */
    private void insert(int at, int indent, int step, String... keys) {
        for (int k = 0; k < keys.length; k++) {
            String text = k < keys.length - 1 ? keys[k] + ":" : keys[k];
            lines.add(at + k, " ".repeat(indent + k * step) + text);
        }
    }

    private static int indentFor(Block b, int otherwise) {
        return b.indent() >= 0 ? b.indent() : otherwise;
    }

    /** The sequence item of the container, its indent being that of the item's keys. */
    private Block containerItem() {
        Block workload = workload();
        Block containers = workload;
        for (String key : List.of("spec", "template", "spec", "containers")) {
            int line = findKey(containers, key);
            Block next = line < 0 ? null : valueBlock(line, containers.to());
            if (next == null || next.indent() < 0) {
                throw new PlanException(what() + " in the manifest has no spec.template.spec.containers in block style");
            }
            containers = next;
        }
        List<Integer> dashes = new ArrayList<>();
        for (int i = containers.from(); i < containers.to(); i++) {
            if (content(i) && indent(lines.get(i)) == containers.indent() && lines.get(i).strip().startsWith("-")) {
                dashes.add(i);
            }
        }
        for (int d = 0; d < dashes.size(); d++) {
            int from = dashes.get(d);
            int to = d + 1 < dashes.size() ? dashes.get(d + 1) : containers.to();
            Block item = item(from, to);
            int nameLine = findKey(item, "name");
            if (nameLine >= 0 && unquote(valueText(lines.get(nameLine))).equals(container)) {
                return item;
            }
        }
        throw new PlanException(what() + " in the manifest has no container named " + Json.string(container));
    }

    /** A sequence item from its dash line: its keys start after "- " (or on the next line for a lone dash). */
    private Block item(int dashLine, int to) {
        String line = lines.get(dashLine);
        int dash = indent(line);
        String after = line.substring(dash + 1);
        if (!after.isBlank()) {
            return new Block(dashLine, dashLine, to, dash + 1 + indent(after));
        }
        for (int i = dashLine + 1; i < to; i++) {
            if (content(i)) {
                return new Block(dashLine, dashLine + 1, to, indent(lines.get(i)));
            }
        }
        return new Block(dashLine, dashLine + 1, to, -1);
    }

    /** The top-level block of the one document that is this workload. */
    private Block workload() {
        Block found = null;
        int start = 0;
        for (int i = 0; i <= lines.size(); i++) {
            if (i == lines.size() || lines.get(i).startsWith("---") || lines.get(i).equals("...")) {
                Block doc = new Block(-1, start, i, 0);
                if (isWorkload(doc)) {
                    if (found != null) {
                        throw new PlanException("the manifest holds " + what() + " more than once");
                    }
                    found = doc;
                }
                start = i + 1;
            }
        }
        if (found == null) {
            throw new PlanException("the manifest has no " + what());
        }
        return found;
    }

    private boolean isWorkload(Block doc) {
        int kindLine = findKey(doc, "kind");
        int metadataLine = findKey(doc, "metadata");
        if (kindLine < 0 || metadataLine < 0 || !unquote(valueText(lines.get(kindLine))).equals(kind)) {
            return false;
        }
        Block metadata = valueBlock(metadataLine, doc.to());
        if (metadata == null || metadata.indent() < 0) {
            return false;
        }
        int nameLine = findKey(metadata, "name");
        int namespaceLine = findKey(metadata, "namespace");
        String ns = namespaceLine < 0 ? "" : unquote(valueText(lines.get(namespaceLine)));
        return nameLine >= 0 && unquote(valueText(lines.get(nameLine))).equals(name)
                && (ns.isEmpty() || namespace.isEmpty() || ns.equals(namespace));
    }

    private String what() {
        return kind + " " + Json.string(name);
    }

    /** The line of {@code key} among the block's direct children; -1 if it has none. */
    private int findKey(Block b, String key) {
        if (b.indent() < 0) {
            return -1;
        }
        for (int i = b.from(); i < b.to(); i++) {
            if (content(i) && keyAt(lines.get(i), b.indent()).equals(key)
                    && (i == b.keyLine() || indent(lines.get(i)) == b.indent())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The block under a key: the lines after it that are indented deeper (or, for a sequence, as deep and
     * starting with "-"). Null when the value is an inline scalar.
     */
    private Block valueBlock(int keyLine, int limit) {
        String line = lines.get(keyLine);
        int keyIndent = keyColumn(line);
        String inline = valueText(line);
        if (!inline.isEmpty()) {
            if (inline.equals("{}") || inline.equals("null") || inline.equals("~")) {
                return new Block(keyLine, keyLine + 1, keyLine + 1, -1, true);
            }
            if (inline.startsWith("{") || inline.startsWith("[") || inline.startsWith("&") || inline.startsWith("*")
                    || inline.startsWith("|") || inline.startsWith(">")) {
                throw new PlanException(what() + ": '" + line.strip() + "' is not in block style; edit it by hand");
            }
            return null; // a scalar: no children
        }
        int to = keyLine + 1;
        int indent = -1;
        for (int i = keyLine + 1; i < limit; i++) {
            if (!content(i)) {
                continue;
            }
            int n = indent(lines.get(i));
            boolean dash = lines.get(i).strip().startsWith("-");
            if (n < keyIndent || (n == keyIndent && !dash)) {
                break;
            }
            indent = indent < 0 ? n : indent;
            to = i + 1;
        }
        return new Block(keyLine, keyLine + 1, to, indent);
    }

    private int firstContent(Block b) {
        for (int i = b.from(); i < b.to(); i++) {
            if (content(i) && i != b.keyLine()) {
                return i;
            }
        }
        return b.keyLine();
    }

    /** The last content line of a block, or its key line when it has none. */
    private int lastContent(Block b) {
        for (int i = b.to() - 1; i >= b.from(); i--) {
            if (content(i) && i != b.keyLine()) {
                return i;
            }
        }
        return b.keyLine();
    }

    private boolean content(int i) {
        String s = lines.get(i).strip();
        return !s.isEmpty() && !s.startsWith("#");
    }

    /** Where the key of a line starts: after the indentation, and after a sequence dash. */
    private static int keyColumn(String line) {
        int i = indent(line);
        if (line.startsWith("- ", i) || line.startsWith("-\t", i)) {
            i = i + 1 + indent(line.substring(i + 1));
        }
        return i;
    }

    /** The key written at {@code column} ("" if none), unquoted. */
    private static String keyAt(String line, int column) {
        if (column > line.length() || keyColumn(line) != column) {
            return "";
        }
        var m = KEY.matcher(line.substring(column));
        return m.matches() ? unquote(m.group(1).strip()) : "";
    }

    /** The value after the line's key, without a trailing comment; "" when there is none. */
    private static String valueText(String line) {
        int colon = line.indexOf(':', keyColumn(line));
        String rest = colon < 0 ? "" : line.substring(colon + 1);
        int comment = rest.indexOf(" #");
        return (comment < 0 ? rest : rest.substring(0, comment)).strip();
    }

    /** The line with a new value after its key, keeping a trailing comment. */
    private static String withValue(String line, String value) {
        int colon = line.indexOf(':', keyColumn(line));
        String rest = line.substring(colon + 1);
        int comment = rest.indexOf(" #");
        String tail = comment < 0 ? "" : "  " + rest.substring(comment + 1).strip();
        return line.substring(0, colon + 1) + " " + value + tail;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** A value as YAML: plain when that cannot be misread, else double-quoted. */
    static String scalar(String value) {
        return PLAIN.matcher(value).matches() && !YAML_WORDS.contains(value.toLowerCase(java.util.Locale.ROOT))
                ? value : Json.string(value);
    }
}
