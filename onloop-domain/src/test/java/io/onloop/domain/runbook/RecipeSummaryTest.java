package io.onloop.domain.runbook;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RecipeSummaryTest {
    private final RunbookClass rds = new RunbookClass("aws-rds-cpu-high", "RDS CPU high", "aws/rds",
            new RunbookClass.MatchRules(List.of(Map.of("namespace", "AWS/RDS", "metric_name", "CPUUtilization")), List.of("rds")),
            TestEvents.template("CPU of {{labels.dimension_DBInstanceIdentifier|the instance}} is above {{threshold|its threshold}}.",
                    "aws cloudwatch get-metric-statistics --dimensions Name=DBInstanceIdentifier,Value={{labels.dimension_DBInstanceIdentifier|<db>}}"));

    @Test
    void namesItsSourceAndGivesMeaningFirstCheckAndLikeliestCause() {
        Recipe recipe = new RunbookEngine(List.of(rds)).recipeFor(TestEvents.labels(Map.of("namespace", "AWS/RDS",
                "metric_name", "CPUUtilization", "dimension_DBInstanceIdentifier", "orders", "threshold", "80")),
                (t, c) -> Optional.empty());
        String summary = RecipeSummary.of(recipe);
        assertThat(summary).startsWith("Runbook (knowledge-base: aws-rds-cpu-high, confidence ")
                .contains("\nCPU of orders is above 80.")
                .contains("\nFirst check: " + recipe.validation().getFirst().step())
                .contains("Value=orders")
                .contains("\nLikeliest cause: " + recipe.rootCauses().getFirst().cause());
    }

    @Test
    void aGenericRecipeSaysSo() {
        Recipe recipe = new RunbookEngine(List.of(rds)).recipeFor(TestEvents.labels(Map.of("alertname", "Unheard")),
                (t, c) -> Optional.empty());
        assertThat(RecipeSummary.of(recipe)).startsWith("Runbook (generic, confidence 0%)");
    }

    @Test
    void theFullTextStartsWithTheSummaryAndCarriesEverySection() {
        Recipe recipe = new RunbookEngine(List.of(rds)).recipeFor(TestEvents.labels(Map.of("namespace", "AWS/RDS",
                "metric_name", "CPUUtilization", "dimension_DBInstanceIdentifier", "orders")), (t, c) -> Optional.empty());
        String full = RecipeSummary.full(recipe);
        assertThat(full).startsWith(RecipeSummary.of(recipe))
                .contains("\nSeverity: high - why")
                .contains("\nValidate:\n1. look\n   aws cloudwatch get-metric-statistics")
                .contains("\nTroubleshoot:\n1. dig")
                .contains("\nLikely root causes:\n1. cause (high)\n   Check: check")
                .contains("\nRemediation:\n1. fix (risk low, reversible)\n   Effect: better")
                .contains("\nReferences:\n- doc: https://docs.example/x");
    }
}
