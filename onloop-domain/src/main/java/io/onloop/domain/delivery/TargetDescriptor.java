package io.onloop.domain.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A target type's settings, declared once: the console renders its form from this, the route file
 * is validated against it, and the docs list it.
 */
public record TargetDescriptor(String type, String displayName, List<Setting> settings, List<String> atLeastOneOf) {

    /**
     * {@code EMAIL}: one bare address (an account's, as a user name); {@code MAILBOX}: one address, bare or as
     * {@code Name <address>}; {@code MAILBOXES}: such addresses, comma-separated; {@code PORT}: a TCP port;
     * {@code HEADERS}: HTTP headers, one {@code Name: value} per line.
     */
    /** {@code SECRET_URL}: a URL that is itself a credential (it embeds a token or signature): checked as a URL, kept as a secret. */
    public enum SettingType { STRING, URL, SECRET, SECRET_URL, EMAIL, MAILBOX, MAILBOXES, PORT, BOOLEAN, HEADERS }

    /** local@domain, without what RFC 5322 allows only quoted or bracketed (a pragmatic check, not the grammar). */
    private static final String ADDRESS = "[^\\s@<>(),;:\"\\[\\]\\\\]+@[^\\s@<>(),;:\"\\[\\]\\\\]+";
    private static final Pattern EMAIL = Pattern.compile(ADDRESS);
    private static final Pattern MAILBOX = Pattern.compile(ADDRESS + "|[^<>\"\\p{Cntrl}]*<" + ADDRESS + ">");

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+"); // RFC 9110 token
    /** What Java's HTTP client sets itself and refuses to be given: every delivery would fail. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** @param secret never shown back, never logged */
    public record Setting(String name, SettingType type, boolean required, String help) {
        public Setting {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            help = Objects.requireNonNullElse(help, "");
        }

        public boolean secret() {
            return type == SettingType.SECRET || type == SettingType.SECRET_URL;
        }
    }

    /** @param atLeastOneOf settings of which one must be given (e.g. a webhook URL or a bot token); may be empty */
    public TargetDescriptor {
        Objects.requireNonNull(type, "type");
        settings = List.copyOf(settings);
        atLeastOneOf = List.copyOf(atLeastOneOf);
    }

    public TargetDescriptor(String type, String displayName, List<Setting> settings) {
        this(type, displayName, settings, List.of());
    }

    private static void headerProblems(String setting, String text, List<String> out) {
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            String name = colon < 0 ? "" : lines[i].substring(0, colon).strip();
            String value = colon < 0 ? "" : lines[i].substring(colon + 1).strip();
            if (!HEADER_NAME.matcher(name).matches()) {
                out.add(setting + ": line " + (i + 1) + " is not 'Name: value' with a valid header name");
            } else if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                out.add(setting + ": " + name + " is set by the HTTP client itself and cannot be given");
            } else if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c >= 0x7f)) {
                // Java's HTTP client sends anything beyond ASCII as '?': refused rather than sent mangled
                out.add(setting + ": the value of " + name + " has control characters or characters beyond ASCII");
            }
        }
    }

    /** An absolute http(s) URL that the HTTP client can send to: a host, a port in range, nothing unescaped. */
    static boolean httpUrl(String value) {
        try {
            URI uri = new URI(value); // as sent: a stray space or newline would fail every delivery
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getPort() <= 65535 && uri.getPort() != 0;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** What is wrong with these settings, one message per problem (empty when valid). */
    public List<String> problems(Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (Setting s : settings) {
            String v = values.get(s.name());
            if (s.required() && (v == null || v.isBlank())) {
                out.add(s.name() + ": required for " + type);
            } else if (v != null && !v.isBlank()) {
                switch (s.type()) {
                    case URL, SECRET_URL -> {
                        if (!httpUrl(v)) {
                            out.add(s.name() + ": must be an http(s) URL with a host, such as https://example.com/hook"
                                    + (s.secret() ? "" : ", not " + v));
                        }
                    }
                    case EMAIL -> {
                        if (!EMAIL.matcher(v.strip()).matches()) {
                            out.add(s.name() + ": must be one e-mail address, such as ops@example.com");
                        }
                    }
                    case MAILBOX -> {
                        if (!MAILBOX.matcher(v.strip()).matches()) {
                            out.add(s.name() + ": must be one e-mail address, such as alerts@example.com or"
                                    + " onloop <alerts@example.com>");
                        }
                    }
                    case MAILBOXES -> {
                        for (String address : v.split(",", -1)) {
                            if (!MAILBOX.matcher(address.strip()).matches()) {
                                out.add(s.name() + ": must be e-mail addresses separated by commas, such as"
                                        + " a@example.com, b@example.com");
                                break;
                            }
                        }
                    }
                    case PORT -> {
                        String port = v.strip();
                        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                            out.add(s.name() + ": must be a port from 1 to 65535");
                        }
                    }
                    case BOOLEAN -> {
                        if (!v.equals("true") && !v.equals("false")) {
                            out.add(s.name() + ": must be true or false");
                        }
                    }
                    case HEADERS -> headerProblems(s.name(), v, out);
                    default -> {
                    }
                }
            }
        }
        if (!atLeastOneOf.isEmpty() && atLeastOneOf.stream().allMatch(n -> values.getOrDefault(n, "").isBlank())) {
            out.add(atLeastOneOf.getFirst() + ": one of " + String.join(", ", atLeastOneOf) + " is required for " + type);
        }
        for (String name : values.keySet()) {
            if (settings.stream().noneMatch(s -> s.name().equals(name))) {
                out.add(name + ": unknown setting for " + type);
            }
        }
        return out;
    }
}
