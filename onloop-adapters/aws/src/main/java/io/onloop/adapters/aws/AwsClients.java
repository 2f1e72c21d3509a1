package io.onloop.adapters.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.time.Duration;

/**
 * The three SDK clients for one account and region, sharing one HTTP client. Close it to release them.
 */
public final class AwsClients implements AutoCloseable {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    private final SdkHttpClient http;
    final Ec2Client ec2;
    final LambdaClient lambda;
    final CloudWatchClient cloudWatch;
    final AwsSettings settings;

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
        this.ec2 = configure(Ec2Client.builder(), settings).build();
        this.lambda = configure(LambdaClient.builder(), settings).build();
        this.cloudWatch = configure(CloudWatchClient.builder(), settings).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, AwsSettings settings) {
        builder.httpClient(http)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(settings.callTimeout())
                        // the SDK's own strategy for the service (which errors are throttling or transient) with our
                        // attempts and delays; throttled calls wait ten times longer, as with the SDK's 100 ms and 1 s
                        .retryStrategy(r -> r.maxAttempts(settings.maxAttempts())
                                .backoffStrategy(backoff(settings.retryBackoff()))
                                .throttlingBackoffStrategy(backoff(settings.retryBackoff().multipliedBy(10))))
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    private static BackoffStrategy backoff(Duration base) {
        return base.isZero() ? BackoffStrategy.retryImmediately() : BackoffStrategy.exponentialDelay(base, MAX_BACKOFF);
    }

    private static AwsCredentialsProvider credentials(AwsSettings settings) {
        return settings.credentials()
                .<AwsCredentialsProvider>map(k -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    @Override
    public void close() {
        ec2.close();
        lambda.close();
        cloudWatch.close();
        http.close();
    }
}
