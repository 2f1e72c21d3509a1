// Worst-case cost of secret redaction on hostile text (docs/benchmarks.md, "Redaction: hostile input").
// Run from the repository root after a build:
//   java -cp onloop-domain/target/classes onloop-bench/redaction/RedactTiming.java
import io.onloop.domain.privacy.Pseudonymizer;
import io.onloop.domain.privacy.SecretRedactor;
import java.util.regex.Pattern;

public class RedactTiming {
    public static void main(String[] a) {
        // the API-key pattern as it was at 867aa4c (before the review fix), for comparison
        Pattern old = Pattern.compile("\\b(?:sk|rk)[-_](?:live[-_]|test[-_]|proj-|ant-api\\d\\d-)?(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}");
        for (int kb : new int[]{10, 40, 160}) {
            String s = "sk-".repeat(kb * 1024 / 3);
            long t = System.nanoTime();
            old.matcher(s).find();
            System.out.printf("old pattern, %d KB: %.2f s%n", kb, (System.nanoTime() - t) / 1e9);
        }
        String mib = "sk-".repeat(1024 * 1024 / 3);
        for (int run = 0; run < 3; run++) {
            long t = System.nanoTime();
            SecretRedactor.redact(mib);
            long r = System.nanoTime() - t;
            t = System.nanoTime();
            new Pseudonymizer(Pseudonymizer.Options.DEFAULT).mask(mib);
            System.out.printf("now, 1 MiB: SecretRedactor.redact %.3f s, Pseudonymizer.mask %.3f s%n", r / 1e9, (System.nanoTime() - t) / 1e9);
        }
        String conn = "ab://u:".repeat(1024 * 1024 / 7) + "@h";
        long t = System.nanoTime();
        SecretRedactor.redact(conn);
        System.out.printf("now, 1 MiB of ab://u: repeats then @h: SecretRedactor.redact %.2f s%n", (System.nanoTime() - t) / 1e9);
        // raw payloads also have their members named as secrets redacted (redactPayload): its worst cases beside redact
        String[][] payloads = {
                {"\"a\":\" then escaped quotes", "\"a\":\"" + "\\\"".repeat(512 * 1024)},
                {"a\\\":\\\" repeats", "\"" + "a\\\":\\\"".repeat(1024 * 1024 / 6)},
                {"\":\" repeats", "\":\"".repeat(1024 * 1024 / 3)},
                {"\"password\":\"x\", repeats", "\"password\":\"x\",".repeat(1024 * 1024 / 15)}};
        for (String[] p : payloads) {
            long best = Long.MAX_VALUE;
            long bestRedact = Long.MAX_VALUE;
            for (int run = 0; run < 3; run++) {
                t = System.nanoTime();
                SecretRedactor.redactPayload(p[1]);
                best = Math.min(best, System.nanoTime() - t);
                t = System.nanoTime();
                SecretRedactor.redact(p[1]);
                bestRedact = Math.min(bestRedact, System.nanoTime() - t);
            }
            System.out.printf("now, 1 MiB of %s: redactPayload %.3f s, redact alone %.3f s (best of 3)%n", p[0], best / 1e9,
                    bestRedact / 1e9);
        }
    }
}
