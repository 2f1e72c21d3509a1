package io.onloop.domain.privacy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
        return lower -> Arrays.stream(hints).anyMatch(lower::contains);
    }

    // Values stop at a backslash, so a secret inside JSON that is itself a JSON string keeps its \" escapes.
    /**
     * onloop's own API ({@code olt_}) and ingest source ({@code ols_}) tokens: 32 random bytes in base64url. Not
     * inside a longer word, except right after a percent-escape ({@code token%3Dols_...} in an encoded URL).
     */
    static final Pattern ONLOOP_TOKEN = Pattern.compile(
            "(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}))ol[ts]_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");

    public static final List<Rule> RULES = List.of(
            new Rule("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}"), 0, anyOf("eyj")),
            new Rule("aws-access-key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), 0, anyOf("akia", "asia")),
            new Rule("github-token", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"), 0, anyOf("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
            new Rule("onloop-token", ONLOOP_TOKEN, 0, anyOf("olt_", "ols_")),
            new Rule("slack-token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0, anyOf("xox")),
            new Rule("webhook-url", Pattern.compile(
                    "https://(?:hooks\\.slack\\.com/services|[a-z0-9.-]+\\.webhook\\.office\\.com/webhookb2|discord(?:app)?\\.com/api/webhooks)/[^\\s\"'<>\\\\]+"), 0,
                    anyOf("hooks.slack.com", "webhook.office.com", "discord")),
            new Rule("connection-password", Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^:/\\s@\"']+:([^@\\s/\"']+)@"), 1,
                    lower -> lower.contains("://") && lower.indexOf('@') >= 0),
            // a token has a digit in it or is long: "bearer authentication failed" is ordinary text
            new Rule("bearer-token", Pattern.compile(
                    "(?i)\\bbearer\\s+((?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{20,})"), 1, anyOf("bearer")),
            new Rule("password", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])[A-Za-z0-9]{0,20}(?:password|passwd|pwd|secret|secret[_-]?key|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|aws_secret_access_key)\\\\?\"?\\s*[:=]\\s*\\\\?\"?([^\\s\"'\\\\,;&}]{3,})"), 1,
                    anyOf("pass", "pwd", "secret", "key", "token")));

    private SecretRedactor() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = redactPrivateKeys(text);
        String lower = out.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.mayMatch().test(lower)) {
                out = replace(out, rule);
            }
        }
        return out;
    }

    private static final String BEGIN = "-----BEGIN ";
    private static final String KEY_CLOSE = "PRIVATE KEY-----";

    /**
     * PEM private keys, found by a forward scan rather than a regular expression: a lazy
     * "BEGIN.*?END" regex rescans to the end of the text for every BEGIN without an END, which a
     * hostile 1 MiB payload turns into minutes of CPU. Here each BEGIN is looked at once.
     */
    static String redactPrivateKeys(String text) {
        StringBuilder out = null;
        int last = 0;
        int from = 0;
        int begin;
        while ((begin = text.indexOf(BEGIN, from)) >= 0) {
            int headerEnd = text.indexOf("-----", begin + BEGIN.length());
            if (headerEnd < 0) {
                break;
            }
            String label = text.substring(begin + BEGIN.length(), headerEnd);
            if (label.length() > 40 || !label.endsWith("PRIVATE KEY")) {
                from = headerEnd; // a certificate or other PEM block: not a secret
                continue;
            }
            int end = text.indexOf("-----END ", headerEnd + 5);
            int close = end < 0 ? -1 : text.indexOf(KEY_CLOSE, end);
            if (close < 0) {
                break; // no END after this BEGIN means none after any later BEGIN either
            }
            close += KEY_CLOSE.length();
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, begin).append("[REDACTED:private-key]");
            last = close;
            from = close;
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private static String replace(String text, Rule rule) {
        Matcher m = rule.pattern().matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        do {
            if (m.group(rule.group()) == null) {
                continue;
            }
            sb.append(text, last, m.start(rule.group())).append("[REDACTED:").append(rule.type()).append(']');
            last = m.end(rule.group());
        } while (m.find());
        return sb.append(text, last, text.length()).toString();
    }
}
