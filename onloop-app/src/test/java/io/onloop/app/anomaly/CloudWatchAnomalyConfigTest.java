package io.onloop.app.anomaly;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.onloop.app.config.OnloopProperties;
import io.onloop.app.rightsizing.AwsRightsizingConfig;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.testkit.ingest.InMemoryEventJournal;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CloudWatch watches exist only when a region is configured, and a bad watch stops the start. (The
 * watcher itself is proved in MetricWatcherTest, the CloudWatch protocol in the AWS adapter's tests.)
 */
class CloudWatchAnomalyConfigTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({OnloopProperties.class, AnomalyProperties.class,
            CloudWatchAnomalyConfig.CloudWatchProperties.class, AwsRightsizingConfig.AwsRightsizingProperties.class})
    static class Base {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        MeterRegistry meters() {
            return new SimpleMeterRegistry();
        }

        @Bean
        EventNormalizer normalizer() {
            return new EventNormalizer(EventLimits.DEFAULT);
        }

        @Bean
        InMemoryEventStore store() {
            return new InMemoryEventStore();
        }

        @Bean(destroyMethod = "close")
        EventIngestor ingestor(InMemoryEventStore store) {
            return new EventIngestor(new InMemoryEventJournal(), store,
                    new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, events -> { });
        }
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Base.class, CloudWatchAnomalyConfig.class)
            .withPropertyValues("onloop.anomaly.tick=1h");

    @Test
    void noRegionNoWatches() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AnomalyWatchService.class));
    }

    @Test
    void aRegionWatchesItsQueriesWithTheBackendTag() {
        runner.withPropertyValues("onloop.anomaly.cloudwatch.region=eu-west-1",
                        "onloop.anomaly.cloudwatch.endpoint=http://127.0.0.1:9",
                        "onloop.anomaly.cloudwatch.access-key-id=AKIDEXAMPLE", "onloop.anomaly.cloudwatch.secret-access-key=s",
                        "onloop.anomaly.cloudwatch.watches[0].name=api-latency",
                        "onloop.anomaly.cloudwatch.watches[0].query=AWS/ApplicationELB:TargetResponseTime{LoadBalancer=app/web/1}:Average")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(AnomalyWatchService.class);
                    assertThat(context.getBean(MeterRegistry.class).find("onloop.anomaly.ticks").tag("backend", "cloudwatch")
                            .counter()).isNotNull();
                });
    }

    @Test
    void cloudWatchWatchesAndAwsRightsizingTogetherEachGetTheirOwnClients() {
        runner.withUserConfiguration(AwsRightsizingConfig.class)
                .withPropertyValues("onloop.anomaly.cloudwatch.region=eu-west-1", "onloop.rightsizing.aws.region=us-east-1")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(AnomalyWatchService.class)
                            .hasSingleBean(io.onloop.domain.rightsizing.AwsRecommendations.class);
                    assertThat(context.getBeansOfType(io.onloop.adapters.aws.AwsClients.class)).hasSize(2);
                });
    }

    @Test
    void aWatchOfAnUnknownKindStopsTheStart() {
        runner.withPropertyValues("onloop.anomaly.cloudwatch.region=eu-west-1",
                        "onloop.anomaly.cloudwatch.watches[0].name=x", "onloop.anomaly.cloudwatch.watches[0].query=AWS/EC2:CPUUtilization:Average",
                        "onloop.anomaly.cloudwatch.watches[0].kind=sometimes")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("kind must be anomaly or exhaustion"));
    }
}
