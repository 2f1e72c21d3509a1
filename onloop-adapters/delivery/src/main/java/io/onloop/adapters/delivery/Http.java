package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.privacy.SecretRedactor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP calls targets make (JDK client), and the one rule for what a response means: 2xx is
 * done; 408, 425, 429 and 5xx are worth retrying (honouring Retry-After); other 4xx will not get
 * better by retrying. Errors carry the status and a short, clipped excerpt of the body: never a
 * header (they hold credentials) and never the URL (some hold tokens).
 */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /**
     * The most one call takes, headers and body: the JDK's request timeout only covers waiting for the headers, so a
     * server that then sends its body a byte a second held a send for minutes, past the delivery's lease
     * ({@link DeliveryWorker#LEASE}, 2 minutes), and the delivery was claimed and sent again. The most calls one send
     * makes is four (Jira: search, create, the transitions, then one to make or to check): 80 s, within the lease.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Http() {
    }

    /** Thrown when a call should end the send with this result. */
    static final class Outcome extends Exception {
        final SendResult result;

        Outcome(SendResult result) {
            super(result.error(), null, false, false);
            this.result = result;
        }
    }

    static HttpResponse<String> call(String method, String url, Map<String, String> headers, String body)
            throws Outcome {
        return call(method, url, headers, body, TIMEOUT);
    }

    static HttpResponse<String> call(String method, String url, Map<String, String> headers, String body,
                                     Duration timeout) throws Outcome {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        headers.forEach(b::header);
        HttpResponse<String> r;
        CompletableFuture<HttpResponse<String>> exchange = CLIENT.sendAsync(b.build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            r = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true); // the JDK client then aborts the exchange and closes its connection
            throw new Outcome(SendResult.retry(method + " failed: no whole answer within " + timeout.toSeconds()
                    + " s", null));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new Outcome(SendResult.retry(method + " failed: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + Markup.clip(cause.getMessage(), 200)), null));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new Outcome(SendResult.retry("interrupted", null));
        }
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return r;
        }
        // kept as the delivery's error, which viewers read: what a target echoes back (a token it refused) is redacted
        String answer = r.body() == null ? "" : Markup.clip(r.body().strip(), 2_000); // redacted whole, then cut
        String error = "HTTP " + s + ": " + Markup.clip(SecretRedactor.redact(answer), 300);
        if (s == 408 || s == 425 || s == 429 || s >= 500) {
            throw new Outcome(SendResult.retry(error, retryAfter(r).orElse(null)));
        }
        throw new Outcome(SendResult.failed(error));
    }

    /** Retry-After as seconds or an HTTP date (RFC 9110). */
    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(String::strip).flatMap(v -> {
            if (v.matches("\\d+")) { // more digits than a long holds is simply "very long"
                return Optional.of(Duration.ofSeconds(v.length() > 15 ? Long.MAX_VALUE / 2 : Long.parseLong(v)));
            }
            try {
                Duration d = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
