package io.onloop.app.ingest;

import java.io.IOException;
import java.net.URI;

/**
 * Confirms an SNS subscription by fetching its SubscribeURL. The parser has already checked that
 * the URL is https on an {@code sns.<region>.amazonaws.com} host; a bean so tests can replace the network.
 */
public interface SubscriptionConfirmer {

    void confirm(URI subscribeUrl) throws IOException, InterruptedException;
}
