package io.onloop.app.anomaly;

import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.adapters.prometheus.PrometheusMetricsQuery;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.anomaly.AnomalyDetector;
import io.onloop.domain.anomaly.EnsembleDetector;
import io.onloop.domain.anomaly.KnnConformalDetector;
import io.onloop.domain.anomaly.watch.MetricWatcher;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
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
                                            EventNormalizer normalizer, EventIngestor ingestor, Clock clock, MeterRegistry meters) {
        Supplier<AnomalyDetector> detectors = switch (props.detector()) {
            case "ensemble" -> EnsembleDetector::new;
            case "knn" -> KnnConformalDetector::new;
            default -> throw new IllegalArgumentException("onloop.anomaly.detector must be ensemble or knn, not " + props.detector());
        };
        var d = MetricWatcher.Settings.DEFAULT;
        var watcher = new MetricWatcher(prometheus, detectors, new MetricWatcher.Settings(props.history(), props.maxSeries(),
                d.windowPoints(), d.chartPoints(), d.resolveAfter(), d.maxEpisodePoints(), d.minForecastPoints()));
        var service = new AnomalyWatchService(watcher, prometheus,
                props.watches().stream().map(AnomalyProperties.WatchProperties::toWatch).toList(),
                props.watchAlertRules(), props.alertRuleStep(),
                props.tenant() != null ? props.tenant() : onloop.bootstrap().tenant(), normalizer, ingestor, clock, meters);
        service.start(props.tick());
        return service;
    }
}
