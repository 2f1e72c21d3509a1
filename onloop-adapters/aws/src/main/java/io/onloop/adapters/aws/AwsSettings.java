package io.onloop.adapters.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one AWS account and region.
 *
 * @param environment  the name recommendations carry for this account and region (e.g. {@code prod-eu-west-1})
 * @param region       e.g. {@code eu-west-1}
 * @param endpoint     one endpoint for EC2, Lambda and CloudWatch instead of AWS's (a local test server,
 *                     a VPC endpoint); empty for AWS's own
 * @param credentials  a static key; empty to use the SDK's default chain (environment, profile, web identity,
 *                     container or instance role)
 * @param maxAttempts  attempts per call, the first included, before a throttled or failing call gives up
 * @param retryBackoff the base delay between attempts (exponential with jitter, capped at 20 s; ten times longer
 *                     after throttling); zero retries at once
 * @param callTimeout  the limit for one call with its retries
 */
public record AwsSettings(String environment, String region, Optional<URI> endpoint,
                          Optional<StaticKey> credentials, int maxAttempts, Duration retryBackoff,
                          Duration callTimeout) {

    public AwsSettings {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(region, "region");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (retryBackoff.isNegative() || !callTimeout.isPositive()) {
            throw new IllegalArgumentException("the retry backoff must not be negative and the call timeout must be positive");
        }
    }

    /** AWS's endpoints, the default credential chain, 3 attempts with the SDK's usual 100 ms base backoff. */
    public static AwsSettings of(String environment, String region) {
        return new AwsSettings(environment, region, Optional.empty(), Optional.empty(), 3, Duration.ofMillis(100),
                Duration.ofMinutes(2));
    }

    /** Another endpoint and a static key; either may be null (AWS's endpoints, the default credential chain). */
    public AwsSettings withEndpoint(URI endpoint, StaticKey key) {
        return new AwsSettings(environment, region, Optional.ofNullable(endpoint), Optional.ofNullable(key), maxAttempts,
                retryBackoff, callTimeout);
    }

    public AwsSettings withRetries(int maxAttempts, Duration retryBackoff) {
        return new AwsSettings(environment, region, endpoint, credentials, maxAttempts, retryBackoff, callTimeout);
    }

    /** An access key; {@link #toString()} never shows the secret. */
    public record StaticKey(String accessKeyId, String secretAccessKey) {

        /** The key configured as two settings, or null when no key id is set. */
        public static StaticKey ofNullable(String accessKeyId, String secretAccessKey) {
            return accessKeyId == null ? null : new StaticKey(accessKeyId, secretAccessKey);
        }

        public StaticKey {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "StaticKey[" + accessKeyId + "]";
        }
    }
}
