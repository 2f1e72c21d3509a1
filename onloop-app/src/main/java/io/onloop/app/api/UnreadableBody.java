package io.onloop.app.api;

import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * What was wrong with a request body the API could not read, and where: a JSON Pointer to the member
 * for a value of the wrong kind, line and column for JSON that does not parse. Said in the API's
 * terms ("an RFC 3339 timestamp"), never with Java class names, which is what Jackson's messages hold.
 */
record UnreadableBody(String detail, String pointer, Integer line, Integer column) {
    private static final int MAX_QUOTED = 64;

    static UnreadableBody of(HttpMessageNotReadableException e) {
        if (!(e.getCause() instanceof JacksonException cause)) {
            // Spring's own refusals: a missing body ("Required request body is missing") or an unreadable stream.
            return new UnreadableBody(e.getCause() == null ? "a JSON body is required" : "the body could not be read",
                    "", null, null);
        }
        if (cause instanceof InputCoercionException c) { // well-formed, but a number out of the member's range
            String pointer = pointer(cause);
            return new UnreadableBody((pointer.isEmpty() ? "the body" : pointer) + ": expected "
                    + expected(c.getTargetType()) + " in range, got one out of it", pointer, null, null);
        }
        if (cause instanceof StreamReadException) {
            var at = cause.getLocation();
            boolean known = at != null && at.getLineNr() > 0;
            return new UnreadableBody("malformed JSON" + (known ? " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr() : "") + ": " + withoutSource(cause.getOriginalMessage()), "",
                    known ? at.getLineNr() : null, known ? at.getColumnNr() : null);
        }
        String pointer = pointer(cause);
        String where = pointer.isEmpty() ? "the body" : pointer;
        String detail = switch (cause) {
            case UnrecognizedPropertyException u -> where + ": not a member of this request" + members(u);
            case InvalidFormatException f -> where + ": expected " + expected(f.getTargetType()) + ", got "
                    + quoted(f.getValue());
            case MismatchedInputException m -> where + ": expected " + expected(m.getTargetType())
                    + (m.getCurrentToken() == null ? "" : ", got " + kind(m.getCurrentToken()));
            // A record's constructor refused the values; its message is ours and says why.
            case ValueInstantiationException v when v.getCause() instanceof IllegalArgumentException iae ->
                    where + ": " + iae.getMessage();
            default -> where + ": could not be read";
        };
        return new UnreadableBody(detail, pointer, null, null);
    }

    private static String members(UnrecognizedPropertyException u) {
        if (u.getKnownPropertyIds() == null || u.getKnownPropertyIds().isEmpty()) {
            return "";
        }
        return " (it has " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    /** RFC 6901: members by name ({@code ~} and {@code /} escaped), array elements by index. */
    private static String pointer(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                out.append('/').append(ref.getPropertyName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                out.append('/').append(ref.getIndex());
            }
        }
        return out.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 timestamp such as 2026-01-31T12:00:00Z";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration such as PT1H";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "a value of another kind";
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The sender's own value, cut short: it goes back only to the sender, as a JSON string. */
    private static String quoted(Object value) {
        if (!(value instanceof String s)) {
            return String.valueOf(value);
        }
        return "\"" + (s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s) + "\"";
    }

    /** Jackson's message without its " (start marker at [Source: ...])" tail, which says nothing to a sender. */
    private static String withoutSource(String message) {
        if (message == null) {
            return "unexpected input";
        }
        int cut = message.indexOf(" (start marker at [Source");
        return cut < 0 ? message : message.substring(0, cut);
    }
}
