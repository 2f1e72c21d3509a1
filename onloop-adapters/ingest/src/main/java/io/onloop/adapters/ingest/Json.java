package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.InvalidPayloadException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Shared JSON reading for the parsers: strict, bounded, and with errors that say where. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxStringLength(1 << 20)
                            .maxNumberLength(64)
                            .build())
                    .build())
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

    /** Parses an RFC 3339 / ISO-8601 timestamp; null if absent or unparseable (times are advisory). */
    public static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
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
