package io.onloop.adapters.ingest;

import io.onloop.domain.ingest.InvalidPayloadException;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * What the Grafana, Datadog, PagerDuty, Kubernetes and CloudEvents parsers need on top of
 * {@link JsonFields}: optional parents, blank-as-absent text, and fingerprints from several fields.
 */
final class Nodes {
    private Nodes() {
    }

    /**
     * The scalar at {@code field} as text (numbers and booleans rendered); null if the parent or the
     * field is absent, JSON null or blank; an error if it is an object or array.
     */
    static String text(JsonNode parent, String field, String base) throws InvalidPayloadException {
        return parent == null ? null : JsonFields.firstNonBlank(JsonFields.scalar(parent, field, base));
    }

    /** Like {@link #text} but absent or blank is an error. */
    static String required(JsonNode parent, String field, String base) throws InvalidPayloadException {
        String v = text(parent, field, base);
        if (v == null) {
            throw new InvalidPayloadException("missing required field '" + field + "'", JsonFields.ptr(base, field));
        }
        return v;
    }

    /** A stable fingerprint from several fields: SHA-256 of the parts, NUL-separated, first 32 hex digits. */
    static String hash(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (String p : parts) {
            joined.append(p == null ? "" : p).append('\0');
        }
        return JsonFields.sha256(joined.toString()).substring(0, 32);
    }

    /** Adds the label only when there is a value. */
    static void put(Map<String, String> labels, String key, String value) {
        if (value != null) {
            labels.put(key, value);
        }
    }
}
