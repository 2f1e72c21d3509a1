package io.onloop.domain.runbook;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A runbook recipe for one incident: what the alert means, how bad it is, how to confirm it, how to
 * dig in, what probably caused it and what can be done, rendered with the event's own names and
 * numbers. Every text field may contain text that came from the alert sender: it is data, escaped
 * on every render and never obeyed.
 *
 * @param warnings safety notes for the reader (destructive commands, text that looks like an
 *                 attempt to instruct an AI, values quoted in commands); empty when there are none
 */
public record Recipe(
        String interpretation,
        SeverityAssessment severity,
        List<Step> validation,
        List<Step> troubleshooting,
        List<RootCause> rootCauses,
        List<Remediation> remediation,
        List<Reference> references,
        Provenance provenance,
        List<String> warnings) {

    public Recipe {
        interpretation = Objects.requireNonNullElse(interpretation, "");
        Objects.requireNonNull(severity, "severity");
        validation = List.copyOf(Objects.requireNonNullElse(validation, List.of()));
        troubleshooting = List.copyOf(Objects.requireNonNullElse(troubleshooting, List.of()));
        rootCauses = List.copyOf(Objects.requireNonNullElse(rootCauses, List.of()));
        remediation = List.copyOf(Objects.requireNonNullElse(remediation, List.of()));
        references = List.copyOf(Objects.requireNonNullElse(references, List.of()));
        Objects.requireNonNull(provenance, "provenance");
        warnings = List.copyOf(Objects.requireNonNullElse(warnings, List.of()));
    }

    /** The class's typical impact: the level (onloop's severity scale) and why. */
    public record SeverityAssessment(io.onloop.domain.event.Severity level, String reasoning) {
        public SeverityAssessment {
            Objects.requireNonNull(level, "level");
            reasoning = Objects.requireNonNullElse(reasoning, "");
        }
    }

    /**
     * One thing to do or look at.
     *
     * @param command optional: a shell command, query or console path ("" when there is none)
     * @param warning set by {@link RecipeSafety} when the command looks destructive; "" otherwise
     */
    public record Step(String step, String command, String warning) {
        public Step {
            Objects.requireNonNull(step, "step");
            command = Objects.requireNonNullElse(command, "");
            warning = Objects.requireNonNullElse(warning, "");
        }

        public Step(String step, String command) {
            this(step, command, "");
        }
    }

    public record RootCause(String cause, Level likelihood, String check) {
        public RootCause {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(likelihood, "likelihood");
            check = Objects.requireNonNullElse(check, "");
        }
    }

    /**
     * One remediation option.
     *
     * @param automatable could onloop do it itself, given permission and guardrails (it never does so
     *                    because of a recipe alone)
     * @param recommended set by {@link RecipeSafety}: the least risky option that is not destructive
     * @param warning     set by {@link RecipeSafety} when the command looks destructive; "" otherwise
     */
    public record Remediation(String action, String command, Level risk, String effect, boolean reversible,
                              boolean automatable, boolean recommended, String warning) {
        public Remediation {
            Objects.requireNonNull(action, "action");
            command = Objects.requireNonNullElse(command, "");
            Objects.requireNonNull(risk, "risk");
            effect = Objects.requireNonNullElse(effect, "");
            warning = Objects.requireNonNullElse(warning, "");
        }

        public Remediation(String action, String command, Level risk, String effect, boolean reversible,
                           boolean automatable) {
            this(action, command, risk, effect, reversible, automatable, false, "");
        }
    }

    public record Reference(String title, String url) {
        public Reference {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(url, "url");
        }
    }

    /** A likelihood or a risk: high, medium or low. */
    public enum Level {
        HIGH, MEDIUM, LOW;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Level fromId(String id) {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Where a recipe came from. */
    public enum Source {
        KNOWLEDGE_BASE("knowledge-base"), EDITED("edited"), LLM("llm"), GENERIC("generic");

        private final String id;

        Source(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Source fromId(String id) {
            for (Source s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown recipe source: " + id);
        }
    }

    /**
     * @param classId    the knowledge-base class the event matched; "" for a generic recipe
     * @param confidence 0..1: how sure the match is (0 for a generic recipe)
     * @param matchedBy  {@code identifier}, {@code keywords} or {@code none}
     * @param why        the labels or words that decided the match, for the reader
     */
    public record Provenance(Source source, String classId, double confidence, String matchedBy, String why) {
        public Provenance {
            Objects.requireNonNull(source, "source");
            classId = Objects.requireNonNullElse(classId, "");
            if (!(confidence >= 0 && confidence <= 1)) {
                throw new IllegalArgumentException("confidence must be in 0..1: " + confidence);
            }
            matchedBy = Objects.requireNonNullElse(matchedBy, "none");
            why = Objects.requireNonNullElse(why, "");
        }
    }
}
