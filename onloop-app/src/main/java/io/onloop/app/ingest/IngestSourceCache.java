package io.onloop.app.ingest;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.store.StoreUnreachableException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest sources by token hash, remembered briefly so a busy sender does not cost a database read
 * per request. Deleting or changing a source on this node forgets it at once; another node of a cluster stops
 * accepting its token within {@link #TTL}. Unknown tokens are never remembered. One request per TTL reads a source
 * again; the others take it as it was meanwhile. While the database cannot be reached, a source read before is taken
 * as it was last read, so that ingest goes on into the journal.
 */
@Component
public class IngestSourceCache {
    static final Duration TTL = Duration.ofSeconds(10);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(IngestSource source, Instant expires) {
    }

    private final AccessStore access;
    private final Clock clock;
    private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
    /** Bumped by every forgetAll(); a read that started before a bump is not cached. */
    private final AtomicLong generation = new AtomicLong();

    IngestSourceCache(AccessStore access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    Optional<IngestSource> find(String tokenHash) {
        Instant now = clock.instant();
        Entry e = byHash.get(tokenHash);
        if (e != null && now.isBefore(e.expires())) {
            return Optional.of(e.source());
        }
        long seen = generation.get();
        if (e != null && !byHash.replace(tokenHash, e, new Entry(e.source(), now.plus(TTL)))) {
            // Another request is reading it again (or it was forgotten): meanwhile it is what it was.
            Entry other = byHash.get(tokenHash);
            if (other != null) {
                return Optional.of(other.source());
            }
        }
        Optional<IngestSource> found;
        try {
            found = access.findSourceByTokenHash(tokenHash);
        } catch (StoreUnreachableException down) {
            if (e == null || generation.get() != seen) { // never read, or deleted or changed meanwhile
                throw down;
            }
            // As last read, for another TTL from now (the read above waited for the database): alerts still go
            // into the journal while it is down, and one request per TTL finds out whether it is back.
            byHash.computeIfPresent(tokenHash, (k, v) -> new Entry(v.source(), clock.instant().plus(TTL)));
            return Optional.of(e.source());
        }
        if (found.isPresent() && generation.get() == seen) {
            if (byHash.size() >= MAX_ENTRIES) {
                byHash.clear();
            }
            byHash.put(tokenHash, new Entry(found.get(), now.plus(TTL)));
            if (generation.get() != seen) {
                byHash.remove(tokenHash); // a delete ran while we stored it
            }
        } else if (found.isEmpty()) {
            byHash.remove(tokenHash);
        }
        return found;
    }

    /** Call after a source is deleted or changed (rare enough that forgetting everything is simplest). */
    public void forgetAll() {
        generation.incrementAndGet();
        byHash.clear();
    }
}
