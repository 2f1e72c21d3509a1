package io.onloop.domain.routing;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Port: silences, kept forever (expiry ends them, nothing deletes them). Every read is tenant-scoped. */
public interface SilenceStore {

    void saveSilence(Silence silence);

    Optional<Silence> findSilence(String tenantId, UUID id);

    /** Newest first; with {@code includeExpired} false only pending and active ones. */
    List<Silence> silences(String tenantId, boolean includeExpired, java.time.Instant now);
}
