package io.onloop.app.console;

import io.onloop.app.ingest.IngestFormats;
import io.onloop.app.ingest.IngestSources;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.text.ShortNames;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Integrations (admin): each ingest source with its URL; creating one shows its token once, on
 * the page the creation redirects to (a flash attribute, never in a URL or a log). To rotate a
 * token, create a new source and delete the old one. Notification targets join this page when the
 * delivery stage exists.
 */
@Controller
class IntegrationPages {
    private final AccessStore access;
    private final IngestFormats formats;
    private final IngestSources sources;

    IntegrationPages(AccessStore access, IngestFormats formats, IngestSources sources) {
        this.access = access;
        this.formats = formats;
        this.sources = sources;
    }

    @GetMapping("/console/integrations")
    String list(@AuthenticationPrincipal OnloopPrincipal me, Model model) {
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        model.addAttribute("ingestBase", base + "/api/v1/ingest/");
        List<IngestSource> sources = access.sources(me.tenantId());
        model.addAttribute("sources", sources.stream()
                .sorted(Comparator.comparing((IngestSource s) -> s.format().id()).thenComparing(IngestSource::name))
                .toList());
        model.addAttribute("formats", formats.types());
        // one ARN per line, as the topics form takes them
        model.addAttribute("topicText", sources.stream()
                .collect(Collectors.toMap(IngestSource::id, s -> String.join("\n", s.topicArns()))));
        return "console/integrations";
    }

    @PostMapping("/console/integrations/sources")
    String create(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String format,
                  @RequestParam(required = false) String name,
                  @RequestParam(required = false, defaultValue = "false") boolean skipSignatureCheck,
                  @RequestParam(required = false) String topicArns,
                  RedirectAttributes flash) {
        SourceType type = SourceType.fromId(format == null ? "" : format.strip())
                .filter(formats.types()::contains).orElse(null);
        String n = name == null ? "" : name.strip();
        if (type == null) {
            flash.addFlashAttribute("problem", "Choose one of the formats.");
            return "redirect:/console/integrations";
        }
        if (!ShortNames.fits(n)) {
            flash.addFlashAttribute("problem", "Give the source a name of " + ShortNames.RULE + ".");
            return "redirect:/console/integrations";
        }
        try {
            IngestSources.Created created = sources.create(me, type, n, !skipSignatureCheck, lines(topicArns));
            flash.addFlashAttribute("created", created.source());
            flash.addFlashAttribute("createdToken", created.token());
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("problem", "Topic ARNs: " + e.getMessage() + ".");
        } catch (IngestSources.NameTakenException e) {
            flash.addFlashAttribute("problem", "Not added: " + e.getMessage() + ".");
        }
        return "redirect:/console/integrations";
    }

    @PostMapping("/console/integrations/sources/{id}/topics")
    String topics(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                  @RequestParam(required = false) String topicArns, RedirectAttributes flash) {
        try {
            IngestSource s = sources.changeTopics(me, id, lines(topicArns))
                    .orElseThrow(() -> ConsoleException.notFound("Source " + id));
            flash.addFlashAttribute("notice", s.topicArns().isEmpty() ? "Source " + s.name() + " takes any SNS topic."
                    : "Source " + s.name() + " takes only its " + s.topicArns().size() + " SNS topic(s).");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("problem", "Topic ARNs: " + e.getMessage() + ".");
        }
        return "redirect:/console/integrations";
    }

    /** A textarea's lines; blank ones are dropped by the check. */
    private static List<String> lines(String text) {
        return text == null ? List.of() : List.of(text.split("\\R"));
    }

    @PostMapping("/console/integrations/sources/{id}/delete")
    String delete(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, RedirectAttributes flash) {
        if (!sources.delete(me, id)) {
            throw ConsoleException.notFound("Source " + id);
        }
        flash.addFlashAttribute("notice", "Source deleted; its token no longer works.");
        return "redirect:/console/integrations";
    }
}
