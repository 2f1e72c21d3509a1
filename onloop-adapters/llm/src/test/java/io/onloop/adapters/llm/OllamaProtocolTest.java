package io.onloop.adapters.llm;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OllamaProtocolTest extends ProviderProtocolTest {
    @Override
    LlmSettings settings(String url) {
        return LlmSettings.of("ollama", url, null, "llama3.1:8b");
    }

    @Override
    String path() {
        return "/api/chat";
    }

    @Override
    String answer(String text) {
        return JSON.writeValueAsString(Map.of("model", "llama3.1:8b", "created_at", "2026-11-22T10:00:00Z",
                "message", Map.of("role", "assistant", "content", text), "done", true, "done_reason", "stop",
                "prompt_eval_count", 100, "eval_count", 50));
    }

    @Override
    void checkRequest(ServeEvent e) {
        var body = JSON.readTree(e.getRequest().getBodyAsString());
        assertThat(body.get("model").asString()).isEqualTo("llama3.1:8b");
        assertThat(body.get("format").asString()).isEqualTo("json");
        assertThat(body.get("stream").asBoolean()).isFalse();
    }
}
