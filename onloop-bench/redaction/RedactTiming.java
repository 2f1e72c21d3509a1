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
        // an ordinary alert's raw payload (Alertmanager, one alert, nothing secret in it): what each costs per event
        String ordinary = "{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\",\"severity\":\"high\","
                + "\"instance\":\"api-7:9090\",\"job\":\"api\",\"namespace\":\"shop\",\"pod\":\"api-7\"},\"annotations\":"
                + "{\"summary\":\"p99 latency above 500 ms for 10 minutes\",\"runbook_url\":\"https://runbooks.example.com/api\"},"
                + "\"startsAt\":\"2026-11-25T03:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":"
                + "\"http://prometheus:9090/graph?g0.expr=histogram_quantile\",\"fingerprint\":\"3fa85f6457174562\"}";
        // a PagerDuty Events API v2 trigger: "routing_key" and "dedup_key" hold "key", so the members are always looked at
        String pagerDuty = "{\"routing_key\":\"R0UT1NGKEY000000000000000000000\",\"event_action\":\"trigger\","
                + "\"dedup_key\":\"srv01/HTTP\",\"payload\":{\"summary\":\"p99 latency above 500 ms on api-7\","
                + "\"source\":\"api-7.shop\",\"severity\":\"critical\",\"component\":\"api\",\"group\":\"shop\","
                + "\"class\":\"latency\",\"custom_details\":{\"p99_ms\":\"812\",\"region\":\"eu-west-1\"}},"
                + "\"links\":[{\"href\":\"https://grafana.example.com/d/api\",\"text\":\"dashboard\"}]}";
        for (String[] payload : new String[][]{{"ordinary alert, no secret-naming word", ordinary},
                {"PagerDuty trigger, its members looked at", pagerDuty}}) {
            for (int round = 0; round < 3; round++) {
                int n = 200_000;
                t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    SecretRedactor.redactPayload(payload[1]);
                }
                long whole = System.nanoTime() - t;
                t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    SecretRedactor.redact(payload[1]);
                }
                long alone = System.nanoTime() - t;
                System.out.printf("%s (%d bytes): redactPayload %.2f us, redact alone %.2f us per event%n",
                        payload[0], payload[1].length(), whole / 1e3 / n, alone / 1e3 / n);
            }
        }
        // an event's labels and texts (alerts.lua's alert), as EventNormalizer redacts them, per event
        String[][] labels = {{"alertname", "HighCPU"}, {"instance", "host-123:9100"}, {"job", "node"}, {"namespace", "team-3"},
                {"severity", "warning"}};
        String[] texts = {"HighCPU on host-123", "value is 45% over threshold", "http://prometheus:9090/graph?g0.expr=up",
                "host-123:9100", "host-123"};
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            int n = 300_000;
            t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                for (String[] l : labels) {
                    sink += SecretRedactor.redactLabel(l[0], l[1]).length();
                }
            }
            long l = System.nanoTime() - t;
            t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                for (String text : texts) {
                    sink += SecretRedactor.redact(text).length();
                }
            }
            System.out.printf("an event's 5 labels %.2f us, its 5 texts %.2f us (%d)%n", l / 1e3 / n,
                    (System.nanoTime() - t) / 1e3 / n, sink % 10);
        }
        // client command lines: after each "mysql" or "curl" the rules look at most 256 characters ahead
        for (String[] p : new String[][]{{"mysql -p ", "mysql -p ".repeat(1024 * 1024 / 9)},
                {"curl -u x ", "curl -u x ".repeat(1024 * 1024 / 10)}}) {
            t = System.nanoTime();
            SecretRedactor.redact(p[1]);
            System.out.printf("now, 1 MiB of %s repeats: SecretRedactor.redact %.3f s%n", p[0], (System.nanoTime() - t) / 1e9);
        }
    }
}
