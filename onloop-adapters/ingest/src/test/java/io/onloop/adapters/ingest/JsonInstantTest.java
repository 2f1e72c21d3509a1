package io.onloop.adapters.ingest;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Json.instant reads the common RFC 3339 shape by hand; it must agree with java.time on every input. */
class JsonInstantTest {

    /** What Json.instant did before the hand-written path, kept here as the reference. */
    private static Instant javaTime(String value) {
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

    @Test
    void readsTheCommonShapes() {
        assertThat(Json.instant("2026-11-22T10:00:00Z")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(Json.instant("0001-01-01T00:00:00Z")).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(Json.instant("2026-11-22T10:00:00.123456789+05:30"))
                .isEqualTo(Instant.parse("2026-11-22T04:30:00.123456789Z"));
        assertThat(Json.instant("2026-11-22T10:00:00.5-08:00")).isEqualTo(Instant.parse("2026-11-22T18:00:00.500Z"));
        assertThat(Json.rfc3339("2026-11-22T10:00:00.123Z")).isEqualTo(Instant.parse("2026-11-22T10:00:00.123Z"));
    }

    @Test
    void leavesEverythingElseToJavaTime() {
        assertThat(Json.rfc3339("2026-02-30T10:00:00Z")).isNull(); // no such day
        assertThat(Json.instant("2026-02-30T10:00:00Z")).isNull();
        assertThat(Json.rfc3339("2026-11-22T10:00Z")).isNull(); // no seconds: java.time reads it
        assertThat(Json.instant("2026-11-22T10:00Z")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(Json.rfc3339("2026-11-22T10:00:00.1234567891Z")).isNull(); // ten fraction digits
        assertThat(Json.instant("2026-11-22T10:00:00.1234567891Z")).isNull();
        assertThat(Json.rfc3339("2026-11-22T10:00:00+19:00")).isNull(); // beyond ±18:00
        assertThat(Json.instant(" 2026-11-22T10:00:00Z ")).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    }

    /** Seeded: valid timestamps of many forms, then the same with a character changed, dropped or added. */
    @Test
    void agreesWithJavaTimeOnRandomAndMutatedTimestamps() {
        Random random = new Random(20261123);
        String alphabet = "0123456789-:.+TZtz ";
        int fastPathHits = 0;
        for (int i = 0; i < 50_000; i++) {
            String s = timestamp(random);
            if (random.nextInt(3) > 0) {
                StringBuilder b = new StringBuilder(s);
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> b.deleteCharAt(at);
                    default -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
                s = b.toString();
            }
            assertThat(Json.instant(s)).as(s).isEqualTo(javaTime(s));
            if (Json.rfc3339(s) != null) {
                fastPathHits++;
            }
        }
        assertThat(fastPathHits).as("inputs read by the hand-written path").isGreaterThan(12_000);
    }

    private static String timestamp(Random r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d", r.nextInt(10000),
                1 + r.nextInt(12), 1 + r.nextInt(31), r.nextInt(24), r.nextInt(60), r.nextInt(61)));
        if (r.nextBoolean()) {
            b.append('.');
            int digits = 1 + r.nextInt(10);
            for (int i = 0; i < digits; i++) {
                b.append((char) ('0' + r.nextInt(10)));
            }
        }
        switch (r.nextInt(3)) {
            case 0 -> b.append('Z');
            case 1 -> b.append(String.format(Locale.ROOT, "%c%02d:%02d", r.nextBoolean() ? '+' : '-', r.nextInt(20), r.nextInt(60)));
            default -> b.append(String.format(Locale.ROOT, "%c%02d:%02d", r.nextBoolean() ? '+' : '-', r.nextInt(15), 15 * r.nextInt(4)));
        }
        return b.toString();
    }
}
