package io.onloop.domain.ingest;

import io.onloop.domain.event.NormalizedAlert;

import java.util.List;
import java.util.Objects;

/**
 * What a parser found in one payload.
 *
 * @param alerts              the alerts, in payload order (may be empty, e.g. an SNS subscription confirmation)
 * @param truncatedAlerts     alerts the sender says it left out (Alertmanager's {@code truncatedAlerts})
 * @param warnings            things worth telling the sender that did not make the payload invalid
 * @param subscribeConfirmUrl for an SNS SubscriptionConfirmation: the validated SubscribeURL to GET
 * @param deliveryId          the id the sender gives this delivery and keeps when it sends it again (SNS
 *                            MessageId, EventBridge id, a single CloudEvent's source and id); null if none
 */
public record ParseResult(List<NormalizedAlert> alerts, int truncatedAlerts, List<String> warnings,
                          String subscribeConfirmUrl, String deliveryId) {

    public ParseResult(List<NormalizedAlert> alerts, int truncatedAlerts, List<String> warnings,
                       String subscribeConfirmUrl) {
        this(alerts, truncatedAlerts, warnings, subscribeConfirmUrl, null);
    }

    public ParseResult {
        alerts = List.copyOf(alerts);
        warnings = List.copyOf(Objects.requireNonNullElse(warnings, List.of()));
    }

    public static ParseResult of(List<NormalizedAlert> alerts) {
        return new ParseResult(alerts, 0, List.of(), null);
    }

    public ParseResult withDeliveryId(String id) {
        return new ParseResult(alerts, truncatedAlerts, warnings, subscribeConfirmUrl, id == null || id.isBlank() ? null : id);
    }
}
