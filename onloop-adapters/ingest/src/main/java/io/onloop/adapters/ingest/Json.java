package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.InvalidPayloadException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Shared JSON reading for the parsers: strict, bounded, and with errors that say where. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxStringLength(1 << 20)
                            .maxNumberLength(64)
                            .build())
                    .build())
            // a member given twice is refused, as the API's bodies are: "last one wins" would read a PagerDuty event
            // with event_action trigger and resolve as whichever came last, and another reader may take the first
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Reads a JSON document that must be an object. */
    public static JsonNode object(byte[] body) throws InvalidPayloadException {
        JsonNode node = tree(body);
        if (!node.isObject()) {
            throw new InvalidPayloadException("expected a JSON object, got " + kind(node), "");
        }
        return node;
    }

    /** Reads any JSON document. */
    public static JsonNode tree(byte[] body) throws InvalidPayloadException {
        if (body == null || body.length == 0) {
            throw new InvalidPayloadException("empty body: expected a JSON document", "");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new InvalidPayloadException("empty body: expected a JSON document", "");
            }
            return node;
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InvalidPayloadException("malformed JSON" + where + ": " + plain(e.getOriginalMessage()), "", e);
        }
    }

    /** Jackson's message without its " (start marker at [Source: ...])" tail, which says nothing to a sender. */
    private static String plain(String message) {
        int cut = message == null ? -1 : message.indexOf(" (start marker at [Source");
        return cut < 0 ? message : message.substring(0, cut);
    }

    /** Most warnings about unreadable times one payload gets: a broken template would say it for every alert. */
    static final int MAX_TIME_WARNINGS = 5;

    /**
     * {@link #instant(String)}, and a warning in {@code warnings} saying where when a time is there but unreadable:
     * the event then takes another time the payload gives, or the time it arrived, which the sender should hear about
     * in the 202. The cap counts every warning of the payload, which holds few others.
     */
    static Instant instant(String value, String pointer, List<String> warnings) {
        Instant t = instant(value);
        if (t == null && value != null && !value.isBlank() && warnings.size() < MAX_TIME_WARNINGS) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            warnings.add(pointer + ": \"" + shown + "\" is not an RFC 3339 timestamp and was ignored");
        }
        return t;
    }

    /** Parses an RFC 3339 / ISO-8601 timestamp; null if absent or unparseable (times are advisory). */
    public static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Instant common = rfc3339(v);
        if (common != null) {
            return common;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * The shape nearly every source sends, {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)}, read by hand:
     * java.time's general parser was 7% of an ingest request's CPU (docs/benchmarks.md). Null for anything
     * else, which the general parser then reads as before.
     */
    static Instant rfc3339(String v) {
        int n = v.length();
        if (n < 20 || v.charAt(4) != '-' || v.charAt(7) != '-' || v.charAt(10) != 'T' || v.charAt(13) != ':'
                || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4), month = digits(v, 5, 2), day = digits(v, 8, 2);
        int hour = digits(v, 11, 2), minute = digits(v, 14, 2), second = digits(v, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (v.charAt(at) == '.') {
            int first = ++at;
            while (at < n && at - first < 9 && v.charAt(at) >= '0' && v.charAt(at) <= '9') {
                nanos = nanos * 10 + (v.charAt(at++) - '0');
            }
            if (at == first) {
                return null;
            }
            for (int i = at - first; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offset;
        if (at == n - 1 && v.charAt(at) == 'Z') {
            offset = 0;
        } else if (at == n - 6 && (v.charAt(at) == '+' || v.charAt(at) == '-') && v.charAt(at + 3) == ':') {
            int hours = digits(v, at + 1, 2), minutes = digits(v, at + 4, 2);
            if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offset = (v.charAt(at) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            return null; // e.g. 30 February or a leap second: the general parser decides
        }
    }

    /** The decimal number in {@code v[from, from + count)}, or -1 if any of them is not a digit. */
    private static int digits(String v, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
