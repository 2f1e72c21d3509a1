package io.onloop.app.ingest;

import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs the SubscribeURL: 10 s timeouts, and no redirects, so it cannot be bounced to another host. */
@Component
public class HttpSubscriptionConfirmer implements SubscriptionConfirmer {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Override
    public void confirm(URI subscribeUrl) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(subscribeUrl).timeout(TIMEOUT).GET().build();
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2) {
            throw new IOException("SNS answered " + status + " to the subscription confirmation");
        }
    }
}
