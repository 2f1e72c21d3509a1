package io.onloop.domain.privacy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in free text with typed placeholders such as {@code [REDACTED:private-key]}.
 * Used on raw payloads before they are stored and on anything logged. It is one-way: the
 * reversible, placeholder-mapping redaction for LLM prompts builds on these same patterns.
 */
public final class SecretRedactor {

    /**
     * A kind of secret: the pattern, which group holds the secret (0 = the whole match), and a cheap
     * test on the lower-cased text that must pass before the pattern is run at all. Most alert text
     * holds no secret, and the substring tests cost a fraction of the regular expressions.
     */
    public record Rule(String type, Pattern pattern, int group, Predicate<String> mayMatch) {
    }

    private static Predicate<String> anyOf(String... hints) {
        return lower -> {
            for (String hint : hints) { // a loop, not a stream: this runs some twenty times for every text of every event
                if (lower.contains(hint)) {
                    return true;
                }
            }
            return false;
        };
    }

    // Values stop at a backslash, so a secret inside JSON that is itself a JSON string keeps its \" escapes.
    /**
     * onloop's own API ({@code olt_}) and ingest source ({@code ols_}) tokens: 32 random bytes in base64url. Not
     * inside a longer word, except right after a percent-escape ({@code token%3Dols_...} in an encoded URL).
     */
    static final Pattern ONLOOP_TOKEN = Pattern.compile(
            "(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}))ol[ts]_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");

    /**
     * The password of {@code scheme://user:password@host} (or {@code scheme://:password@host}, as Redis has it): up
     * to the last {@code @} before the host, so a password holding {@code /} or {@code @} (base64, or typed unencoded)
     * is not cut short; not a port followed by a path or query ({@code https://registry:443/@scope/pkg}); bounded, so
     * a long run of text without a host costs little.
     */
    static final Pattern CONNECTION_PASSWORD = Pattern.compile(
            "\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^:/\\s@\"']{0,256}:(?!\\d{1,5}(?:[/?#]|$))([^\\s\"'<>]{1,256})@(?=[^\\s@/\"'<>]{0,255}(?:[/?#\\s\"'<>]|$))");

    /**
     * Secret API keys with a recognizable prefix: OpenAI and Anthropic ({@code sk-}, {@code sk-proj-},
     * {@code sk-ant-api03-}), Stripe ({@code sk_live_}, {@code rk_live_}). With a digit and a capital letter in it:
     * Kubernetes names such as {@code sk-learn-training-job-runner} are lower case. Only where a run of key
     * characters starts: from every {@code sk-} inside "sk-sk-sk-..." the look-aheads would scan to the run's end.
     */
    static final Pattern API_KEY = Pattern.compile(
            "(?<![A-Za-z0-9_-])(?:sk|rk)[-_](?:live[-_]|test[-_]|proj-|ant-api\\d\\d-)?(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}+");
    static final Pattern GCP_API_KEY = Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b");

    /**
     * A password given on a MySQL or MariaDB client's command line, {@code mysqldump -uroot -pS3cret db}, as a failed
     * backup job's alert quotes it: {@code -p} with the value attached (with a space it is the prompt, and not a
     * value; {@code -P} is the port). Only after such a client's name on the same line: {@code mkdir -p} is no password.
     */
    static final Pattern MYSQL_PASSWORD_OPTION = Pattern.compile(
            "\\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlpump|mariadb(?:-dump|-admin|-import|-check)?)"
                    + "\\b[^\\r\\n]{0,256}?\\s-p[\"']?([^\\s\"'`;|&]{1,256})");
    /** The password of {@code curl -u user:password} (or {@code --user}, or the value attached): after curl, on its line. */
    static final Pattern CURL_USER_PASSWORD = Pattern.compile(
            "\\bcurl\\b[^\\r\\n]{0,256}?\\s(?:-u|--user)(?:\\s++|=)?[\"']?[^\\s:\"']{1,128}:([^\\s\"']{1,256})");

    /**
     * {@code password: x}, {@code "token"="x"}, {@code password='x y'}: the name, then the value (JSON's {@code null},
     * {@code true} and {@code false} are none to hide). A quoted value is all
     * of it, spaces and {@code &} included, to its closing quote on the same line (at most 256 characters; JSON's
     * escapes inside it, or, when the quote itself is escaped as in JSON inside JSON, to that escaped quote). It does
     * not begin with a space: {@code msg="bad token: " err=...} is a quote closing, not opening. A value that is not
     * quoted, or whose quote does not close, ends at a space or a separator.
     */
    static final String NAMED_VALUE = "\\\\?[\"']?\\s*[:=]\\s*\\\\?[\"']?("
            + "(?<=\\\\\")(?!\\s)[^\"\\\\\\r\\n]{1,256}+(?=\\\\\")"
            + "|(?<=[^\\\\]\")(?!\\s)(?:[^\"\\\\\\r\\n]|\\\\[^\\r\\n]){1,256}+(?=\")"
            + "|(?<=')(?!\\s)[^'\\\\\\r\\n]{1,256}+(?=')"
            + "|(?!(?:null|true|false)(?![^\\s\"'\\\\,;&}]))[^\\s\"'\\\\,;&}]{3,}+)";

    public static final List<Rule> RULES = List.of(
            new Rule("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"), 0, anyOf("eyj")),
            new Rule("aws-access-key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), 0, anyOf("akia", "asia")),
            new Rule("github-token", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"), 0, anyOf("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
            new Rule("onloop-token", ONLOOP_TOKEN, 0, anyOf("olt_", "ols_")),
            new Rule("slack-token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0, anyOf("xox")),
            new Rule("webhook-url", Pattern.compile(
                    "https://(?:hooks\\.slack\\.com/services|[a-z0-9.-]+\\.webhook\\.office\\.com/webhookb2|outlook\\.office(?:365)?\\.com/webhook|discord(?:app)?\\.com/api/webhooks)/[^\\s\"'<>\\\\]+"), 0,
                    anyOf("hooks.slack.com", "webhook.office.com", "outlook.office", "discord")),
            // a signed URL's signature (Azure Logic Apps and SAS URLs, sig=...): whoever has it may call the URL
            new Rule("url-signature", Pattern.compile("[?&](?:sig|signature|x-amz-signature)=([^&\\s\"'<>#]{8,})", Pattern.CASE_INSENSITIVE), 1,
                    anyOf("sig")),
            new Rule("connection-password", CONNECTION_PASSWORD, 1, lower -> lower.contains("://") && lower.indexOf('@') >= 0),
            // a token has a digit in it or is long: "bearer authentication failed" is ordinary text
            new Rule("bearer-token", Pattern.compile(
                    "(?i)\\bbearer\\s+((?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{20,})"), 1, anyOf("bearer")),
            // HTTP Basic credentials (base64 of user:password); as for bearer, "basic authentication" is ordinary text
            new Rule("basic-credentials", Pattern.compile(
                    "(?i)\\bbasic\\s+((?=[A-Za-z+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}|[A-Za-z0-9+/]{20,}={0,2})"), 1, anyOf("basic")),
            // after the bearer and basic rules: "Bearer sk-..." is a bearer token
            new Rule("api-key", API_KEY, 0, anyOf("sk-", "sk_", "rk-", "rk_")),
            new Rule("gcp-api-key", GCP_API_KEY, 0, anyOf("aiza")),
            new Rule("password", MYSQL_PASSWORD_OPTION, 1, lower -> lower.contains(" -p") && (lower.contains("mysql")
                    || lower.contains("mariadb"))),
            new Rule("password", CURL_USER_PASSWORD, 1, lower -> lower.contains("curl") && lower.contains("-u")),
            new Rule("password", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])[A-Za-z0-9]{0,20}(?:passwords?|passwd|pwd|secret|secret[_-]?key|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|aws_secret_access_key|token|credentials?|private[_-]?key|passphrase)" + NAMED_VALUE), 1,
                    anyOf("pass", "pwd", "secret", "key", "token", "credential")),
            // the word alone or after a separator ("db_pass"): "bypass: on" and "compass=north" are not passwords
            new Rule("password", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])(?:[A-Za-z0-9]{0,20}[_-])?pass" + NAMED_VALUE), 1, anyOf("pass")));

    /**
     * A name whose value is a secret whatever it looks like: {@code password}, {@code db_password}, {@code api_key},
     * {@code client_secret}, and their plurals and short forms ({@code db_secrets}, {@code creds}, {@code jwt}). Not
     * {@code secret} or {@code secrets} alone: kube-state-metrics and cert-manager name a Kubernetes Secret
     * with it, and routes, silences and grouping match on that name.
     */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)^(?:[A-Za-z0-9_.-]{0,100}(?:passwords?|passwd|passphrase|(?:secret|api|access|private|ssh|signing|"
                    + "encryption|master)[_-]?keys?|apikeys?|token|credentials?|creds|jwt|authorization|bearer|cookie|"
                    + "connection[_-]?strings?|webhook[_-]?url|session[_-]?id|secret[_-]?access|signature)"
                    + "|[A-Za-z0-9_.-]{1,100}secrets?"
                    + "|(?:[A-Za-z0-9_.-]{0,100}[_.-])?(?:pass|pwd))$");

    private SecretRedactor() {
    }

    /**
     * Whether a label or field of this name holds a secret, so that its whole value is one. Spaces count as separators
     * ({@code DB Password}), and so does the part after the last {@code /} or {@code :} on its own (Kubernetes-style
     * {@code app.example.com/db-password}, {@code vault:password}).
     */
    public static boolean secretName(String name) {
        // the words first: most names hold none, and the expression tries each of its words at each of 100 starts
        if (name == null || name.length() > 128 || !MAY_NAME_A_SECRET.test(name.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String words = name.replace(' ', '_');
        int last = Math.max(words.lastIndexOf('/'), words.lastIndexOf(':'));
        return SECRET_NAME.matcher(words).matches()
                || last >= 0 && SECRET_NAME.matcher(words.substring(last + 1)).matches();
    }

    /** A label's value: all of it when the label's name says it is a secret, else what {@link #redact} finds in it. */
    public static String redactLabel(String name, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return secretName(name) ? "[REDACTED:password]" : redact(value);
    }

    /**
     * Labels as {@link #redactLabel} has them, and the values of those whose names say they are secrets, of 4 characters
     * or more: the same value elsewhere (a title quoting the password, another label) is the same secret
     * ({@link #withoutValues}). One look at each name: this runs for every label of every event.
     */
    public record RedactedLabels(Map<String, String> labels, Set<String> secretValues) {
    }

    public static RedactedLabels redactLabels(Map<String, String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> secrets = new HashSet<>();
        labels.forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                out.put(name, value);
            } else if (secretName(name)) {
                out.put(name, "[REDACTED:password]");
                if (value.length() >= 4 && !value.startsWith("[REDACTED:")) {
                    secrets.add(value);
                }
            } else {
                out.put(name, redact(value));
            }
        });
        return new RedactedLabels(out, secrets);
    }

    /** {@code text} with each of {@code values} (and its JSON-escaped form) replaced, the longest first. */
    public static String withoutValues(String text, Set<String> values) {
        if (text == null || text.isEmpty() || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : values.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
            out = out.replace(v, "[REDACTED:password]");
            String escaped = v.replace("\\", "\\\\").replace("\"", "\\\"");
            if (!escaped.equals(v)) {
                out = out.replace(escaped, "[REDACTED:password]");
            }
        }
        return out;
    }

    /** A word every name {@link #SECRET_NAME} matches holds, lower case. */
    private static final Predicate<String> MAY_NAME_A_SECRET = anyOf("pass", "pwd", "secret", "key", "token", "cred", "jwt",
            "signature",
            "authorization", "bearer", "cookie", "connection", "webhook", "session");

    /**
     * A string or number member of a JSON object, {@code "name":"value"} or {@code "name":1234}, as Jackson writes it;
     * a name of at most 128 characters (as
     * {@link #secretName} takes)
     * with no escapes (a secret's name has none). Possessive, and a quote inside a string value is escaped, so no value
     * is taken for a name, and a hostile run of escaped quotes costs one pass, not one per quote.
     */
    private static final Pattern JSON_MEMBER = Pattern.compile(
            "\"([^\"\\\\]{1,128}+)\"\\s*+:\\s*+(?:\"((?:[^\"\\\\]|\\\\.)*+)\"|(-?[0-9][0-9.eE+-]{0,64}+))");

    /**
     * A raw payload (JSON text as its sender wrote it, or any text): the value of every member whose name says it is a
     * secret ({@link #secretName}, as for labels: {@code "authorization":"Bearer abc"}, {@code "session_id":"..."}),
     * then whatever {@link #redact} finds. Before, such values were redacted in the labels but kept in the payload
     * whenever they did not look like a secret on their own.
     */
    public static String redactPayload(String payload) {
        if (payload == null || payload.isEmpty()) {
            return payload;
        }
        String lower = payload.toLowerCase(Locale.ROOT);
        if (!MAY_NAME_A_SECRET.test(lower)) {
            return redact(payload, lower); // no member's name can say it is a secret: skip the pass over every member
        }
        Matcher m = JSON_MEMBER.matcher(payload);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String string = m.group(2);
            if (secretName(m.group(1)) && (string == null || !string.isEmpty() && !string.startsWith("[REDACTED:"))) {
                if (out == null) {
                    out = new StringBuilder(payload.length());
                }
                // a number (a PIN) becomes a string, so that the payload stays valid JSON
                int value = string == null ? 3 : 2;
                out.append(payload, last, m.start(value)).append(string == null ? "\"[REDACTED:password]\"" : "[REDACTED:password]");
                last = m.end(value);
            }
        }
        String named = out == null ? payload : out.append(payload, last, payload.length()).toString();
        return redact(named, named == payload ? lower : null);
    }

    public static String redact(String text) {
        return redact(text, null);
    }

    /** {@code lowerText}: {@code text} in lower case, if the caller has it already (else null). */
    private static String redact(String text, String lowerText) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = redactPrivateKeys(text);
        String lower = out == text && lowerText != null ? lowerText : out.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.mayMatch().test(lower)) {
                out = replace(out, rule);
            }
        }
        return out;
    }

    /**
     * The PEM-style private key blocks in {@code text} (RSA, EC, OpenSSH, PKCS#8, PGP's "PRIVATE KEY BLOCK"), as
     * [start, end) pairs in order; one without its END line runs to the end of the text (an alert cut short must not
     * let half a key out). Found by a forward scan rather than a regular expression: a lazy "BEGIN.*?END" regex
     * rescans to the end of the text for every BEGIN without an END, which a hostile 1 MiB payload turns into
     * minutes of CPU. Here each BEGIN is looked at once.
     */
    static List<int[]> privateKeys(String text) {
        List<int[]> out = new java.util.ArrayList<>();
        int from = 0;
        int begin;
        while ((begin = text.indexOf("-----BEGIN ", from)) >= 0) {
            int headerEnd = text.indexOf("-----", begin + 11);
            if (headerEnd < 0) {
                break;
            }
            String label = text.substring(begin + 11, headerEnd);
            if (label.length() > 40 || !label.toUpperCase(Locale.ROOT).contains("PRIVATE KEY")) {
                from = headerEnd; // a certificate or other PEM block: not a secret
                continue;
            }
            int end = text.indexOf("-----END ", headerEnd + 5);
            int close = end < 0 ? -1 : text.indexOf("-----", end + 9);
            if (close < 0) {
                out.add(new int[]{begin, text.length()});
                break;
            }
            out.add(new int[]{begin, close + 5});
            from = close + 5;
        }
        return out;
    }

    static String redactPrivateKeys(String text) {
        return replacePrivateKeys(text, key -> "[REDACTED:private-key]");
    }

    /** The text with each private key block ({@link #privateKeys}) replaced by what {@code with} makes of it. */
    static String replacePrivateKeys(String text, java.util.function.UnaryOperator<String> with) {
        if (!text.contains("PRIVATE KEY")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (int[] key : privateKeys(text)) {
            out.append(text, last, key[0]).append(with.apply(text.substring(key[0], key[1])));
            last = key[1];
        }
        return out.append(text, last, text.length()).toString();
    }

    private static String replace(String text, Rule rule) {
        Matcher m = rule.pattern().matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        do {
            if (m.group(rule.group()) == null || m.group(rule.group()).startsWith("[REDACTED:")) {
                continue; // already redacted by a rule that knew better what it is
            }
            sb.append(text, last, m.start(rule.group())).append("[REDACTED:").append(rule.type()).append(']');
            last = m.end(rule.group());
        } while (m.find());
        return sb.append(text, last, text.length()).toString();
    }
}
