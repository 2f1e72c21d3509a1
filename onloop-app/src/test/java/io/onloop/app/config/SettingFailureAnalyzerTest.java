package io.onloop.app.config;

import io.onloop.adapters.llm.LlmSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingFailureAnalyzerTest {
    private final SettingFailureAnalyzer analyzer = new SettingFailureAnalyzer();

    @Test
    void aBadSettingDeepInABeanFailureIsReportedAsThatSetting() {
        var cause = new IllegalArgumentException("onloop.llm.provider: \"foo\" is not one of [openai]");
        var failure = new BeanCreationException("llmAdvisor", new BeanCreationException("settings", cause));
        var analysis = analyzer.analyze(failure);
        assertThat(analysis.getDescription()).isEqualTo("onloop.llm.provider: \"foo\" is not one of [openai]");
        assertThat(analysis.getAction()).contains("--onloop.llm.provider=...");
        assertThat(analysis.getCause()).isSameAs(cause);
    }

    @Test
    void otherFailuresAreLeftToSpringBoot() {
        assertThat(analyzer.analyze(new BeanCreationException("x", new IllegalStateException("port in use")))).isNull();
        assertThat(analyzer.analyze(new IllegalArgumentException((String) null))).isNull();
    }

    @Test
    void theLlmSettingsSayWhichSettingIsWrong() {
        assertThatThrownBy(() -> LlmSettings.of(null, null, null, "m")).hasMessageStartingWith("onloop.llm.provider is required");
        assertThatThrownBy(() -> LlmSettings.of("openai-compatible", "not-a-url", null, "m"))
                .hasMessage("onloop.llm.base-url: \"not-a-url\" is not an http(s) URL");
        assertThatThrownBy(() -> LlmSettings.of("ollama", "http://ollama:11434", null, "m").withTimeout(Duration.ZERO, Duration.ZERO))
                .hasMessageStartingWith("onloop.llm.timeout must be more than 0");
        assertThat(SettingFailureAnalyzer.setting("onloop.anomaly.watches[2].query: bad")).isEqualTo("onloop.anomaly.watches[2].query");
    }
}
