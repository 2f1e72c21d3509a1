package io.onloop.app.routing;

import io.onloop.adapters.delivery.InvalidRoutesException;
import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.ingest.IngestFormats;
import io.onloop.app.routing.RoutingDtos.DryRunDto;
import io.onloop.app.routing.RoutingDtos.ProblemDto;
import io.onloop.app.routing.RoutingDtos.RoutingSummaryDto;
import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.SignatureRejectedException;
import io.onloop.domain.ingest.SourceSettings;
import io.onloop.domain.routing.DryRun;
import io.onloop.domain.routing.RoutingConfig;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Saving and validating a route file and dry-running an alert, with their checks and audit entry:
 * shared by the API and the console. Bad input is an {@link ApiException}; an invalid file's carries
 * {@code errors}, a list of {@link ProblemDto} (line, column, path, message) in file order.
 */
@Component
public class RouteActions {
    static final int MAX_FILE = 1_000_000;

    /** What ingest takes by default (onloop.ingest.max-body-bytes); a dry run is for one delivery's alerts. */
    static final int MAX_DRY_RUN_BYTES = 1024 * 1024;
    /** Each explained alert answers with its labels and route walk: a bound on the answer. */
    static final int MAX_DRY_RUN_ALERTS = 1000;

    private final RoutingService routing;
    private final AuditLog audit;
    private final IngestFormats formats;
    private final EventNormalizer normalizer;
    private final Clock clock;

    RouteActions(RoutingService routing, AuditLog audit, IngestFormats formats, EventNormalizer normalizer, Clock clock) {
        this.routing = routing;
        this.audit = audit;
        this.formats = formats;
        this.normalizer = normalizer;
        this.clock = clock;
    }

    public RoutingSummaryDto save(String tenantId, String actor, String yaml) {
        return audit.inOneTransaction(() -> {
            RoutingSummaryDto summary = parse(yaml, text -> routing.save(tenantId, text, actor));
            audit.record(tenantId, actor, "routes.update", "routes", tenantId,
                    summary.routes() + " routes, receivers " + summary.receivers());
            return summary;
        });
    }

    public RoutingSummaryDto validate(String yaml) {
        return parse(yaml, routing::validate);
    }

    /** Where each alert of the body (in the given ingest format) would go now, and why. */
    public List<DryRunDto> dryRun(String tenantId, String format, byte[] body) {
        EventParser parser = formats.parser(format)
                .orElseThrow(() -> ApiException.badParameter("format", "expected one of " + formats.ids()));
        if (body == null || body.length == 0) {
            throw ApiException.badParameter("body", "an alert is required");
        }
        if (body.length > MAX_DRY_RUN_BYTES) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                    "a dry run takes at most " + MAX_DRY_RUN_BYTES + " bytes, as ingest does");
        }
        Instant now = clock.instant();
        try {
            var alerts = parser.parse(new IngestRequest(body, Map.of(), new SourceSettings(false, List.of()))).alerts();
            if (alerts.size() > MAX_DRY_RUN_ALERTS) {
                throw ApiException.badParameter("body", "a dry run explains at most " + MAX_DRY_RUN_ALERTS
                        + " alerts; this has " + alerts.size());
            }
            List<Event> events = alerts.stream().map(a -> normalizer.toEvent(tenantId, null, parser.format(), a, now))
                    .toList();
            List<DryRun> runs = routing.dryRun(events);
            List<DryRunDto> out = new java.util.ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                out.add(DryRunDto.of(events.get(i).fingerprint(), events.get(i).status().id(), runs.get(i)));
            }
            return out;
        } catch (InvalidPayloadException | SignatureRejectedException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid payload", e.getMessage());
        }
    }

    private static RoutingSummaryDto parse(String yaml, Function<String, RoutingConfig> parse) {
        if (yaml != null && yaml.length() > MAX_FILE) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                    "a route file is at most " + MAX_FILE + " characters");
        }
        if (yaml == null || yaml.isBlank()) {
            throw ApiException.badParameter("body", "a route file (YAML) is required");
        }
        try {
            return RoutingSummaryDto.of(parse.apply(yaml));
        } catch (InvalidRoutesException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid route file", e.problems().size()
                    + " problem(s); first: " + e.problems().getFirst())
                    .with("errors", e.problems().stream().map(ProblemDto::of).toList());
        }
    }
}
