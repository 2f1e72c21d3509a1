package io.onloop.domain.rightsizing;

/**
 * The histogram of the Kubernetes VPA recommender: exponential buckets whose weights decay with a
 * half-life. Follows kubernetes/autoscaler vertical-pod-autoscaler/pkg/recommender/util/histogram.go,
 * histogram_options.go (exponential options) and decaying_histogram.go.
 * <p>
 * A sample of age {@code a} weighs {@code 2^(-a / halfLife)} relative to a fresh one. As in VPA, weights
 * are kept relative to a reference time that is moved forward (rescaling every bucket) when a new
 * sample would weigh more than {@code 2^MAX_DECAY_EXPONENT}.
 */
final class DecayingHistogram {

    /** histogram_options.go / aggregations_config.go: each bucket is 5% wider than the previous one. */
    static final double BUCKET_GROWTH_RATIO = 1.05;
    /** aggregations_config.go: minSampleWeight = 0.1, epsilon = 0.001 * minSampleWeight. */
    static final double EPSILON = 0.001 * 0.1;
    /** decaying_histogram.go: maxDecayExponent = 100. */
    static final int MAX_DECAY_EXPONENT = 100;

    private final double firstBucketSize;
    private final int numBuckets;
    private final long halfLifeSeconds;
    private final double[] bucketWeight;
    private double totalWeight;
    private int minBucket;
    private int maxBucket;
    private long referenceSecond = Long.MIN_VALUE;

    /** CPU in cores: first bucket 0.01 core, up to 1000 cores (aggregations_config.go cpuHistogramOptions). */
    static DecayingHistogram cpuCores(long halfLifeSeconds) {
        return new DecayingHistogram(1000.0, 0.01, halfLifeSeconds);
    }

    /**
     * CPU in cores with VPA's bucket growth but a first bucket of one millicore (the unit of a Kubernetes CPU
     * request) instead of VPA's 10 millicores, so that a nearly idle workload's percentiles are not rounded up
     * to 10 millicores. Used by onloop; VPA keeps {@link #cpuCores}.
     */
    static DecayingHistogram cpuMillicores(long halfLifeSeconds) {
        return new DecayingHistogram(1000.0, 0.001, halfLifeSeconds);
    }

    /** Memory in bytes: first bucket 10 MB (1e7), up to 1 TB (1e12) (aggregations_config.go memoryHistogramOptions). */
    static DecayingHistogram memoryBytes(long halfLifeSeconds) {
        return new DecayingHistogram(1e12, 1e7, halfLifeSeconds);
    }

    DecayingHistogram(double maxValue, double firstBucketSize, long halfLifeSeconds) {
        this.firstBucketSize = firstBucketSize;
        this.numBuckets = (int) Math.ceil(Math.log(maxValue * (BUCKET_GROWTH_RATIO - 1) / firstBucketSize + 1)
                / Math.log(BUCKET_GROWTH_RATIO)) + 1;
        this.halfLifeSeconds = halfLifeSeconds;
        this.bucketWeight = new double[numBuckets];
        this.minBucket = numBuckets - 1;
        this.maxBucket = 0;
    }

    void add(double value, double weight, long epochSecond) {
        addWeight(findBucket(value), weight * decayFactor(epochSecond));
    }

    /** Removes a sample added before with the same value, weight and time (VPA does this for memory peaks). */
    void subtract(double value, double weight, long epochSecond) {
        int bucket = findBucket(value);
        double w = weight * decayFactor(epochSecond);
        totalWeight = safeSubtract(totalWeight, w);
        bucketWeight[bucket] = safeSubtract(bucketWeight[bucket], w);
        updateMinAndMaxBucket();
    }

    boolean isEmpty() {
        return bucketWeight[minBucket] < EPSILON;
    }

    /** As histogram.go Percentile: the end of the bucket where the cumulative weight reaches the percentile. */
    double percentile(double percentile) {
        if (isEmpty()) {
            return 0.0;
        }
        double threshold = percentile * totalWeight;
        double partialSum = 0.0;
        int bucket = minBucket;
        for (; bucket < maxBucket; bucket++) {
            partialSum += bucketWeight[bucket];
            if (partialSum >= threshold) {
                break;
            }
        }
        return bucket < numBuckets - 1 ? bucketStart(bucket + 1) : bucketStart(bucket);
    }

    int findBucket(double value) {
        if (value < firstBucketSize) {
            return 0;
        }
        int bucket = (int) (Math.log(value * (BUCKET_GROWTH_RATIO - 1) / firstBucketSize + 1) / Math.log(BUCKET_GROWTH_RATIO));
        return Math.min(bucket, numBuckets - 1);
    }

    double bucketStart(int bucket) {
        return bucket == 0 ? 0.0 : firstBucketSize * (Math.pow(BUCKET_GROWTH_RATIO, bucket) - 1) / (BUCKET_GROWTH_RATIO - 1);
    }

    private void addWeight(int bucket, double weight) {
        bucketWeight[bucket] += weight;
        totalWeight += weight;
        if (bucket < minBucket && bucketWeight[bucket] >= EPSILON) {
            minBucket = bucket;
        }
        if (bucket > maxBucket && bucketWeight[bucket] >= EPSILON) {
            maxBucket = bucket;
        }
    }

    private double decayFactor(long epochSecond) {
        if (referenceSecond == Long.MIN_VALUE
                || epochSecond - referenceSecond > halfLifeSeconds * MAX_DECAY_EXPONENT) {
            shiftReference(epochSecond);
        }
        return Math.pow(2.0, (double) (epochSecond - referenceSecond) / halfLifeSeconds);
    }

    /** The new reference is a whole number of half-lives from the epoch; old weights scale by 2^-shift. */
    private void shiftReference(long epochSecond) {
        long newReference = Math.round((double) epochSecond / halfLifeSeconds) * halfLifeSeconds;
        if (referenceSecond != Long.MIN_VALUE) {
            double exponent = Math.round((double) (referenceSecond - newReference) / halfLifeSeconds);
            double factor = Math.pow(2.0, exponent);
            for (int b = minBucket; b <= maxBucket; b++) {
                bucketWeight[b] *= factor;
            }
            totalWeight *= factor;
            updateMinAndMaxBucket();
        }
        referenceSecond = newReference;
    }

    private void updateMinAndMaxBucket() {
        while (bucketWeight[minBucket] < EPSILON && minBucket < numBuckets - 1) {
            minBucket++;
        }
        while (bucketWeight[maxBucket] < EPSILON && maxBucket > 0) {
            maxBucket--;
        }
    }

    private static double safeSubtract(double value, double sub) {
        double result = value - sub;
        return result < EPSILON ? 0.0 : result;
    }
}
