package io.onloop.app.ingest;

import io.onloop.adapters.ingest.SnsParser;
import io.onloop.app.api.AuditLog;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.event.SourceType;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Checks and changes the SNS topics an admin restricts a source to, for the API and the console alike. */
@Component
public class SnsTopics {
    public static final int MAX = 100;
    /** The longest ARN: partition, region and account are short, a topic name is at most 256 characters. */
    static final int MAX_ARN = 320;

    private final AccessStore access;
    private final IngestSourceCache sourceCache;
    private final AuditLog audit;

    SnsTopics(AccessStore access, IngestSourceCache sourceCache, AuditLog audit) {
        this.access = access;
        this.sourceCache = sourceCache;
        this.audit = audit;
    }

    /**
     * Replaces the topics of one of the tenant's sources, at once for ingest, and audits it as {@code source.topics}.
     *
     * @return the source as it is now; empty if the tenant has no such source
     * @throws IllegalArgumentException if the source is not an SNS source or an ARN is not one
     */
    public Optional<IngestSource> change(OnloopPrincipal me, UUID id, Collection<String> arns) {
        Optional<IngestSource> found = access.sources(me.tenantId()).stream().filter(s -> s.id().equals(id)).findFirst();
        if (found.isEmpty()) {
            return found;
        }
        IngestSource s = found.get();
        if (s.format() != SourceType.SNS) {
            throw new IllegalArgumentException("topic ARNs apply to sns sources only");
        }
        List<String> topics = checked(s.format(), arns);
        if (!access.setSourceTopics(me.tenantId(), id, topics)) {
            return Optional.empty(); // deleted meanwhile
        }
        sourceCache.forgetAll();
        audit.record(me.tenantId(), me.name(), "source.topics", "source", id.toString(),
                topics.isEmpty() ? "topicArns=any" : "topicArns=" + String.join(",", topics));
        return Optional.of(new IngestSource(s.id(), s.tenantId(), s.format(), s.name(), s.tokenHash(),
                s.verifySignatures(), topics, s.createdAt()));
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
