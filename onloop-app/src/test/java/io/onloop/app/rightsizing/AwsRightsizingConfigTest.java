package io.onloop.app.rightsizing;

import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.rightsizing.AwsRecommendations;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS recommendation source exists only when a region is configured, and takes its settings from onloop.rightsizing.aws. */
class AwsRightsizingConfigTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({OnloopProperties.class, AwsRightsizingConfig.AwsRightsizingProperties.class})
    static class Base {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Base.class, AwsRightsizingConfig.class);

    @Test
    void noRegionNoSource() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RecommendationSource.class));
    }

    @Test
    void aRegionMakesOneSourceNamedAfterItsEnvironment() {
        runner.withPropertyValues("onloop.rightsizing.aws.region=eu-west-1", "onloop.rightsizing.aws.environment=prod",
                        "onloop.rightsizing.aws.endpoint=http://127.0.0.1:9", "onloop.rightsizing.aws.access-key-id=AKIDEXAMPLE",
                        "onloop.rightsizing.aws.secret-access-key=secret")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(AwsRecommendations.class);
                    assertThat(context.getBean(RecommendationSource.class).name()).isEqualTo("aws/prod");
                });
    }

    @Test
    void aBadPricingFileStopsTheStartWithTheLineAtFault(@TempDir Path dir) throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.csv"), "this is not a price line\n");
        runner.withPropertyValues("onloop.rightsizing.aws.region=eu-west-1", "onloop.rightsizing.aws.pricing-file=" + prices)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line"));
    }
}
