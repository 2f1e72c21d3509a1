package io.onloop.adapters.runbooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.onloop.domain.event.Severity;
import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.Recipe.Level;
import io.onloop.domain.runbook.RecipeTemplate;
import io.onloop.domain.runbook.RunbookClass;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The knowledge-base file format (docs/runbooks.md) as Jackson records, and their conversion to and
 * from the domain. The same shapes serve the API: {@link TemplateFile} is what an operator PUTs to
 * edit a class's recipe, {@link RecipeView} what an incident's recipe looks like. Unknown fields are
 * errors (a misspelt {@code root_cause} must not silently vanish).
 */
public final class RunbookFiles {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private RunbookFiles() {
    }

    public record ClassFile(String id, String title, String category, MatchPart match, SeverityPart severity,
                            String interpretation, List<StepPart> validation, List<StepPart> troubleshooting,
                            @JsonProperty("root_causes") List<CausePart> rootCauses, List<OptionPart> remediation,
                            List<ReferencePart> references) {
    }

    /** A class's recipe without its identity and match rules: what an operator edits. */
    public record TemplateFile(SeverityPart severity, String interpretation, List<StepPart> validation,
                               List<StepPart> troubleshooting, @JsonProperty("root_causes") List<CausePart> rootCauses,
                               List<OptionPart> remediation, List<ReferencePart> references) {
    }

    public record MatchPart(List<Map<String, String>> identifiers, List<String> keywords) {
    }

    public record SeverityPart(String level, String reasoning) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record StepPart(String step, String command, String warning) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record CausePart(String cause, String likelihood, String check) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record OptionPart(String action, String command, String risk, String effect, Boolean reversible,
                             Boolean automatable, Boolean recommended, String warning) {
    }

    public record ReferencePart(String title, String url) {
    }

    /** An incident's rendered recipe as the API shows it. */
    public record RecipeView(String interpretation, SeverityPart severity, List<StepPart> validation,
                             List<StepPart> troubleshooting, @JsonProperty("root_causes") List<CausePart> rootCauses,
                             List<OptionPart> remediation, List<ReferencePart> references, ProvenancePart provenance,
                             List<String> warnings) {
    }

    public record ProvenancePart(String source, @JsonProperty("class_id") String classId, double confidence,
                                 @JsonProperty("matched_by") String matchedBy, String why) {
    }

    // ---- reading

    /** Parses and converts one knowledge-base file; every error names the origin and the field. */
    public static RunbookClass readClass(String origin, String yaml) {
        ClassFile f = parse(origin, yaml, ClassFile.class);
        Fields at = new Fields(origin);
        String id = at.required("id", f.id());
        MatchPart m = f.match();
        if (m == null) {
            throw at.error("match", "missing");
        }
        List<Map<String, String>> identifiers = m.identifiers() == null ? List.of() : m.identifiers();
        for (int i = 0; i < identifiers.size(); i++) {
            Map<String, String> entry = identifiers.get(i);
            if (entry == null || entry.isEmpty()) {
                throw at.error("match.identifiers[" + i + "]", "must name at least one label");
            }
            for (var e : entry.entrySet()) {
                if (e.getValue() == null || e.getValue().isBlank()) {
                    throw at.error("match.identifiers[" + i + "]." + e.getKey(), "must have a value");
                }
            }
        }
        List<String> keywords = m.keywords() == null ? List.of() : m.keywords();
        if (identifiers.isEmpty() && keywords.isEmpty()) {
            throw at.error("match", "needs identifiers or keywords");
        }
        for (int i = 0; i < keywords.size(); i++) {
            if (keywords.get(i) == null || keywords.get(i).isBlank()) {
                throw at.error("match.keywords[" + i + "]", "must not be empty");
            }
        }
        RecipeTemplate template = template(at, new TemplateFile(f.severity(), f.interpretation(), f.validation(),
                f.troubleshooting(), f.rootCauses(), f.remediation(), f.references()));
        return new RunbookClass(id, at.required("title", f.title()), at.required("category", f.category()),
                new RunbookClass.MatchRules(identifiers, keywords), template);
    }

    /** Parses an edited recipe (YAML or JSON, which is YAML too). */
    public static RecipeTemplate readTemplate(String origin, String text) {
        plainYamlOnly(origin, text);
        return template(new Fields(origin), parse(origin, text, TemplateFile.class));
    }

    private static <T> T parse(String origin, String text, Class<T> type) {
        if (text == null || text.isBlank()) {
            throw new RunbookFormatException(origin, "", "empty document");
        }
        try {
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new RunbookFormatException(origin, "", "empty document");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            // its path ends with the unknown field itself, which the message names in its parent
            var path = e.getPath();
            throw new RunbookFormatException(origin, path(path), path(path.subList(0, Math.max(0, path.size() - 1))),
                    "unknown field '" + e.getPropertyName() + "'" + known(e) + at(e));
        } catch (MismatchedInputException e) {
            throw new RunbookFormatException(origin, path(e.getPath()), "expected " + expected(e.getTargetType())
                    + (e.getCurrentToken() == null ? "" : ", got " + kind(e.getCurrentToken())) + at(e));
        } catch (DatabindException e) {
            // Jackson's own message names Java classes, which say nothing to the person editing
            throw new RunbookFormatException(origin, path(e.getPath()), "not a value this field takes" + at(e));
        } catch (JacksonException e) {
            throw new RunbookFormatException(origin, "", "not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + at(e));
        }
    }

    // Errors in the terms of the file format (fields, lists, text), never Jackson's Java class names.

    private static String path(List<JacksonException.Reference> refs) {
        return refs.stream()
                .map(r -> r.getPropertyName() != null ? "." + r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    private static String known(UnrecognizedPropertyException e) {
        var known = e.getKnownPropertyIds();
        return known == null || known.isEmpty() ? ""
                : " (known: " + known.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }

    /** " (line 1, column 11)", where the parser knows it. */
    private static String at(JacksonException e) {
        var where = e.getLocation();
        return where == null || where.getLineNr() <= 0 ? ""
                : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isRecord()) { // "an object with level and reasoning"
            List<String> fields = java.util.Arrays.stream(type.getRecordComponents()).map(c -> {
                // on the accessor: @JsonProperty does not target record components, so Java puts it there (and on the field)
                JsonProperty named = c.getAccessor().getAnnotation(JsonProperty.class);
                return named == null ? c.getName() : named.value();
            }).toList();
            return "an object with " + (fields.size() == 1 ? fields.getFirst()
                    : String.join(", ", fields.subList(0, fields.size() - 1)) + " and " + fields.getLast());
        }
        return Map.class.isAssignableFrom(type) ? "an object" : "a value of another kind";
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "nothing";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Jackson reads an alias as the anchor's name, not the anchor's value ({@code interpretation: *r} would be saved
     * as "r"), so aliases are refused, and tags with them; and it reads the first document only, so a second one
     * (after {@code ---}) is refused rather than dropped. YAML that does not parse is left to the read that follows.
     * Checked on edits (a person's or a model's); the shipped files are checked by their content test instead, since
     * this second read of every file took a fifth of loading the knowledge base at start-up.
     */
    static void plainYamlOnly(String origin, String text) {
        if (text == null) {
            return;
        }
        try (JsonParser p = YAML.createParser(text)) {
            int depth = 0;
            boolean read = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (depth == 0 && read) {
                    throw new RunbookFormatException(origin, "", "line " + p.currentTokenLocation().getLineNr()
                            + ": a second YAML document; a recipe is one document (remove the --- and what follows)");
                }
                read = true;
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
                YAMLParser y = (YAMLParser) p;
                if (y.isCurrentAlias() || y.getTypeId() != null) {
                    throw new RunbookFormatException(origin, "", "line " + p.currentTokenLocation().getLineNr()
                            + ": YAML aliases and tags are not supported; write the value out");
                }
            }
        } catch (JacksonException e) {
            // reported, with where, by the read that follows
        }
    }

    private static RecipeTemplate template(Fields at, TemplateFile f) {
        SeverityPart s = f.severity();
        if (s == null) {
            throw at.error("severity", "missing");
        }
        Severity level = at.enumValue("severity.level", s.level(), Severity::fromId, "critical|high|medium|low|info");
        var severity = new Recipe.SeverityAssessment(level, at.required("severity.reasoning", s.reasoning()));
        List<Recipe.Step> validation = steps(at, "validation", f.validation());
        List<Recipe.Step> troubleshooting = steps(at, "troubleshooting", f.troubleshooting());
        List<Recipe.RootCause> causes = new ArrayList<>();
        List<CausePart> cs = at.nonEmpty("root_causes", f.rootCauses());
        for (int i = 0; i < cs.size(); i++) {
            String p = "root_causes[" + i + "]";
            CausePart c = at.element(p, cs.get(i));
            causes.add(new Recipe.RootCause(at.required(p + ".cause", c.cause()),
                    at.enumValue(p + ".likelihood", c.likelihood(), Level::fromId, "high|medium|low"), c.check()));
        }
        List<Recipe.Remediation> options = new ArrayList<>();
        List<OptionPart> os = at.nonEmpty("remediation", f.remediation());
        for (int i = 0; i < os.size(); i++) {
            String p = "remediation[" + i + "]";
            OptionPart o = at.element(p, os.get(i));
            if (o.recommended() != null || o.warning() != null) {
                throw at.error(p, "recommended and warning are set by onloop, not written");
            }
            options.add(new Recipe.Remediation(at.required(p + ".action", o.action()), o.command(),
                    at.enumValue(p + ".risk", o.risk(), Level::fromId, "low|medium|high"),
                    at.required(p + ".effect", o.effect()), at.flag(p + ".reversible", o.reversible()),
                    at.flag(p + ".automatable", o.automatable())));
        }
        List<Recipe.Reference> references = new ArrayList<>();
        List<ReferencePart> rs = at.nonEmpty("references", f.references());
        for (int i = 0; i < rs.size(); i++) {
            String p = "references[" + i + "]";
            ReferencePart r = at.element(p, rs.get(i));
            references.add(new Recipe.Reference(at.required(p + ".title", r.title()), at.required(p + ".url", r.url())));
        }
        return new RecipeTemplate(at.required("interpretation", f.interpretation()), severity, validation,
                troubleshooting, causes, options, references);
    }

    private static List<Recipe.Step> steps(Fields at, String field, List<StepPart> parts) {
        List<Recipe.Step> out = new ArrayList<>();
        List<StepPart> ps = at.nonEmpty(field, parts);
        for (int i = 0; i < ps.size(); i++) {
            String p = field + "[" + i + "]";
            StepPart s = at.element(p, ps.get(i));
            if (s.warning() != null) {
                throw at.error(p + ".warning", "set by onloop, not written");
            }
            out.add(new Recipe.Step(at.required(p + ".step", s.step()), s.command()));
        }
        return out;
    }

    /** Required-field checks that name the field. */
    private record Fields(String origin) {
        RunbookFormatException error(String field, String problem) {
            return new RunbookFormatException(origin, field, problem);
        }

        String required(String field, String value) {
            if (value == null || value.isBlank()) {
                throw error(field, "missing");
            }
            return value.strip();
        }

        <T> List<T> nonEmpty(String field, List<T> list) {
            if (list == null || list.isEmpty()) {
                throw error(field, "needs at least one entry");
            }
            return list;
        }

        <T> T element(String field, T value) {
            if (value == null) {
                throw error(field, "empty entry");
            }
            return value;
        }

        boolean flag(String field, Boolean value) {
            if (value == null) {
                throw error(field, "missing (true or false)");
            }
            return value;
        }

        <E> E enumValue(String field, String value, java.util.function.Function<String, E> parse, String allowed) {
            String v = required(field, value);
            if (!v.equals(v.toLowerCase(Locale.ROOT))) {
                throw error(field, "must be lower case, one of " + allowed);
            }
            try {
                return parse.apply(v);
            } catch (IllegalArgumentException e) {
                throw error(field, "\"" + v + "\" is not one of " + allowed);
            }
        }
    }

    // ---- writing (API views)

    public static TemplateFile view(RecipeTemplate t) {
        return new TemplateFile(new SeverityPart(t.severity().level().id(), t.severity().reasoning()),
                t.interpretation(), stepViews(t.validation()), stepViews(t.troubleshooting()), causeViews(t.rootCauses()),
                t.remediation().stream().map(o -> new OptionPart(o.action(), o.command(), o.risk().id(), o.effect(),
                        o.reversible(), o.automatable(), null, null)).toList(),
                referenceViews(t.references()));
    }

    public static ClassFile view(RunbookClass c) {
        TemplateFile t = view(c.template());
        return new ClassFile(c.id(), c.title(), c.category(),
                new MatchPart(c.match().identifiers(), c.match().keywords()), t.severity(), t.interpretation(),
                t.validation(), t.troubleshooting(), t.rootCauses(), t.remediation(), t.references());
    }

    public static RecipeView view(Recipe r) {
        var p = r.provenance();
        return new RecipeView(r.interpretation(), new SeverityPart(r.severity().level().id(), r.severity().reasoning()),
                stepViews(r.validation()), stepViews(r.troubleshooting()), causeViews(r.rootCauses()),
                r.remediation().stream().map(o -> new OptionPart(o.action(), o.command(), o.risk().id(), o.effect(),
                        o.reversible(), o.automatable(), o.recommended(), o.warning())).toList(),
                referenceViews(r.references()),
                new ProvenancePart(p.source().id(), p.classId(), p.confidence(), p.matchedBy(), p.why()), r.warnings());
    }

    private static List<StepPart> stepViews(List<Recipe.Step> steps) {
        return steps.stream().map(s -> new StepPart(s.step(), s.command(), s.warning())).toList();
    }

    private static List<CausePart> causeViews(List<Recipe.RootCause> causes) {
        return causes.stream().map(c -> new CausePart(c.cause(), c.likelihood().id(), c.check())).toList();
    }

    private static List<ReferencePart> referenceViews(List<Recipe.Reference> refs) {
        return refs.stream().map(r -> new ReferencePart(r.title(), r.url())).toList();
    }
}
