package io.onloop.app.console;

import io.onloop.app.rightsizing.TenantPrices;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formatting the templates call as {@code @view}. Text is escaped by the templates (th:text), and for editors by
 * {@link #editable}; this class decides what is safe to make a link of.
 */
@Component("view")
public class ConsoleView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    public ConsoleView(Clock clock) {
        this.clock = clock;
    }

    /**
     * The URL itself if it is an absolute http(s) URL, otherwise null, so the template shows it as
     * text: a {@code javascript:} or {@code data:} link from a payload must never become clickable.
     */
    public String href(String url) {
        return safeHref(url);
    }

    static String safeHref(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri.toString() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Text for an editor (a textarea's content, for th:utext): escaped, and with each character {@link BidiControls}
     * shows by name (bidirectional controls, invisible characters) as a character reference, which it leaves alone and
     * the browser turns back into the character. So what is saved is what was stored, while everywhere else such a
     * character is shown as its name.
     */
    public String editable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        HtmlUtils.htmlEscape(text, "UTF-8").codePoints().forEach(c -> {
            if (io.onloop.domain.text.BidiControls.isShown(c)) {
                out.append("&#x").append(Integer.toHexString(c).toUpperCase(Locale.ROOT)).append(';');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    public String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** ISO 8601, for {@code <time datetime>}. */
    public String iso(Instant t) {
        return t == null ? "" : t.toString();
    }

    /** "42s ago", "5m ago", "3h ago", "2d ago". */
    public String age(Instant t) {
        if (t == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(t, clock.instant()).toSeconds());
        if (s < 60) {
            return s + "s ago";
        }
        if (s < 3600) {
            return s / 60 + "m ago";
        }
        if (s < 86_400) {
            return s / 3600 + "h ago";
        }
        return s / 86_400 + "d ago";
    }

    /** A price as written: 0.0000166667, not 1.66667E-5; 0.1, not 0.10000. */
    public String price(double p) {
        return TenantPrices.plain(p);
    }

    /** A measured figure as people read one: 0.1823, not 0.18234567891; 536,870,912, not 5.36870912E8. */
    public String figure(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Named figures in name order (a map's own order is arbitrary). */
    public java.util.SortedMap<String, Double> sorted(java.util.Map<String, Double> figures) {
        return new java.util.TreeMap<>(figures);
    }

    public String lower(Enum<?> e) {
        return e == null ? "" : e.name().toLowerCase(Locale.ROOT);
    }
}
