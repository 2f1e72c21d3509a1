package io.onloop.app.routing;

import io.onloop.adapters.delivery.InvalidRoutesException;
import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.ingest.IngestFormats;
import io.onloop.app.routing.RoutingDtos.DryRunDto;
import io.onloop.app.routing.RoutingDtos.ProblemDto;
import io.onloop.app.routing.RoutingDtos.RoutingSummaryDto;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.SignatureRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The tenant's route file (admin: it holds target credentials), its validation, and dry runs. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "routing")
class RoutesController {
    static final int MAX_FILE = 1_000_000;
    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final RoutingService routing;
    private final AuditLog audit;
    private final IngestFormats formats;
    private final EventNormalizer normalizer;
    private final TargetCatalog targets;
    private final Clock clock;

    RoutesController(RoutingService routing, AuditLog audit, IngestFormats formats, EventNormalizer normalizer,
                     TargetCatalog targets, Clock clock) {
        this.routing = routing;
        this.audit = audit;
        this.formats = formats;
        this.normalizer = normalizer;
        this.targets = targets;
        this.clock = clock;
    }

    @GetMapping(value = "/routes", produces = "application/yaml")
    @Operation(summary = "The route file in force (saved through the API, else onloop.routing.file)")
    ResponseEntity<String> get(@AuthenticationPrincipal OnloopPrincipal me) {
        return routing.yaml(me.tenantId()).map(r -> ResponseEntity.ok().contentType(YAML).body(r.yaml()))
                .orElseThrow(() -> ApiException.notFound("route file"));
    }

    @PutMapping("/routes")
    @Operation(summary = "Replace the route file (YAML body); refused with every problem (line, column, path) if invalid")
    RoutingSummaryDto put(@AuthenticationPrincipal OnloopPrincipal me, @RequestBody(required = false) String yaml) {
        RoutingSummaryDto summary = parse(yaml, text -> routing.save(me.tenantId(), text, me.name()));
        audit.record(me.tenantId(), me.name(), "routes.update", "routes", me.tenantId(),
                summary.routes() + " routes, receivers " + summary.receivers());
        return summary;
    }

    @PostMapping("/routes/validate")
    @Operation(summary = "Check a route file without saving it")
    RoutingSummaryDto validate(@RequestBody(required = false) String yaml) {
        return parse(yaml, routing::validate);
    }

    @PostMapping("/routes/dry-run")
    @Operation(summary = "Where an alert would go now, and why",
            description = "The body is an alert in any ingest format (?format=, default generic). For each alert: "
                    + "the labels routes see, the route tree walk, and per matching route the receiver, targets, "
                    + "group, and any silence, inhibition or time interval that would keep it quiet.")
    List<DryRunDto> dryRun(@AuthenticationPrincipal OnloopPrincipal me,
                           @RequestParam(defaultValue = "generic") String format,
                           @RequestBody(required = false) byte[] body) {
        EventParser parser = formats.parser(format)
                .orElseThrow(() -> ApiException.badParameter("format", "expected one of " + formats.ids()));
        if (body == null || body.length == 0) {
            throw ApiException.badParameter("body", "an alert is required");
        }
        Instant now = clock.instant();
        try {
            return parser.parse(new IngestRequest(body, java.util.Map.of(),
                            new io.onloop.domain.ingest.SourceSettings(false))).alerts().stream()
                    .map(a -> {
                        Event e = normalizer.toEvent(me.tenantId(), null, parser.format(), a, now);
                        return DryRunDto.of(e.fingerprint(), e.status().id(), routing.dryRun(e));
                    }).toList();
        } catch (InvalidPayloadException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid payload", e.getMessage());
        } catch (SignatureRejectedException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid payload", e.getMessage());
        }
    }

    @GetMapping("/targets")
    @Operation(summary = "The notification target types and their settings (the console renders forms from this)")
    List<TargetDto> targets() {
        return targets.targets().values().stream().map(t -> TargetDto.of(t.descriptor())).toList();
    }

    public record TargetDto(String type, String displayName, List<SettingDto> settings) {
        static TargetDto of(TargetDescriptor d) {
            return new TargetDto(d.type(), d.displayName(), d.settings().stream().map(s -> new SettingDto(s.name(),
                    s.type().name().toLowerCase(java.util.Locale.ROOT), s.required(), s.secret(), s.help())).toList());
        }
    }

    public record SettingDto(String name, String type, boolean required, boolean secret, String help) {
    }

    private interface Parse {
        io.onloop.domain.routing.RoutingConfig apply(String yaml);
    }

    private static RoutingSummaryDto parse(String yaml, Parse parse) {
        if (yaml == null || yaml.isBlank()) {
            throw ApiException.badParameter("body", "a route file (YAML) is required");
        }
        if (yaml.length() > MAX_FILE) {
            throw ApiException.badParameter("body", "at most " + MAX_FILE + " characters");
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
