package io.onloop.app.ingest;

import io.onloop.adapters.ingest.SnsParser;
import io.onloop.app.api.AuditLog;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.SourceType;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates, restricts and deletes a tenant's ingest sources, for the API and the console alike: each change is
 * audited and seen by ingest at once. Callers check the format and name; topics are checked here.
 */
@Component
public class IngestSources {
    /**
     * At most this many topics of at most {@link #MAX_ARN} characters each, one per line: the topic_arns column
     * (V8__source_topics.sql, 32,100 characters) and the console's textareas (integrations.html) are sized for it.
     */
    public static final int MAX_TOPICS = 100;
    /** The longest ARN: partition, region and account are short, a topic name is at most 256 characters. */
    static final int MAX_ARN = 320;
    private static final String SNS_ONLY = "topic ARNs apply to sns sources only";

    private final AccessStore access;
    private final IngestSourceCache sourceCache;
    private final AuditLog audit;
    private final Clock clock;

    IngestSources(AccessStore access, IngestSourceCache sourceCache, AuditLog audit, Clock clock) {
        this.access = access;
        this.sourceCache = sourceCache;
        this.audit = audit;
        this.clock = clock;
    }

    /** A source of the name asked for exists: a conflict the person can resolve, said as such. */
    public static final class NameTakenException extends RuntimeException {
        NameTakenException(String message) {
            super(message);
        }
    }

    /** A new source and its token, which is shown this once and stored only as its SHA-256. */
    public record Created(IngestSource source, String token) {
    }

    /**
     * @throws IllegalArgumentException if a topic ARN is not one, or the source is not an SNS source and has some
     * @throws NameTakenException       if the tenant has a source of that name (in any case)
     */
    public Created create(OnloopPrincipal me, SourceType format, String name, boolean verifySignatures,
                          Collection<String> topicArns) {
        List<String> topics = checkedTopics(format, topicArns);
        String token = Secrets.newToken(Secrets.SOURCE_TOKEN_PREFIX);
        Instant now = clock.instant();
        var source = new IngestSource(Ids.newId(now), me.tenantId(), format, name, Secrets.sha256Hex(token),
                verifySignatures, topics, now);
        audit.inOneTransaction(() -> {
            // one name, one source: the audit log and the console tell sources apart by name
            access.sources(me.tenantId()).stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst()
                    .ifPresent(s -> {
                        throw new NameTakenException("a source is already called '" + s.name() + "'");
                    });
            access.createSource(source);
            audit.record(me.tenantId(), me.name(), "source.create", "source", source.id().toString(),
                    "format=" + format.id() + " name=" + name + (verifySignatures ? "" : " verifySignatures=false")
                            + (topics.isEmpty() ? "" : " topicArns=" + String.join(",", topics)));
            return source;
        });
        return new Created(source, token);
    }

    /**
     * Replaces the SNS topics a source takes messages from (none: any topic).
     *
     * @return the source as it is now; empty if the tenant has no such source
     * @throws IllegalArgumentException if the source is not an SNS source or an ARN is not one
     */
    public Optional<IngestSource> changeTopics(OnloopPrincipal me, UUID id, Collection<String> topicArns) {
        Optional<IngestSource> found = access.sources(me.tenantId()).stream().filter(s -> s.id().equals(id)).findFirst();
        if (found.isEmpty()) {
            return found;
        }
        IngestSource s = found.get();
        if (s.format() != SourceType.SNS) {
            throw new IllegalArgumentException(SNS_ONLY);
        }
        List<String> topics = checkedTopics(s.format(), topicArns);
        boolean changed = audit.inOneTransaction(() -> {
            if (!access.setSourceTopics(me.tenantId(), id, topics)) {
                return false; // deleted meanwhile
            }
            audit.record(me.tenantId(), me.name(), "source.topics", "source", id.toString(),
                    topics.isEmpty() ? "topicArns=any" : "topicArns=" + String.join(",", topics));
            return true;
        });
        if (!changed) {
            return Optional.empty();
        }
        sourceCache.forgetAll(); // after the commit: a request in between would cache the old source again
        return Optional.of(s.withTopicArns(topics));
    }

    /** @return false if the tenant has no such source; otherwise its token stops working at once */
    public boolean delete(OnloopPrincipal me, UUID id) {
        boolean deleted = audit.inOneTransaction(() -> {
            // read first: once deleted, the audit entry is all that says which source this id was
            Optional<IngestSource> found = access.sources(me.tenantId()).stream().filter(s -> s.id().equals(id)).findFirst();
            if (found.isEmpty() || !access.deleteSource(me.tenantId(), id)) {
                return false;
            }
            audit.record(me.tenantId(), me.name(), "source.delete", "source", id.toString(),
                    "format=" + found.get().format().id() + " name=" + found.get().name());
            return true;
        });
        if (deleted) {
            sourceCache.forgetAll(); // after the commit: a request in between would cache the deleted source again
        }
        return deleted;
    }

    /** The distinct topic ARNs, stripped and in order; empty means any topic. */
    static List<String> checkedTopics(SourceType format, Collection<String> arns) {
        List<String> topics = arns == null ? List.of()
                : arns.stream().map(a -> a == null ? "" : a.strip()).filter(a -> !a.isEmpty()).distinct().toList();
        if (topics.isEmpty()) {
            return topics;
        }
        if (format != SourceType.SNS) {
            throw new IllegalArgumentException(SNS_ONLY);
        }
        if (topics.size() > MAX_TOPICS) {
            throw new IllegalArgumentException("at most " + MAX_TOPICS + " topic ARNs");
        }
        for (String arn : topics) {
            boolean tooLong = arn.length() > MAX_ARN;
            if (tooLong || !SnsParser.isTopicArn(arn)) {
                throw new IllegalArgumentException("not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>): "
                        + (tooLong ? arn.substring(0, MAX_ARN) + "..." : arn));
            }
        }
        return topics;
    }
}
