package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.text.Digests;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed, pointer-reporting access to JSON members for the cloud parsers. "Optional" means absent or
 * JSON null gives null; a member of the wrong type is always an error naming its JSON Pointer.
 */
final class JsonFields {
    private JsonFields() {
    }

    /** The JSON Pointer of {@code field} under {@code base} (RFC 6901 escaping). */
    static String ptr(String base, String field) {
        return base + "/" + field.replace("~", "~0").replace("/", "~1");
    }

    static String ptr(String base, int index) {
        return base + "/" + index;
    }

    private static JsonNode member(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    private static InvalidPayloadException wrongType(String what, JsonNode v, String pointer) {
        return new InvalidPayloadException(pointer + " must be " + what + ", got " + Json.kind(v), pointer);
    }

    private static InvalidPayloadException missing(String pointer) {
        return new InvalidPayloadException("missing required field " + pointer, pointer);
    }

    static JsonNode object(JsonNode parent, String field, String base, boolean required) throws InvalidPayloadException {
        JsonNode v = member(parent, field);
        if (v == null) {
            if (required) {
                throw missing(ptr(base, field));
            }
            return null;
        }
        if (!v.isObject()) {
            throw wrongType("an object", v, ptr(base, field));
        }
        return v;
    }

    static JsonNode array(JsonNode parent, String field, String base, boolean required) throws InvalidPayloadException {
        JsonNode v = member(parent, field);
        if (v == null) {
            if (required) {
                throw missing(ptr(base, field));
            }
            return null;
        }
        if (!v.isArray()) {
            throw wrongType("an array", v, ptr(base, field));
        }
        return v;
    }

    /** A member that must be a JSON string when present; a required one must also be non-blank. */
    static String string(JsonNode parent, String field, String base, boolean required) throws InvalidPayloadException {
        JsonNode v = member(parent, field);
        if (v == null) {
            if (required) {
                throw missing(ptr(base, field));
            }
            return null;
        }
        if (!v.isString()) {
            throw wrongType("a string", v, ptr(base, field));
        }
        if (required && v.stringValue().isBlank()) {
            throw new InvalidPayloadException(ptr(base, field) + " must not be empty", ptr(base, field));
        }
        return v.stringValue();
    }

    /** A string, number or boolean rendered as text (senders disagree on quoting numbers). */
    static String scalar(JsonNode parent, String field, String base) throws InvalidPayloadException {
        JsonNode v = member(parent, field);
        if (v == null) {
            return null;
        }
        if (v.isContainer()) {
            throw wrongType("a string or number", v, ptr(base, field));
        }
        return v.asString();
    }

    /** An object of string values, e.g. a label set; numbers and booleans are accepted as text. */
    static Map<String, String> stringMap(JsonNode parent, String field, String base) throws InvalidPayloadException {
        JsonNode obj = object(parent, field, base, false);
        Map<String, String> out = new LinkedHashMap<>();
        if (obj == null) {
            return out;
        }
        String at = ptr(base, field);
        for (var e : obj.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isContainer()) {
                throw wrongType("a string", v, ptr(at, e.getKey()));
            }
            out.put(e.getKey(), v.asString());
        }
        return out;
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The scalar at {@code field} as text (numbers and booleans rendered); null if the parent or the
     * field is absent, JSON null or blank; an error if it is an object or array.
     */
    static String text(JsonNode parent, String field, String base) throws InvalidPayloadException {
        return parent == null ? null : firstNonBlank(scalar(parent, field, base));
    }

    /** Like {@link #text} but absent or blank is an error. */
    static String required(JsonNode parent, String field, String base) throws InvalidPayloadException {
        String v = text(parent, field, base);
        if (v == null) {
            throw new InvalidPayloadException("missing required field '" + field + "'", ptr(base, field));
        }
        return v;
    }

    /** A stable fingerprint from several fields: SHA-256 of the parts, NUL-separated, first 32 hex digits. */
    static String hash(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (String p : parts) {
            joined.append(p == null ? "" : p).append('\0');
        }
        return Digests.sha256Short(joined.toString());
    }

    /** Adds the label only when there is a value (null and blank are no value). */
    static void put(Map<String, String> labels, String key, String value) {
        if (value != null && !value.isBlank()) {
            labels.put(key, value);
        }
    }
}
