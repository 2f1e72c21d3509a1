package io.onloop.app.anomaly;

import io.onloop.domain.anomaly.watch.Watch;
import io.onloop.domain.event.Severity;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Anomaly detection and exhaustion forecasts over Prometheus, under {@code onloop.anomaly.*}
 * (see docs/anomaly.md). Off unless {@code prometheus.url} is set.
 *
 * @param prometheus       where the metrics are
 * @param tenant           the tenant the events belong to; default {@code onloop.bootstrap.tenant}
 * @param tick             how often every watch is evaluated
 * @param history          how far back the first query of a watch reaches (what the detectors learn from at start)
 * @param maxSeries        series tracked at once over all watches (least recently seen are dropped first)
 * @param detector         {@code novelty} (default: the best NAB score, about 17 KB per series; after an alarm silent
 *                         until the series has been calm for 64 points, 300 at most), {@code ensemble} (about 2.4 KB
 *                         per series) or {@code knn} (KNN-CAD, about 150 KB per series); NAB figures in docs/benchmarks.md
 * @param watches          the configured watches
 * @param watchAlertRules  also watch, for anomalies, the series behind every Prometheus alerting rule
 * @param alertRuleStep    the step for those
 */
@ConfigurationProperties("onloop.anomaly")
public record AnomalyProperties(
        @DefaultValue Prometheus prometheus,
        String tenant,
        @DefaultValue("30s") Duration tick,
        @DefaultValue("6h") Duration history,
        @DefaultValue("10000") int maxSeries,
        @DefaultValue("novelty") String detector,
        @DefaultValue List<WatchProperties> watches,
        @DefaultValue("false") boolean watchAlertRules,
        @DefaultValue("1m") Duration alertRuleStep) {

    public AnomalyProperties {
        // checked at the start, not at the first tick: a value that cannot work would otherwise fail every tick
        if (!tick.isPositive()) {
            throw new IllegalArgumentException("onloop.anomaly.tick must be more than 0, not " + tick);
        }
        if (history.isNegative()) {
            throw new IllegalArgumentException("onloop.anomaly.history must not be negative, not " + history);
        }
        if (maxSeries < 1) {
            throw new IllegalArgumentException("onloop.anomaly.max-series must be at least 1, not " + maxSeries);
        }
        watches("onloop.anomaly.watches", watches);
    }

    /**
     * The watches configured under {@code prefix}, each checked: a broken one stops the start naming its setting
     * ({@code onloop.anomaly.watches[2] (disk): horizon must be positive}). A watch's name is its events' identity
     * (fingerprint, incident): two of one name would share incidents.
     */
    static List<Watch> watches(String prefix, List<WatchProperties> configured) {
        var seen = new java.util.HashSet<String>();
        var out = new java.util.ArrayList<Watch>();
        for (int i = 0; i < configured.size(); i++) {
            WatchProperties w = configured.get(i);
            if (w.name() != null && !seen.add(w.name())) {
                throw new IllegalArgumentException(prefix + ": two watches are named '" + w.name()
                        + "'; a watch's name is what its events are told apart by");
            }
            try {
                out.add(w.toWatch());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "[" + i + "]" + (w.name() == null ? "" : " (" + w.name() + ")")
                        + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param url            Prometheus' base URL (or Thanos, Mimir, VictoriaMetrics); unset turns the feature off
     * @param bearerToken    sent as {@code Authorization: Bearer}; never logged
     * @param username       basic auth, with {@code password}
     * @param connectTimeout for opening a connection
     * @param queryTimeout   for one query's answer (also Prometheus' own evaluation timeout)
     */
    public record Prometheus(URI url, String bearerToken, String username, String password,
                             @DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration queryTimeout) {
        public Prometheus {
            // refused at start, not failed on every tick; the URL itself is not repeated (it may hold credentials)
            String scheme = url == null ? null : url.getScheme();
            if (url != null && (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || url.getHost() == null)) {
                throw new IllegalArgumentException("onloop.anomaly.prometheus.url must be an http:// or https:// URL with a"
                        + " host, such as http://prometheus:9090" + (scheme == null ? "" : "; it has " + scheme + "://"));
            }
        }

        @Override
        public String toString() {
            return "Prometheus[url=" + url + "]"; // never the credentials
        }
    }

    /**
     * One watch; see {@link Watch} for what each field means.
     *
     * @param kind {@code anomaly} or {@code exhaustion}
     */
    public record WatchProperties(String name, String query, @DefaultValue("1m") Duration step,
                                  @DefaultValue("anomaly") String kind, Severity severity, Double threshold,
                                  Double limit, String limitQuery, Duration horizon, @DefaultValue Map<String, String> labels) {

        Watch toWatch() {
            Watch.Kind k = switch (kind.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "anomaly" -> Watch.Kind.ANOMALY;
                case "exhaustion" -> Watch.Kind.EXHAUSTION;
                default -> throw new IllegalArgumentException("watch " + name + ": kind must be anomaly or exhaustion, not " + kind);
            };
            Severity s = severity != null ? severity : k == Watch.Kind.EXHAUSTION ? Severity.HIGH : Severity.MEDIUM;
            return new Watch(name, query, step, k, s, threshold != null ? threshold : Watch.DEFAULT_THRESHOLD,
                    limit, limitQuery, horizon, labels);
        }
    }
}
