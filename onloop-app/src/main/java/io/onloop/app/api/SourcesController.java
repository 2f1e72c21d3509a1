package io.onloop.app.api;

import io.onloop.app.api.Dtos.SourceCreatedDto;
import io.onloop.app.api.Dtos.SourceDto;
import io.onloop.app.api.Dtos.SourcePatch;
import io.onloop.app.api.Dtos.SourceRequest;
import io.onloop.app.ingest.IngestFormats;
import io.onloop.app.ingest.IngestSources;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.event.SourceType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** Ingest sources (admin): each is one format, one tenant and one token, shown once at creation. */
@RestController
@RequestMapping("/api/v1/sources")
@Tag(name = "admin")
class SourcesController {
    private final AccessStore access;
    private final IngestFormats formats;
    private final IngestSources sources;

    SourcesController(AccessStore access, IngestFormats formats, IngestSources sources) {
        this.access = access;
        this.formats = formats;
        this.sources = sources;
    }

    @GetMapping
    @Operation(summary = "List ingest sources (tokens are never shown again)")
    List<SourceDto> list(@AuthenticationPrincipal OnloopPrincipal me) {
        return access.sources(me.tenantId()).stream().map(s -> SourceDto.of(s, baseUrl())).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an ingest source; the answer holds its token, once",
            description = "verifySignatures defaults to true; switch it off only to test parsing. topicArns (sns "
                    + "sources only): the SNS topics whose messages and subscription confirmations the source takes; "
                    + "others are refused 403. Empty or absent: any topic.")
    SourceCreatedDto create(@AuthenticationPrincipal OnloopPrincipal me, @RequestBody SourceRequest body) {
        SourceType format = SourceType.fromId(body.format() == null ? "" : body.format().strip())
                .filter(formats.types()::contains)
                .orElseThrow(() -> ApiException.badParameter("format", "expected one of " + formats.ids()));
        String name = Names.required("name", body.name());
        boolean verify = body.verifySignatures() == null || body.verifySignatures();
        IngestSources.Created created;
        try {
            created = topics(() -> sources.create(me, format, name, verify, body.topicArns()));
        } catch (IngestSources.NameTakenException e) {
            throw ApiException.conflict(e.getMessage());
        }
        return new SourceCreatedDto(SourceDto.of(created.source(), baseUrl()), created.token());
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Restrict an SNS source to topics (topicArns), or lift the restriction ([]); its token is unchanged")
    SourceDto patch(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, @RequestBody SourcePatch body) {
        if (body == null || body.topicArns() == null) {
            throw ApiException.badParameter("topicArns", "topicArns (a list, [] for any topic) is required");
        }
        return topics(() -> sources.changeTopics(me, id, body.topicArns())).map(s -> SourceDto.of(s, baseUrl()))
                .orElseThrow(() -> ApiException.notFound("source " + id));
    }

    /** IngestSources refuses topics with IllegalArgumentException: a 400 naming topicArns. */
    private static <T> T topics(Supplier<T> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("topicArns", e.getMessage());
        }
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an ingest source; its token stops working at once")
    void delete(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        if (!sources.delete(me, id)) {
            throw ApiException.notFound("source " + id);
        }
    }

    private static String baseUrl() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
