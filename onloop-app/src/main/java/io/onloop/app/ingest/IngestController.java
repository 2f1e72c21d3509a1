package io.onloop.app.ingest;

import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.config.OnloopProperties;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.ParseResult;
import io.onloop.domain.ingest.SignatureRejectedException;
import io.onloop.domain.ingest.SourceSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/v1/ingest/{format}}: the native webhook of each monitoring source, unchanged.
 * Checks in order: format, source token, media type, body size, payload. Nothing is answered 2xx
 * before the events are committed (the ingestor completes only after its transaction commits).
 */
@RestController
@Tag(name = "ingest")
class IngestController {
    private static final Logger LOG = LoggerFactory.getLogger(IngestController.class);
    static final String ACCEPTED_TYPES = "application/json, application/*+json, text/plain";
    /** Credentials never reach a parser (which might keep headers with the payload). */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "x-onloop-token", "cookie");

    private final IngestFormats formats;
    private final IngestSourceCache sources;
    private final EventNormalizer normalizer;
    private final EventIngestor ingestor;
    private final SubscriptionConfirmer confirmer;
    private final AuditLog audit;
    private final Clock clock;
    private final OnloopProperties.Ingest config;
    private final MeterRegistry meters;

    IngestController(IngestFormats formats, IngestSourceCache sources, EventNormalizer normalizer, EventIngestor ingestor,
                     SubscriptionConfirmer confirmer, AuditLog audit, Clock clock, OnloopProperties props,
                     MeterRegistry meters) {
        this.formats = formats;
        this.sources = sources;
        this.normalizer = normalizer;
        this.ingestor = ingestor;
        this.confirmer = confirmer;
        this.audit = audit;
        this.clock = clock;
        this.config = props.ingest();
        this.meters = meters;
    }

    @PostMapping("/api/v1/ingest/{format}")
    @Operation(summary = "Receive a native webhook payload",
            description = "Authenticate with the source's token: Authorization: Bearer, HTTP Basic (token as "
                    + "password), X-Onloop-Token, or ?token=. Answers 202 once the events are committed.")
    ResponseEntity<?> ingest(@PathVariable String format, HttpServletRequest request) {
        EventParser parser = formats.parser(format).orElse(null);
        if (parser == null) {
            rejected("unknown", "unknown-format");
            throw new ApiException(HttpStatus.NOT_FOUND, "Unknown ingest format",
                    "no ingest format '" + format + "'; formats: " + String.join(", ", formats.ids()))
                    .with("formats", formats.ids());
        }
        Timer.Sample sample = Timer.start(meters);
        try {
            return accept(parser, request);
        } catch (ApiException e) {
            rejected(parser.format().id(), reason(e.status()));
            throw e;
        } finally {
            sample.stop(meters.timer("onloop.ingest.latency", "format", parser.format().id()));
        }
    }

    private ResponseEntity<?> accept(EventParser parser, HttpServletRequest request) {
        IngestSource source = authenticate(parser, request);
        checkMediaType(request.getContentType());
        byte[] body = readBody(request);
        ParseResult result = parse(parser, new IngestRequest(body, headers(request),
                new SourceSettings(source.verifySignatures())));

        if (result.subscribeConfirmUrl() != null) {
            confirmSubscription(source, result.subscribeConfirmUrl());
            return ResponseEntity.ok(Map.of("confirmed", true));
        }
        Instant now = clock.instant();
        List<Event> events = result.alerts().stream()
                .map(a -> normalizer.toEvent(source.tenantId(), source.id(), source.format(), a, now)).toList();
        List<Event> stored = commit(events);
        meters.counter("onloop.ingest.events", "format", parser.format().id()).increment(stored.size());
        return ResponseEntity.accepted().body(new IngestResponse(stored.size(),
                stored.stream().map(Event::id).toList(),
                stored.stream().map(Event::incidentId).filter(Objects::nonNull).distinct().toList(),
                result.truncatedAlerts(), result.warnings()));
    }

    private IngestSource authenticate(EventParser parser, HttpServletRequest request) {
        String token = SourceCredentials.token(request).orElseThrow(() -> unauthorized(
                "an ingest token is required: Authorization: Bearer <token>, HTTP Basic with the token as "
                        + "password, the X-Onloop-Token header, or ?token=<token>"));
        IngestSource source = sources.find(Secrets.sha256Hex(token))
                .orElseThrow(() -> unauthorized("unknown ingest token"));
        if (source.format() != parser.format()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Wrong ingest format",
                    "this token belongs to a '" + source.format().id() + "' source; post to /api/v1/ingest/"
                            + source.format().id());
        }
        return source;
    }

    private static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"onloop-ingest\"");
    }

    /** JSON in its usual labels, text/plain (SNS) or no Content-Type at all; parsers decide what the bytes mean. */
    private static void checkMediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
            boolean json = type.getType().equalsIgnoreCase("application")
                    && (subtype.equals("json") || subtype.endsWith("+json"));
            boolean text = type.getType().equalsIgnoreCase("text") && subtype.equals("plain");
            if (json || text) {
                return;
            }
        } catch (InvalidMediaTypeException e) {
            // answered below
        }
        throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                "Content-Type must be one of: " + ACCEPTED_TYPES)
                .with("accepted", List.of("application/json", "application/*+json", "text/plain"))
                .header("Accept-Post", "application/json, text/plain");
    }

    /** Reads at most the limit plus one byte, whatever Content-Length says (it may be absent: chunked). */
    private byte[] readBody(HttpServletRequest request) {
        int max = config.maxBodyBytes();
        if (request.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(max + 1);
        } catch (IOException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Unreadable body", "the request body could not be read");
        }
        if (body.length > max) {
            throw tooLarge(max);
        }
        return body;
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                "the body exceeds the limit of " + max + " bytes").with("maxBytes", max);
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, Collections.list(request.getHeaders(name)));
            }
        }
        return out;
    }

    private ParseResult parse(EventParser parser, IngestRequest request) {
        try {
            return parser.parse(request);
        } catch (InvalidPayloadException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid payload", e.getMessage())
                    .with("pointer", e.pointer());
        } catch (SignatureRejectedException e) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Signature rejected", e.getMessage());
        } catch (RuntimeException e) {
            // A parser bug must not turn bad input into a 5xx; the payload is the only input it had.
            // The message may quote the payload, which is not redacted yet: log the class and where only.
            LOG.warn("{} parser failed on a payload: {} at {}", parser.format().id(), e.getClass().getName(),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid payload", "the payload could not be parsed")
                    .with("pointer", "");
        }
    }

    private void confirmSubscription(IngestSource source, String url) {
        try {
            confirmer.confirm(URI.create(url));
        } catch (IOException | RuntimeException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "Subscription not confirmed",
                    "could not confirm the SNS subscription: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while confirming the SNS subscription");
        }
        audit.record(source.tenantId(), "source:" + source.name(), "source.sns-subscription-confirm", "source",
                source.id().toString(), "SNS subscription confirmed");
    }

    /** Waits for the group commit. Anything but a commit is a 503: the sender should retry. */
    private List<Event> commit(List<Event> events) {
        try {
            return ingestor.submit(events).get(config.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EventIngestor.OverloadedException) {
                throw unavailable("onloop is overloaded; retry later");
            }
            LOG.error("storing {} events failed", events.size(), e.getCause());
            throw unavailable("the events could not be stored; retry later");
        } catch (TimeoutException e) {
            throw unavailable("the events were not committed in time; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while storing the events");
        }
    }

    private ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, config.retryAfter().toSeconds())));
    }

    private void rejected(String format, String reason) {
        meters.counter("onloop.ingest.rejected", "format", format, "reason", reason).increment();
    }

    private static String reason(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> "unauthenticated";
            case FORBIDDEN -> "forbidden";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            case CONTENT_TOO_LARGE -> "too-large";
            case BAD_REQUEST -> "invalid-payload";
            case SERVICE_UNAVAILABLE -> "unavailable";
            default -> "other";
        };
    }
}
