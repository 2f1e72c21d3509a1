package io.onloop.app.anomaly;

import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.adapters.prometheus.PrometheusMetricsQuery;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.anomaly.AnomalyDetector;
import io.onloop.domain.anomaly.EnsembleDetector;
import io.onloop.domain.anomaly.KnnConformalDetector;
import io.onloop.domain.anomaly.NoveltyDetector;
import io.onloop.domain.anomaly.watch.MetricWatcher;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.store.EventStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.onloop.domain.metrics.MetricsQuery;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Anomaly watches over Prometheus: only when {@code onloop.anomaly.prometheus.url} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("onloop.anomaly.prometheus.url")
public class AnomalyConfig {

    @Bean
    PrometheusMetricsQuery prometheusMetricsQuery(AnomalyProperties props) {
        var p = props.prometheus();
        return new PrometheusMetricsQuery(new PrometheusMetricsQuery.Settings(p.url(), p.connectTimeout(), p.queryTimeout(),
                p.bearerToken(), p.username(), p.password()));
    }

    @Bean(destroyMethod = "close")
    AnomalyWatchService anomalyWatchService(AnomalyProperties props, OnloopProperties onloop, PrometheusMetricsQuery prometheus,
                                            EventNormalizer normalizer, EventIngestor ingestor, EventStore store, Clock clock, MeterRegistry meters) {
        var service = new AnomalyWatchService("prometheus", watcher(prometheus, props),
                props.watchAlertRules() ? Optional.of(prometheus) : Optional.empty(),
                AnomalyProperties.watches("onloop.anomaly.watches", props.watches()), props.alertRuleStep(),
                Duration.ZERO, tenant(props, onloop), normalizer, ingestor, store, clock, meters);
        service.start(props.tick());
        return service;
    }

    /** A watcher over one metrics backend with the detector and limits {@code onloop.anomaly} sets. */
    static MetricWatcher watcher(MetricsQuery metrics, AnomalyProperties props) {
        Supplier<AnomalyDetector> detectors = switch (props.detector()) {
            case "novelty" -> NoveltyDetector::new;
            case "ensemble" -> EnsembleDetector::new;
            case "knn" -> KnnConformalDetector::new;
            default -> throw new IllegalArgumentException("onloop.anomaly.detector must be novelty, ensemble or knn, not " + props.detector());
        };
        var d = MetricWatcher.Settings.DEFAULT;
        return new MetricWatcher(metrics, detectors, new MetricWatcher.Settings(props.history(), props.maxSeries(),
                d.windowPoints(), d.chartPoints(), d.resolveAfter(), d.maxEpisodePoints(), d.minForecastPoints()));
    }

    static String tenant(AnomalyProperties props, OnloopProperties onloop) {
        return props.tenant() != null ? props.tenant() : onloop.bootstrap().tenant();
    }
}
