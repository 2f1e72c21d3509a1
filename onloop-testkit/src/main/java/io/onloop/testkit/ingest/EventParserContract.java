package io.onloop.testkit.ingest;

import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.ParseResult;
import io.onloop.domain.ingest.SignatureRejectedException;
import io.onloop.domain.ingest.SourceSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The behaviour every {@link EventParser} must show, proved the same way for each format:
 * documented samples parse, the output keeps its invariants, and no input at all makes the parser
 * throw anything but {@link InvalidPayloadException} or {@link SignatureRejectedException}.
 * <p>
 * The fuzz is seeded and reproducible: a failure names the seed and the iteration. Run again with
 * {@code -Donloop.fuzz.seed=<seed>} to replay a different stream.
 */
public abstract class EventParserContract {

    /** A valid payload and the least number of alerts it must yield. */
    public record Sample(String name, byte[] body, int minAlerts) {
        public static Sample of(String name, byte[] body, int minAlerts) {
            return new Sample(name, body, minAlerts);
        }

        public static Sample resource(String classpathPath, int minAlerts) {
            return new Sample(classpathPath, EventParserContract.resource(classpathPath), minAlerts);
        }
    }

    protected abstract EventParser parser();

    protected abstract List<Sample> validSamples();

    /** Settings the samples and the fuzz are parsed with. */
    protected SourceSettings settings() {
        return SourceSettings.DEFAULT;
    }

    protected int fuzzIterations() {
        return 2_000;
    }

    protected IngestRequest request(byte[] body) {
        return new IngestRequest(body, Map.of(), settings());
    }

    public static byte[] resource(String classpathPath) {
        try (InputStream in = EventParserContract.class.getClassLoader().getResourceAsStream(classpathPath)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + classpathPath);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void parsesEveryValidSample() throws Exception {
        assertThat(validSamples()).as("a parser test needs at least one documented sample").isNotEmpty();
        for (Sample sample : validSamples()) {
            ParseResult result = parser().parse(request(sample.body()));
            assertThat(result.alerts()).as(sample.name()).hasSizeGreaterThanOrEqualTo(sample.minAlerts());
            result.alerts().forEach(a -> assertInvariants(sample.name(), a));
        }
    }

    @Test
    void parsingIsDeterministic() throws Exception {
        for (Sample sample : validSamples()) {
            var first = parser().parse(request(sample.body())).alerts();
            var second = parser().parse(request(sample.body())).alerts();
            assertThat(second).as(sample.name()).isEqualTo(first);
        }
    }

    @Test
    void fuzzedInputOnlyEverFailsAsInvalidPayloadOrRejectedSignature() {
        long seed = Long.getLong("onloop.fuzz.seed", 0x0_1007L);
        Random random = new Random(seed);
        List<byte[]> samples = validSamples().stream().map(Sample::body).toList();
        for (int i = 0; i < fuzzIterations(); i++) {
            byte[] input = Mutations.next(random, samples);
            try {
                for (NormalizedAlert alert : parser().parse(request(input)).alerts()) {
                    assertInvariants("fuzz #" + i, alert);
                }
            } catch (InvalidPayloadException e) {
                assertThat(e.getMessage()).as("fuzz #%d: an invalid payload must say what is wrong", i).isNotBlank();
                assertThat(e.pointer()).isNotNull();
            } catch (SignatureRejectedException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("seed " + seed + ", iteration " + i + ": parser threw " + t + " for input (base64) "
                        + Base64.getEncoder().encodeToString(Arrays.copyOf(input, Math.min(input.length, 4096))), t);
            }
        }
    }

    private static void assertInvariants(String where, NormalizedAlert alert) {
        assertThat(alert.fingerprint()).as(where + ": fingerprint").isNotBlank();
        assertThat(alert.status()).as(where + ": status").isNotNull();
        assertThat(alert.severity()).as(where + ": severity").isNotNull();
        assertThat(alert.title()).as(where + ": title").isNotNull();
        assertThat(alert.resource()).as(where + ": resource").isNotNull();
    }

    /** Ways to break a valid payload, each picked at random. Works on the text: no JSON library here. */
    static final class Mutations {
        private static final String[] REPLACEMENTS = {"123", "-1.5e308", "0", "\"\"", "\"x\"", "null", "true",
                "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"\\u0000\"", "\"\\ud800\"", "1e999999"};

        private Mutations() {
        }

        static byte[] next(Random random, List<byte[]> samples) {
            byte[] base = samples.get(random.nextInt(samples.size()));
            return switch (random.nextInt(8)) {
                case 0 -> randomBytes(random);
                case 1 -> Arrays.copyOf(base, random.nextInt(base.length + 1));
                case 2 -> flipBytes(random, base);
                case 3 -> deeplyNested(random);
                default -> swapValue(random, base);
            };
        }

        private static byte[] randomBytes(Random random) {
            byte[] b = new byte[random.nextInt(256)];
            random.nextBytes(b);
            return b;
        }

        private static byte[] flipBytes(Random random, byte[] base) {
            byte[] b = base.clone();
            int flips = 1 + random.nextInt(6);
            for (int i = 0; i < flips && b.length > 0; i++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            return b;
        }

        private static byte[] deeplyNested(Random random) {
            int depth = 50 + random.nextInt(5_000);
            boolean objects = random.nextBoolean();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                sb.append(objects ? "{\"alerts\":" : "[");
            }
            sb.append("1");
            for (int i = 0; i < depth; i++) {
                sb.append(objects ? "}" : "]");
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Replaces the value of one random member (or renames its key) with a value of another type. */
        private static byte[] swapValue(Random random, byte[] base) {
            String s = new String(base, StandardCharsets.UTF_8);
            List<int[]> values = valueSpans(s);
            if (values.isEmpty()) {
                return flipBytes(random, base);
            }
            int[] span = values.get(random.nextInt(values.size()));
            String replacement = switch (random.nextInt(6)) {
                case 0 -> "\"" + "x".repeat(50_000 + random.nextInt(200_000)) + "\"";
                case 1 -> s.substring(span[0], span[1]).replace("\"", "");
                default -> REPLACEMENTS[random.nextInt(REPLACEMENTS.length)];
            };
            if (random.nextInt(5) == 0 && span[2] >= 0) {
                // rename the key instead: the member goes missing
                return (s.substring(0, span[2]) + "\"_gone_\"" + s.substring(span[3])).getBytes(StandardCharsets.UTF_8);
            }
            return (s.substring(0, span[0]) + replacement + s.substring(span[1])).getBytes(StandardCharsets.UTF_8);
        }

        /** [valueStart, valueEnd, keyStart, keyEnd] of every object member value and array element. */
        static List<int[]> valueSpans(String s) {
            List<int[]> spans = new ArrayList<>();
            int lastKeyStart = -1;
            int lastKeyEnd = -1;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    int end = stringEnd(s, i);
                    lastKeyStart = i;
                    lastKeyEnd = end;
                    i = end - 1;
                } else if (c == ':' || c == '[' || c == ',') {
                    int start = skipSpace(s, i + 1);
                    if (start < s.length() && s.charAt(start) != ']' && s.charAt(start) != '}') {
                        int end = valueEnd(s, start);
                        boolean member = c == ':';
                        spans.add(new int[]{start, end, member ? lastKeyStart : -1, member ? lastKeyEnd : -1});
                    }
                }
            }
            return spans;
        }

        private static int skipSpace(String s, int i) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return i;
        }

        private static int stringEnd(String s, int open) {
            for (int i = open + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i + 1;
                }
            }
            return s.length();
        }

        private static int valueEnd(String s, int start) {
            char c = s.charAt(start);
            if (c == '"') {
                return stringEnd(s, start);
            }
            if (c == '{' || c == '[') {
                int depth = 0;
                for (int i = start; i < s.length(); i++) {
                    char d = s.charAt(i);
                    if (d == '"') {
                        i = stringEnd(s, i) - 1;
                    } else if (d == '{' || d == '[') {
                        depth++;
                    } else if ((d == '}' || d == ']') && --depth == 0) {
                        return i + 1;
                    }
                }
                return s.length();
            }
            int i = start;
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return i;
        }
    }
}
