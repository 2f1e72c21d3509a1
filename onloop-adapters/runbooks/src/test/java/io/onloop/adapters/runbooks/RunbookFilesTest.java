package io.onloop.adapters.runbooks;

import io.onloop.domain.event.Severity;
import io.onloop.domain.runbook.Recipe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunbookFilesTest {
    @Test
    void readsTheDocumentedExample() {
        var c = RunbookFiles.readClass("runbooks/aws/aws-rds-cpu-high.yaml", Fixtures.RDS);
        assertThat(c.id()).isEqualTo("aws-rds-cpu-high");
        assertThat(c.category()).isEqualTo("aws/rds");
        assertThat(c.match().identifiers()).hasSize(3);
        assertThat(c.match().identifiers().get(1)).containsEntry("alertname", "~RDS(Instance)?HighCPU");
        assertThat(c.match().keywords()).contains("aurora");
        assertThat(c.template().severity().level()).isEqualTo(Severity.HIGH);
        assertThat(c.template().validation().getFirst().command()).startsWith("aws cloudwatch get-metric-statistics")
                .doesNotContain("\n");
        assertThat(c.template().troubleshooting().getFirst().command()).isEmpty();
        assertThat(c.template().rootCauses().getFirst().likelihood()).isEqualTo(Recipe.Level.HIGH);
        assertThat(c.template().remediation().get(1).reversible()).isFalse();
        assertThat(c.template().references().getFirst().url()).startsWith("https://docs.aws.amazon.com");
        assertThat(RunbookValidator.problems(c)).isEmpty();
    }

    @Test
    void errorsNameTheFileAndTheField() {
        assertError(Fixtures.RDS.replace("likelihood: high", "likelihood: certain"),
                "root_causes[0].likelihood", "\"certain\" is not one of high|medium|low");
        assertError(Fixtures.RDS.replace("    risk: medium\n", ""), "remediation[0].risk", "missing");
        assertError(Fixtures.RDS.replace("root_causes:", "root_cause:"), "root_cause", "unknown field 'root_cause' (known: ");
        assertError(Fixtures.RDS.replace("level: high", "level: HIGH"), "severity.level", "lower case");
        assertError(Fixtures.RDS.replace("reversible: true", "reversible: [yes]"), "remediation[0].reversible", "");
        assertError(Fixtures.RDS.replace("title: RDS instance CPU utilization high\n", ""), "title", "missing");
        assertError(Fixtures.RDS.replace("references:", "references: []\nx:"), "", "");
    }

    @Test
    void errorsAreSaidInTheFormatsTermsWithWhereNeverWithJavaClassNames() {
        assertThatThrownBy(() -> RunbookFiles.readTemplate("recipe", "severity: [unclosed"))
                .hasMessage("recipe: severity: expected an object with level and reasoning, got a list (line 1, column 11)");
        // the whole recipe's fields as the format names them: root_causes, not the Java name (exploratory tester)
        assertThatThrownBy(() -> RunbookFiles.readTemplate("recipe", "[1]"))
                .hasMessageContaining("root_causes").hasMessageNotContaining("rootCauses");
        assertThatThrownBy(() -> RunbookFiles.readTemplate("recipe", "severity: {level: high, reasoning: r}\nbogus_field: 1\n"))
                .hasMessageStartingWith("recipe: unknown field 'bogus_field' (known: ")
                .hasMessageContaining("severity", "root_causes", "line 2");
        assertThatThrownBy(() -> RunbookFiles.readTemplate("recipe", "severity: {level: high, reason: r}\n"))
                .hasMessageStartingWith("recipe: severity: unknown field 'reason' (known: level, reasoning)");
        assertThatThrownBy(() -> RunbookFiles.readTemplate("recipe", "severity: {level: high, reasoning: r}\nvalidation: look\n"))
                .hasMessageStartingWith("recipe: validation: expected a list, got text");
        for (String broken : List.of("severity: [unclosed", "severity: {level: high, reasoning: r}\nbogus_field: 1\n",
                "severity: {level: [high], reasoning: r}", "remediation: [{reversible: maybe}]", "a: b: c", "- x")) {
            assertThatThrownBy(() -> RunbookFiles.readTemplate("recipe", broken)).as(broken)
                    .isInstanceOf(RunbookFormatException.class)
                    .message().doesNotContain("io.onloop", "java.", "`", "JsonToken", "Source:");
        }
    }

    @Test
    void brokenYamlAndDuplicateKeysAreRefused() {
        assertThatThrownBy(() -> RunbookFiles.readClass("f.yaml", "id: [unclosed"))
                .isInstanceOf(RunbookFormatException.class).hasMessageStartingWith("f.yaml");
        assertThatThrownBy(() -> RunbookFiles.readClass("f.yaml", "id: a\nid: b\n"))
                .isInstanceOf(RunbookFormatException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> RunbookFiles.readClass("f.yaml", ""))
                .isInstanceOf(RunbookFormatException.class).hasMessageContaining("empty");
    }

    @Test
    void aliasesAndTagsAreRefusedNotReadAsTheAnchorsName() {
        String edit = """
                severity: {level: medium, reasoning: &r the reason}
                interpretation: *r
                """;
        assertThatThrownBy(() -> RunbookFiles.readTemplate("edit", edit)).isInstanceOf(RunbookFormatException.class)
                .hasMessage("edit: line 2: YAML aliases and tags are not supported; write the value out");
        assertThatThrownBy(() -> RunbookFiles.readTemplate("edit",
                "severity: {level: medium, reasoning: x}\ninterpretation: !!javax.script.ScriptEngineManager x\n"))
                .hasMessageContaining("line 2: YAML aliases and tags");
    }

    @Test
    void aSecondDocumentIsRefusedNotDropped() {
        String edit = """
                severity: {level: medium, reasoning: first}
                ---
                severity: {level: critical, reasoning: second}
                """;
        assertThatThrownBy(() -> RunbookFiles.readTemplate("edit", edit)).isInstanceOf(RunbookFormatException.class)
                .hasMessage("edit: line 3: a second YAML document; a recipe is one document (remove the --- and what follows)");
        assertThatThrownBy(() -> RunbookFiles.readTemplate("edit", "\"just text\"\n---\nmore\n"))
                .hasMessageContaining("line 3: a second YAML document");
    }

    @Test
    void anEditIsTheRecipePartInJsonOrYaml() {
        String json = """
                {"severity": {"level": "medium", "reasoning": "edited"}, "interpretation": "Ours: {{region}}",
                 "validation": [{"step": "look"}], "troubleshooting": [{"step": "dig", "command": "kubectl get pods"}],
                 "root_causes": [{"cause": "c", "likelihood": "low"}],
                 "remediation": [{"action": "a", "risk": "low", "effect": "e", "reversible": true, "automatable": false}],
                 "references": [{"title": "t", "url": "https://example.org/x"}]}""";
        var t = RunbookFiles.readTemplate("edit", json);
        assertThat(t.interpretation()).isEqualTo("Ours: {{region}}");
        assertThat(t.severity().level()).isEqualTo(Severity.MEDIUM);
        assertThatThrownBy(() -> RunbookFiles.readTemplate("edit", json.replace("\"step\": \"look\"", "\"step\": \"look\", \"warning\": \"x\"")))
                .hasMessageContaining("validation[0].warning");
    }

    @Test
    void viewsRoundTrip() {
        var c = RunbookFiles.readClass("f", Fixtures.RDS);
        var view = RunbookFiles.view(c);
        assertThat(view.rootCauses().getFirst().likelihood()).isEqualTo("high");
        assertThat(view.remediation().getFirst().risk()).isEqualTo("medium");
        assertThat(view.match().identifiers()).isEqualTo(c.match().identifiers());
    }

    private static void assertError(String yaml, String field, String message) {
        assertThatThrownBy(() -> RunbookFiles.readClass("runbooks/aws/aws-rds-cpu-high.yaml", yaml))
                .isInstanceOfSatisfying(RunbookFormatException.class, e -> {
                    assertThat(e.origin()).isEqualTo("runbooks/aws/aws-rds-cpu-high.yaml");
                    if (!field.isEmpty()) {
                        assertThat(e.field()).isEqualTo(field);
                    }
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
