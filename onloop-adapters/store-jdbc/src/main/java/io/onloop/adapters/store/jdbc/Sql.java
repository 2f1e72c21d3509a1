package io.onloop.adapters.store.jdbc;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Small JDBC helpers shared by the stores: parameter binding, time and text conversions, cursors. */
final class Sql {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    /** Label values are indexed by their first characters only; see incident_labels in V1__schema.sql. */
    static final int VALUE_KEY_LENGTH = 128;

    /** A typed SQL NULL, for parameters whose Java value is null. */
    record Null(int sqlType) {
    }

    private Sql() {
    }

    static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            bind(ps, i + 1, params.get(i));
        }
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(index, Types.VARCHAR);
            case Null n -> ps.setNull(index, n.sqlType());
            case Instant t -> ps.setObject(index, time(t));
            case String s -> ps.setString(index, text(s));
            default -> ps.setObject(index, value);
        }
    }

    static Object uuidOrNull(UUID id) {
        return id == null ? new Null(Types.OTHER) : id;
    }

    static Object textOrNull(String s) {
        return s == null ? new Null(Types.VARCHAR) : s;
    }

    static Object timeOrNull(Instant t) {
        return t == null ? new Null(Types.TIMESTAMP_WITH_TIMEZONE) : t;
    }

    /** Both databases keep microseconds; truncating here makes what is read equal what was written. */
    static OffsetDateTime time(Instant t) {
        return OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    /**
     * PostgreSQL cannot store U+0000 in text, and sender text may contain it; both databases store
     * U+FFFD instead, so behaviour does not depend on the database.
     */
    static String text(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }

    static String valueKey(String value) {
        String v = text(value);
        if (v.length() <= VALUE_KEY_LENGTH) {
            return v;
        }
        int end = VALUE_KEY_LENGTH;
        if (Character.isHighSurrogate(v.charAt(end - 1))) {
            end--;
        }
        return v.substring(0, end);
    }

    static String labelsJson(Map<String, String> labels) {
        Map<String, String> clean = new TreeMap<>();
        labels.forEach((k, v) -> clean.put(text(k), text(v)));
        return JSON.writeValueAsString(clean);
    }

    /** One label as {@link #labelsJson} writes it among the others: {@code "name":"value"}. */
    static String labelJson(String name, String value) {
        return JSON.writeValueAsString(text(name)) + ":" + JSON.writeValueAsString(text(value));
    }

    /** {@code s} matched literally by LIKE ... ESCAPE '\': its escape character and wildcards escaped. */
    static String likeLiteral(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    static String stringsJson(List<String> values) {
        return JSON.writeValueAsString(values.stream().map(Sql::text).toList());
    }

    static List<String> strings(String json) {
        return json == null || json.isEmpty() ? List.of() : JSON.readValue(json, STRINGS);
    }

    static Map<String, String> labels(String json) {
        return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, LABELS);
    }

    /** A keyset cursor: the sort time (epoch microseconds) and id of the last row of a page. */
    record Cursor(Instant at, UUID id) {
        String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = s.indexOf(':');
                return new Cursor(Instant.EPOCH.plus(Long.parseLong(s.substring(0, colon)), ChronoUnit.MICROS),
                        UUID.fromString(s.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid cursor", e);
            }
        }
    }
}
