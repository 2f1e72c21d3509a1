package io.onloop.app.api;

import io.onloop.app.api.Dtos.MeDto;
import io.onloop.app.security.OnloopPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

@RestController
@Tag(name = "me")
class MeController {

    @GetMapping("/api/v1/me")
    @Operation(summary = "Who the credentials belong to: tenant, name, role")
    MeDto me(@AuthenticationPrincipal OnloopPrincipal me) {
        return new MeDto(me.tenantId(), me.name(), me.role().id(), me.kind().name().toLowerCase(Locale.ROOT));
    }
}
