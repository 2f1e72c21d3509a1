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
    }
}
