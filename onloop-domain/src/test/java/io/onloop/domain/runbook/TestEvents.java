package io.onloop.domain.runbook;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.runbook.Recipe.Level;
import io.onloop.domain.runbook.Recipe.Reference;
import io.onloop.domain.runbook.Recipe.Remediation;
import io.onloop.domain.runbook.Recipe.RootCause;
import io.onloop.domain.runbook.Recipe.SeverityAssessment;
import io.onloop.domain.runbook.Recipe.Step;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

final class TestEvents {
    private TestEvents() {
    }

    static Event event(SourceType source, String title, String summary, Resource resource, Map<String, String> labels) {
        return new Event(UUID.randomUUID(), "t1", null, source, Instant.parse("2026-11-22T10:00:00Z"), null,
                EventStatus.FIRING, Severity.HIGH, "ALARM", title, summary, resource, labels, "fp-1",
                "https://console.example/alarm", "", UUID.randomUUID());
    }

    static Event labels(Map<String, String> labels) {
        return event(SourceType.ALERTMANAGER, "t", "", Resource.UNKNOWN, labels);
    }

    static RecipeTemplate template(String interpretation, String command) {
        return new RecipeTemplate(interpretation, new SeverityAssessment(Severity.HIGH, "why"),
                List.of(new Step("look", command)), List.of(new Step("dig", "")),
                List.of(new RootCause("cause", Level.HIGH, "check")),
                List.of(new Remediation("fix", "", Level.LOW, "better", true, false)),
                List.of(new Reference("doc", "https://docs.example/x")));
    }

    static RunbookClass cls(String id, String title, List<Map<String, String>> identifiers, List<String> keywords) {
        return new RunbookClass(id, title, "test/" + id, new RunbookClass.MatchRules(identifiers, keywords),
                template("class " + id, ""));
    }
}
