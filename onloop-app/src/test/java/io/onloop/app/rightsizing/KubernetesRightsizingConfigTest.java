package io.onloop.app.rightsizing;

import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import io.onloop.domain.rightsizing.usage.KubernetesRecommendationSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kubernetes recommendation source exists only when its Prometheus is configured, named after the cluster. */
class KubernetesRightsizingConfigTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({OnloopProperties.class, KubernetesRightsizingConfig.KubernetesRightsizingProperties.class})
    static class Base {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Base.class, KubernetesRightsizingConfig.class);

    @Test
    void noPrometheusNoSource() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RecommendationSource.class));
    }

    @Test
    void aPrometheusMakesOneSourceNamedAfterTheCluster() {
        runner.withPropertyValues("onloop.rightsizing.kubernetes.prometheus-url=http://127.0.0.1:9",
                        "onloop.rightsizing.kubernetes.environment=prod-eu", "onloop.rightsizing.kubernetes.namespaces=shop,web")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(KubernetesRecommendationSource.class);
                    assertThat(context.getBean(RecommendationSource.class).name()).isEqualTo("kubernetes/prod-eu");
                });
    }
}
