package io.onloop.app.ingest;

import io.onloop.adapters.ingest.SnsParser;
import io.onloop.domain.event.SourceType;

import java.util.Collection;
import java.util.List;

/** Checks the SNS topics an admin restricts a source to, for the API and the console alike. */
public final class SnsTopics {
    public static final int MAX = 100;
    /** The longest ARN: partition, region and account are short, a topic name is at most 256 characters. */
    static final int MAX_ARN = 320;

    private SnsTopics() {
    }

    /** The distinct topic ARNs, stripped and in order; empty means any topic. */
    public static List<String> checked(SourceType format, Collection<String> arns) {
        List<String> topics = arns == null ? List.of()
                : arns.stream().map(a -> a == null ? "" : a.strip()).filter(a -> !a.isEmpty()).distinct().toList();
        if (topics.isEmpty()) {
            return topics;
        }
        if (format != SourceType.SNS) {
            throw new IllegalArgumentException("topic ARNs apply to sns sources only");
        }
        if (topics.size() > MAX) {
            throw new IllegalArgumentException("at most " + MAX + " topic ARNs");
        }
        for (String arn : topics) {
            if (arn.length() > MAX_ARN || !SnsParser.isTopicArn(arn)) {
                throw new IllegalArgumentException("not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>): "
                        + (arn.length() > 300 ? arn.substring(0, 300) + "..." : arn));
            }
        }
        return topics;
    }
}
