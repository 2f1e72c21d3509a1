package io.onloop.app.ingest;

import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.config.OnloopProperties;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventJournal;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.ParseResult;
import io.onloop.domain.ingest.SignatureRejectedException;
import io.onloop.domain.ingest.SourceSettings;
import io.onloop.domain.ingest.TopicNotAllowedException;
import io.onloop.domain.store.StoreUnreachableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /api/v1/ingest/{format}}: the native webhook of each monitoring source, unchanged.
 * Checks in order: format, source token, media type, body size, content encoding, payload. Answers 202 once the
 * events are in the journal on disk (see {@link EventIngestor}).
 *
 * <p>The first filter, answering the request itself: no other filter (Spring Security's firewall, the
 * HTTP observation, ...) and no MVC runs for ingest. This is the hot path (alert storms), it
 * authenticates by the source's own token and keeps its own metrics, and that machinery was a sixth of
 * an ingest request's CPU (see docs/benchmarks.md). A filter rather than a servlet,
 * because Spring Boot maps a servlet bean without a registration of its own to "/".
 * Refusals are problem+json like the rest of the API.
 */
@Component
public class IngestFilter extends HttpFilter {
    public static final String PATH = "/api/v1/ingest/";
    private static final Logger LOG = LoggerFactory.getLogger(IngestFilter.class);
    static final String ACCEPTED_TYPES = "application/json, application/*+json, text/plain";
    private static final Pattern PREFER_WAIT = Pattern.compile("(?i)(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,6})");

    private final IngestFormats formats;
    private final IngestSourceCache sources;
    private final EventNormalizer normalizer;
    private final EventIngestor ingestor;
    private final SubscriptionConfirmer confirmer;
    private final AuditLog audit;
    private final Clock clock;
    private final OnloopProperties.Ingest config;
    private final MeterRegistry meters;
    private final JsonMapper json;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
    private final RecentDeliveries deliveries;

    public IngestFilter(IngestFormats formats, IngestSourceCache sources, EventNormalizer normalizer,
                        EventIngestor ingestor, SubscriptionConfirmer confirmer, AuditLog audit, Clock clock,
                        OnloopProperties props, MeterRegistry meters, JsonMapper json) {
        this.formats = formats;
        this.sources = sources;
        this.normalizer = normalizer;
        this.ingestor = ingestor;
        this.confirmer = confirmer;
        this.audit = audit;
        this.clock = clock;
        this.deliveries = new RecentDeliveries(clock);
        this.config = props.ingest();
        this.meters = meters;
        this.json = json;
    }

    /** Never passes the request on: ingest paths reach nothing else. */
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException {
        try {
            if (!"POST".equals(request.getMethod())) {
                throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
                        "ingest endpoints take POST").header(HttpHeaders.ALLOW, "POST");
            }
            // the servlet path is decoded with "//" merged ("http://onloop/" + "/api/v1/..." from a sender's template)
            String path = request.getServletPath() + Objects.requireNonNullElse(request.getPathInfo(), "");
            String format = path.length() < PATH.length() ? "" : path.substring(PATH.length()); // "/api/v1/ingest" matches "/api/v1/ingest/*" too
            EventParser parser = formats.parser(format).orElse(null);
            if (parser == null) {
                rejected("unknown", "unknown-format");
                throw new ApiException(HttpStatus.NOT_FOUND, "Unknown ingest format",
                        "no ingest format '" + format + "'; formats: " + String.join(", ", formats.ids()))
                        .with("formats", formats.ids());
            }
            String id = parser.format().id();
            long start = System.nanoTime();
            try {
                accept(parser, request, response);
            } catch (ApiException e) {
                rejected(id, reason(e.status()));
                throw e;
            } finally {
                latency.computeIfAbsent(id, f -> Timer.builder("onloop.ingest.latency").tag("format", f).register(meters))
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        } catch (ApiException e) {
            // the path and the reason only: the query string and headers may carry the token
            LOG.debug("ingest refused {} {}: {} {}", request.getMethod(), request.getRequestURI(), e.status().value(),
                    e.getMessage());
            problem(request, response, e);
        } catch (StoreUnreachableException e) { // a source never read before the outage; an SNS confirmation's audit
            LOG.warn("ingest refused on {}: {}", request.getRequestURI(), e.getMessage());
            problem(request, response, unavailable("onloop cannot reach its database right now; retry later"));
        } catch (RuntimeException e) {
            // a bug, and the only 500; logged without the query string or headers (they may carry credentials)
            LOG.error("ingest failed on {}", request.getRequestURI(), e);
            problem(request, response, new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                    "an unexpected error occurred; it has been logged"));
        }
    }

    private void accept(EventParser parser, HttpServletRequest request, HttpServletResponse response) throws IOException {
        IngestSource source = authenticate(parser, request);
        checkMediaType(request.getContentType());
        if (ingestor.overloaded()) { // refused as submit would, before the body is read, parsed and redacted for nothing
            throw unavailable("onloop is overloaded; retry later");
        }
        byte[] body = readBody(request);
        ParseResult result = parse(parser, new IngestRequest(body, headers(request),
                new SourceSettings(source.verifySignatures(), source.topicArns())));

        if (result.subscribeConfirmUrl() != null) {
            confirmSubscription(source, result.subscribeConfirmUrl());
            write(response, 200, Map.of("confirmed", true));
            return;
        }
        String delivery = result.deliveryId();
        RecentDeliveries.Key deliveryKey = delivery == null ? null : RecentDeliveries.Key.of(source.id(), delivery, body);
        Optional<List<UUID>> earlier = deliveryKey == null ? Optional.empty() : deliveries.accepted(deliveryKey);
        if (earlier.isPresent()) {
            write(response, 202, new IngestResponse(earlier.get().size(), earlier.get(), false, null, 0,
                    // a CloudEvent's delivery id is its source and id with a NUL between, which is no sight for a reader
                    List.of("delivery " + delivery.replace('\u0000', ' ') + " was accepted before (these are its event ids);"
                            + " not stored again")));
            return;
        }
        if (result.alerts().size() > config.maxEventsPerRequest()) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Too many alerts", "the body holds "
                    + result.alerts().size() + " alerts; a request may hold at most " + config.maxEventsPerRequest()
                    + " (onloop.ingest.max-events-per-request): send them in smaller requests")
                    .with("maxEvents", config.maxEventsPerRequest());
        }
        Instant now = clock.instant();
        List<Event> events = result.alerts().stream()
                .map(a -> normalizer.toEvent(source.tenantId(), source.id(), source.format(), a, now)).toList();
        Duration wait = preferredWait(request);
        EventIngestor.Receipt receipt = ingestor.submit(events, wait != null);
        await(receipt.durable(), config.commitTimeout(), events.size());
        List<UUID> eventIds = events.stream().map(Event::id).toList();
        if (deliveryKey != null) {
            deliveries.remember(deliveryKey, eventIds);
        }
        accepted.computeIfAbsent(parser.format().id(), f -> Counter.builder("onloop.ingest.events").tag("format", f)
                .register(meters)).increment(events.size());

        List<Event> stored = wait == null ? null : storedWithin(receipt, wait);
        if (stored != null) {
            response.setHeader("Preference-Applied", "wait=" + wait.toSeconds());
        }
        write(response, 202, new IngestResponse(events.size(), eventIds, stored != null,
                stored == null ? null : stored.stream().map(Event::incidentId).filter(Objects::nonNull).distinct().toList(),
                result.truncatedAlerts(), result.warnings()));
    }

    /** RFC 7240 {@code Prefer: wait=N}: the sender would rather wait up to N seconds for incident ids. */
    private Duration preferredWait(HttpServletRequest request) {
        for (String prefer : Collections.list(request.getHeaders("Prefer"))) {
            Matcher m = PREFER_WAIT.matcher(prefer);
            if (m.find()) {
                Duration asked = Duration.ofSeconds(Long.parseLong(m.group(1)));
                return asked.compareTo(config.maxPreferWait()) > 0 ? config.maxPreferWait() : asked;
            }
        }
        return null;
    }

    private static List<Event> storedWithin(EventIngestor.Receipt receipt, Duration wait) {
        try {
            return receipt.applied().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null; // accepted all the same; the sender just does not get incident ids now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private IngestSource authenticate(EventParser parser, HttpServletRequest request) {
        String token = SourceCredentials.token(request).orElseThrow(() -> unauthorized(
                "an ingest token is required: Authorization: Bearer <token>, HTTP Basic with the token as "
                        + "password, the X-Onloop-Token header, or ?token=<token>"));
        IngestSource source = sources.find(Secrets.sha256Hex(token))
                .orElseThrow(() -> unauthorized("unknown ingest token"));
        if (source.format() != parser.format()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Wrong ingest format",
                    "this token belongs to a source of format '" + source.format().id() + "'; post to /api/v1/ingest/"
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

    /**
     * Reads at most the limit plus one byte: a Content-Length over the limit is refused before reading, one within
     * it is read as given, and without one (chunked) the limit plus one byte is read.
     */
    private byte[] readBody(HttpServletRequest request) {
        int max = config.maxBodyBytes();
        long length = request.getContentLengthLong();
        if (length > max) {
            throw tooLarge(max);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            // with a Content-Length, an array of that size for a body up to 16 KiB (readNBytes(max + 1) starts
            // with a 16 KiB one for every request, however small its body)
            body = in.readNBytes(length >= 0 ? (int) length : max + 1);
        } catch (IOException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Unreadable body", "the request body could not be read");
        }
        if (body.length > max) {
            throw tooLarge(max);
        }
        return decoded(body, request.getHeader(HttpHeaders.CONTENT_ENCODING), max);
    }

    /**
     * A gzip body (Vector, Fluent Bit, OpenTelemetry collectors and proxies may compress what they send) is
     * unpacked up to the same limit, so a small bomb is refused like a large body; other codings are a 415 naming
     * the one understood (RFC 7694).
     */
    private static byte[] decoded(byte[] body, String encoding, int max) {
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            return body;
        }
        String coding = encoding.strip().toLowerCase(Locale.ROOT);
        if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content encoding",
                    "Content-Encoding '" + encoding.strip() + "' is not understood; send the body as is or gzip")
                    .with("accepted", List.of("gzip", "identity"))
                    .header(HttpHeaders.ACCEPT_ENCODING, "gzip");
        }
        byte[] unpacked;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            unpacked = in.readNBytes(max + 1);
        } catch (IOException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Unreadable body",
                    "the body is marked Content-Encoding: gzip but is not valid gzip");
        }
        if (unpacked.length > max) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                    "the body unpacks to more than the limit of " + max + " bytes").with("maxBytes", max);
        }
        return unpacked;
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                "the body exceeds the limit of " + max + " bytes").with("maxBytes", max);
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!isCredential(name)) {
                out.put(name, Collections.list(request.getHeaders(name)));
            }
        }
        return out;
    }

    /** Credentials never reach a parser (which might keep headers with the payload). */
    private static boolean isCredential(String header) {
        return header.equalsIgnoreCase("authorization") || header.equalsIgnoreCase("x-onloop-token")
                || header.equalsIgnoreCase("cookie");
    }

    private ParseResult parse(EventParser parser, IngestRequest request) {
        try {
            return parser.parse(request);
        } catch (InvalidPayloadException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid payload", e.getMessage())
                    .with("pointer", e.pointer());
        } catch (TopicNotAllowedException e) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Topic not allowed", e.getMessage());
        } catch (SignatureRejectedException e) {
            // Worth an operator's eye: a subscription that never confirms (say, behind an egress firewall) shows here.
            LOG.warn("{} signature rejected: {}", parser.format().id(), e.getMessage());
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
            // 502, so that SNS sends the confirmation again; the URL's query holds the subscription's token: host only
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn("source {}: could not confirm the SNS subscription at {}: {}", source.name(),
                    URI.create(url).getHost(), why);
            throw new ApiException(HttpStatus.BAD_GATEWAY, "Subscription not confirmed",
                    "could not confirm the SNS subscription at " + URI.create(url).getHost() + ": " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while confirming the SNS subscription");
        }
        audit.record(source.tenantId(), "source:" + source.name(), "source.sns-subscription-confirm", "source",
                source.id().toString(), "SNS subscription confirmed");
    }

    /** Waits until the events are on disk. Anything else is a 503: the sender should retry. */
    private void await(CompletableFuture<Void> durable, Duration timeout, int events) {
        try {
            durable.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EventIngestor.OverloadedException) {
                throw unavailable("onloop is overloaded; retry later");
            }
            if (e.getCause() instanceof EventJournal.RecordTooLargeException tooLarge) {
                // never stored however often it is sent again: not a 503
                throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", "the " + events
                        + " events of this request make a journal record larger than one may be (" + tooLarge.getMessage()
                        + "): send the alerts in smaller requests");
            }
            LOG.error("journaling {} events failed", events, e.getCause());
            throw unavailable("the events could not be stored; retry later");
        } catch (TimeoutException e) {
            throw unavailable("the events were not written in time; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while storing the events");
        }
    }

    private ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, config.retryAfter().toSeconds())));
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", e.title());
        body.put("status", e.status().value());
        body.put("detail", e.getMessage());
        body.put("instance", request.getRequestURI());
        body.putAll(e.properties());
        e.headers().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        writeBody(response, e.status().value(), body);
    }

    private void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        writeBody(response, status, body);
    }

    private void writeBody(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
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
