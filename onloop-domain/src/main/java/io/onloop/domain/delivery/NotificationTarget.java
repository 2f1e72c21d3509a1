package io.onloop.domain.delivery;

import io.onloop.domain.routing.Notification;

import java.util.Map;
import java.util.Optional;

/**
 * Port: one kind of place notifications go (Slack, e-mail, a webhook, ...). An adapter must be
 * idempotent per {@link Notification#dedupKey()}: sending the same notification twice (a retry
 * after a timeout) must not open a second ticket or page. It does so with the target's own dedup
 * key where the target has one, else with the thread reference onloop stores for it.
 */
public interface NotificationTarget {

    TargetDescriptor descriptor();

    /**
     * Sends or updates.
     *
     * @param settings  this target's settings, validated against the descriptor
     * @param threadRef what {@link SendResult#threadRef()} returned for an earlier notification of the thread
     */
    SendResult send(Notification notification, Map<String, String> settings, Optional<String> threadRef);

    /**
     * Whether this target, with these settings, can show that a person acknowledged the thread's
     * incident. Only then does routing queue {@link #acknowledge} deliveries for it.
     */
    default boolean showsAcknowledgements(Map<String, String> settings) {
        return false;
    }

    /** Shows an acknowledgement on the thread; idempotent like {@link #send}. */
    default SendResult acknowledge(Acknowledgement ack, Map<String, String> settings, Optional<String> threadRef) {
        return SendResult.failed(descriptor().type() + " does not show acknowledgements");
    }
}
