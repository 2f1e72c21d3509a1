package io.onloop.app.anomaly;

import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.adapters.aws.AwsClients;
import io.onloop.adapters.aws.AwsSettings;
import io.onloop.adapters.aws.CloudWatchMetricsQuery;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.store.EventStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Anomaly and exhaustion watches over CloudWatch metrics: only when {@code onloop.anomaly.cloudwatch.region}
 * is set. Tick, history, detector, series limit and tenant are {@code onloop.anomaly}'s, shared with Prometheus.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("onloop.anomaly.cloudwatch.region")
public class CloudWatchAnomalyConfig {

    /**
     * @param region          e.g. {@code eu-west-1}
     * @param endpoint        another endpoint (a VPC endpoint); unset for AWS's own
     * @param accessKeyId     a static key; unset for the SDK's default chain (environment, profile, role)
     * @param secretAccessKey its secret
     * @param watches         the watches; each query is {@code Namespace:MetricName{Dimension=Value,...}:Statistic}
     *                        (docs/rightsizing-sources.md, "CloudWatch as a metrics backend")
     * @param settle          how late CloudWatch may publish a datapoint: each tick scores the periods that
     *                        ended at least this long ago, so a period is not scored before its data is in
     */
    @ConfigurationProperties("onloop.anomaly.cloudwatch")
    public record CloudWatchProperties(String region, URI endpoint, String accessKeyId, String secretAccessKey,
                                       @DefaultValue List<AnomalyProperties.WatchProperties> watches,
                                       @DefaultValue("3m") Duration settle) {
        public CloudWatchProperties {
            AnomalyProperties.watches("onloop.anomaly.cloudwatch.watches", watches);
        }

        @Override
        public String toString() {
            return "CloudWatchProperties[region=" + region + ", watches=" + watches.size() + "]"; // never the key
        }
    }

    @Bean(destroyMethod = "close")
    AwsClients anomalyCloudWatchClients(CloudWatchProperties props) {
        return new AwsClients(AwsSettings.of(props.region(), props.region()).withEndpoint(props.endpoint(),
                AwsSettings.StaticKey.ofNullable(props.accessKeyId(), props.secretAccessKey())));
    }

    @Bean(destroyMethod = "close")
    AnomalyWatchService cloudWatchAnomalyWatchService(CloudWatchProperties cloudWatch, AnomalyProperties props,
                                                      OnloopProperties onloop,
                                                      @Qualifier("anomalyCloudWatchClients") AwsClients anomalyCloudWatchClients,
                                                      EventNormalizer normalizer, EventIngestor ingestor, EventStore store, Clock clock,
                                                      MeterRegistry meters) {
        var service = new AnomalyWatchService("cloudwatch",
                AnomalyConfig.watcher(new CloudWatchMetricsQuery(anomalyCloudWatchClients), props), Optional.empty(),
                AnomalyProperties.watches("onloop.anomaly.cloudwatch.watches", cloudWatch.watches()), props.alertRuleStep(),
                cloudWatch.settle(), AnomalyConfig.tenant(props, onloop), normalizer, ingestor, store, clock, meters);
        service.start(props.tick());
        return service;
    }
}
