package io.onloop.domain.routing;

import java.util.Optional;
import java.util.UUID;

/** Port: the runbook recipe's summary for an incident, put into its notifications when there is one. */
@FunctionalInterface
public interface RecipeSummaries {

    Optional<String> summary(String tenantId, UUID incidentId);

    RecipeSummaries NONE = (tenant, incident) -> Optional.empty();
}
