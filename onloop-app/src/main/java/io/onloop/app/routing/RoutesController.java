package io.onloop.app.routing;

import io.onloop.app.api.ApiException;
import io.onloop.app.routing.RoutingDtos.DryRunDto;
import io.onloop.app.routing.RoutingDtos.RoutingSummaryDto;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.delivery.TargetDescriptor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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

import java.util.List;

/** The tenant's route file (admin: it holds target credentials), its validation, and dry runs. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "routing")
class RoutesController {
    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final RoutingService routing;
    private final RouteActions actions;
    private final TargetCatalog targets;

    RoutesController(RoutingService routing, RouteActions actions, TargetCatalog targets) {
        this.routing = routing;
        this.actions = actions;
        this.targets = targets;
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
        return actions.save(me.tenantId(), me.name(), yaml);
    }

    @PostMapping("/routes/validate")
    @Operation(summary = "Check a route file without saving it")
    RoutingSummaryDto validate(@RequestBody(required = false) String yaml) {
        return actions.validate(yaml);
    }

    @PostMapping("/routes/dry-run")
    @Operation(summary = "Where an alert would go now, and why",
            description = "The body is an alert in any ingest format (?format=, default generic). For each alert: "
                    + "the labels routes see, the route tree walk, and per matching route the receiver, targets, "
                    + "group, and any silence, inhibition or time interval that would keep it quiet.")
    List<DryRunDto> dryRun(@AuthenticationPrincipal OnloopPrincipal me,
                           @RequestParam(defaultValue = "generic") String format,
                           @RequestBody(required = false) byte[] body) {
        return actions.dryRun(me.tenantId(), format, body);
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
}
