package io.onloop.domain.privacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reversible redaction for text that leaves onloop (LLM prompts): each secret or piece of personal
 * data becomes a typed placeholder such as {@code <EMAIL_1>} or {@code <AWS_ACCESS_KEY_2>}; the same
 * value always gets the same placeholder within one instance, and the mapping stays here so the
 * answer can be shown with the real values ({@link #unmask}). One instance per request.
 * <p>
 * Always: private keys, JWTs, cloud and SaaS keys and tokens, passwords (also inside connection
 * strings), webhook and signed URLs, e-mail addresses, phone numbers. Optionally: IP addresses,
 * account ids (AWS account numbers, Azure subscription ids) and host names.
 */
public final class Pseudonymizer {

    /** Which optional kinds to mask; {@code knownHosts} are exact values (e.g. the event's host labels). */
    public record Options(boolean ips, boolean accountIds, boolean hostNames, List<String> knownHosts) {
        public static final Options DEFAULT = new Options(false, false, false, List.of());

        public Options {
            knownHosts = knownHosts == null ? List.of() : List.copyOf(knownHosts);
        }
    }

    private record Kind(String type, Pattern pattern, int group) {
    }

    /** Ordered: the most specific first, so a JWT is not first taken for a bearer token's tail. */
    private static final List<Kind> SECRETS = List.of(
            new Kind("JWT", Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"), 0),
            new Kind("AWS_ACCESS_KEY", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), 0),
            new Kind("GCP_API_KEY", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"), 0),
            new Kind("GITHUB_TOKEN", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"), 0),
            new Kind("SLACK_TOKEN", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0),
            new Kind("ONLOOP_TOKEN", SecretRedactor.ONLOOP_TOKEN, 0),
            new Kind("API_KEY", Pattern.compile("\\b(?:sk|rk|pk)[-_](?:live[-_]|test[-_]|proj-|ant-api\\d\\d-)?[A-Za-z0-9_-]{20,}"), 0),
            new Kind("WEBHOOK_URL", Pattern.compile(
                    "https://(?:hooks\\.slack\\.com/services|[a-z0-9.-]+\\.webhook\\.office\\.com/webhookb2|discord(?:app)?\\.com/api/webhooks|outlook\\.office\\.com/webhook)/[^\\s\"'<>\\\\]+"), 0),
            new Kind("CONNECTION_PASSWORD", Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^:/\\s@\"']+:([^@\\s/\"']+)@"), 1),
            new Kind("CONNECTION_KEY", Pattern.compile(
                    "(?i)\\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=([^;\\s\"']+)"), 1),
            new Kind("URL_SECRET", Pattern.compile(
                    "(?i)[?&](?:sig|signature|token|access_token|api[_-]?key|apikey|key|code|secret)=([^&\\s\"'<>#]+)"), 1),
            new Kind("BEARER_TOKEN", Pattern.compile(
                    "(?i)\\bbearer\\s+((?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{20,})"), 1),
            new Kind("PASSWORD", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])[A-Za-z0-9]{0,20}(?:password|passwd|pwd|secret|secret[_-]?key|api[_-]?key|access[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|aws_secret_access_key|token)\\\\?\"?\\s*[:=]\\s*\\\\?\"?([^\\s\"'\\\\,;&}]{3,})"), 1),
            new Kind("EMAIL", Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b"), 0),
            new Kind("PHONE", Pattern.compile(
                    "(?<![\\w.:/-])(?:\\+\\d{1,3}[\\s.-]?\\(?\\d{1,4}\\)?(?:[\\s.-]?\\d{2,4}){2,4}|\\(\\d{3}\\)\\s?\\d{3}[\\s.-]\\d{4}|\\d{3}[.-]\\d{3}[.-]\\d{4})(?![\\w:/-]|\\.\\d)"), 0));

    private static final Kind IPV4 = new Kind("IP", Pattern.compile(
            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?!\\d|\\.\\d)"), 0);
    private static final Kind IPV6 = new Kind("IP", Pattern.compile(
            "(?<![\\w:])(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}(?![\\w:])"), 0);
    private static final Kind AWS_ACCOUNT = new Kind("ACCOUNT_ID", Pattern.compile("(?<![\\d-])\\d{12}(?![\\d-])"), 0);
    private static final Kind AZURE_SUBSCRIPTION = new Kind("ACCOUNT_ID", Pattern.compile(
            "(?i)(?<=/subscriptions/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), 0);
    private static final Kind FQDN = new Kind("HOST", Pattern.compile(
            "(?i)\\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\\.(?:com|net|org|io|internal|local|lan|corp|cloud|dev|app|intra)\\b"), 0);
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Z][A-Z_]*_\\d+)>");

    private final List<Kind> kinds = new ArrayList<>();
    private final Map<String, String> byValue = new HashMap<>();
    private final Map<String, String> byPlaceholder = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final List<String> knownHosts;

    public Pseudonymizer(Options options) {
        kinds.addAll(SECRETS);
        if (options.ips()) {
            kinds.add(IPV4);
            kinds.add(IPV6);
        }
        if (options.accountIds()) {
            kinds.add(AZURE_SUBSCRIPTION);
            kinds.add(AWS_ACCOUNT);
        }
        if (options.hostNames()) {
            kinds.add(FQDN);
        }
        // longest first, so "db-1.prod" is replaced before "db-1"
        knownHosts = options.hostNames() ? options.knownHosts().stream().filter(h -> h.length() >= 3)
                .sorted((a, b) -> b.length() - a.length()).toList() : List.of();
    }

    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = maskPrivateKeys(text);
        for (Kind k : kinds) {
            out = replace(out, k);
        }
        for (String host : knownHosts) {
            if (out.contains(host)) {
                out = out.replace(host, placeholder("HOST", host));
            }
        }
        // a value found once (as "password=x" in one field) is masked wherever else it appears
        for (var known : byValue.entrySet().stream().filter(v -> v.getKey().length() >= 4)
                .sorted((a, b) -> b.getKey().length() - a.getKey().length()).toList()) {
            if (out.contains(known.getKey())) {
                out = out.replace(known.getKey(), "<" + known.getValue() + ">");
            }
        }
        return out;
    }

    /** Puts the original values back in place of the placeholders this instance made. */
    public String unmask(String text) {
        if (text == null || text.indexOf('<') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String original = byPlaceholder.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(original != null ? original : m.group()));
        }
        return m.appendTail(sb).toString();
    }

    /** placeholder (without brackets) -> original; never leaves the server. */
    public Map<String, String> mapping() {
        return Map.copyOf(byPlaceholder);
    }

    private String placeholder(String type, String value) {
        String existing = byValue.get(value);
        if (existing != null) {
            return "<" + existing + ">";
        }
        String name = type + "_" + counters.merge(type, 1, Integer::sum);
        byValue.put(value, name);
        byPlaceholder.put(name, value);
        return "<" + name + ">";
    }

    private String replace(String text, Kind k) {
        Matcher m = k.pattern().matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        do {
            String value = m.group(k.group());
            if (value == null || PLACEHOLDER.matcher(value).matches()) {
                continue;
            }
            sb.append(text, last, m.start(k.group())).append(placeholder(k.type(), value));
            last = m.end(k.group());
        } while (m.find());
        return sb.append(text, last, text.length()).toString();
    }

    /** PEM private keys by a forward scan (see SecretRedactor: no backtracking regex over 1 MiB). */
    private String maskPrivateKeys(String text) {
        if (!text.contains("PRIVATE KEY-----")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        int begin;
        while ((begin = text.indexOf("-----BEGIN ", from)) >= 0) {
            int headerEnd = text.indexOf("-----", begin + 11);
            if (headerEnd < 0) {
                break;
            }
            String label = text.substring(begin + 11, headerEnd).toUpperCase(Locale.ROOT);
            if (!label.endsWith("PRIVATE KEY") || label.length() > 40) {
                out.append(text, from, headerEnd); // a certificate or other PEM block: not a secret
                from = headerEnd;
                continue;
            }
            int end = text.indexOf("-----END ", headerEnd + 5);
            int close = end < 0 ? -1 : text.indexOf("PRIVATE KEY-----", end);
            if (close < 0) { // unterminated: mask the rest rather than let half a key out
                return out.append(text, from, begin).append(placeholder("PRIVATE_KEY", text.substring(begin))).toString();
            }
            close += "PRIVATE KEY-----".length();
            out.append(text, from, begin).append(placeholder("PRIVATE_KEY", text.substring(begin, close)));
            from = close;
        }
        return out.append(text, from, text.length()).toString();
    }
}
