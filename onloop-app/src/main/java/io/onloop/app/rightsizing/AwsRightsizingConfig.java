package io.onloop.app.rightsizing;

import io.onloop.adapters.aws.AwsClients;
import io.onloop.adapters.aws.AwsInventory;
import io.onloop.adapters.aws.AwsSettings;
import io.onloop.adapters.aws.AwsUsage;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.rightsizing.AwsRecommendations;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** One AWS account and region as a recommendation source: only when {@code onloop.rightsizing.aws.region} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("onloop.rightsizing.aws.region")
public class AwsRightsizingConfig {

    /**
     * @param region          e.g. {@code eu-west-1}
     * @param environment     the name recommendations carry; default the region
     * @param endpoint        one endpoint instead of AWS's (a VPC endpoint); unset for AWS's own
     * @param accessKeyId     a static key; unset for the SDK's default chain (environment, profile, role)
     * @param secretAccessKey its secret
     * @param history         how much usage each scan reads
     * @param period          the usage resolution (whole minutes); 5 minutes, EC2's basic monitoring, so that peaks
     *                        are not averaged away
     * @param tenant          the tenant the account's recommendations belong to; default {@code onloop.bootstrap.tenant}
     * @param pricingFile     a CSV of price overrides in the catalog's own format (docs/rightsizing.md)
     */
    @ConfigurationProperties("onloop.rightsizing.aws")
    public record AwsRightsizingProperties(String region, String environment, URI endpoint, String accessKeyId,
                                           String secretAccessKey, @DefaultValue("14d") Duration history,
                                           @DefaultValue("5m") Duration period, String tenant, Path pricingFile) {

        String environmentName() {
            return environment != null ? environment : region;
        }

        @Override
        public String toString() {
            return "AwsRightsizingProperties[region=" + region + ", environment=" + environment + "]"; // never the key
        }
    }

    @Bean(destroyMethod = "close")
    AwsClients awsClients(AwsRightsizingProperties props) {
        return new AwsClients(AwsSettings.of(props.environmentName(), props.region()).withEndpoint(props.endpoint(),
                AwsSettings.StaticKey.ofNullable(props.accessKeyId(), props.secretAccessKey())));
    }

    @Bean
    AwsRecommendations awsRecommendations(AwsRightsizingProperties props, OnloopProperties onloop,
                                          @Qualifier("awsClients") AwsClients aws, Clock clock) throws IOException {
        return new AwsRecommendations("aws/" + props.environmentName(),
                props.tenant() != null ? props.tenant() : onloop.bootstrap().tenant(),
                new AwsInventory(aws), new AwsUsage(aws, clock), RightsizingWiring.catalog(props.pricingFile()), clock,
                props.history(), props.period());
    }
}
