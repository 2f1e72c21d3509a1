package io.onloop.domain.routing;

import java.time.Instant;
import java.util.Optional;

/** Port: a tenant's routing file as it was last saved through the API (the text, so comments survive). */
public interface RoutingConfigStore {

    record StoredRouting(String yaml, Instant updatedAt, String updatedBy) {
    }

    Optional<StoredRouting> routing(String tenantId);

    void saveRouting(String tenantId, StoredRouting routing);
}
