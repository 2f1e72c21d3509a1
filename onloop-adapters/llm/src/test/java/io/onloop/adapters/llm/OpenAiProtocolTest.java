package io.onloop.adapters.llm;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiProtocolTest extends ProviderProtocolTest {
    @Override
    LlmSettings settings(String url) {
        return LlmSettings.of("openai", url + "/v1", "sk-test-key-000000000000000000", "gpt-4o-mini");
    }

    @Override
    String path() {
        return "/v1/chat/completions";
    }

    static String openAiAnswer(String text) {
        return JSON.writeValueAsString(Map.of("id", "chatcmpl-1", "object", "chat.completion", "created", 1,
                "model", "gpt-4o-mini", "choices", java.util.List.of(Map.of("index", 0, "finish_reason", "stop",
                        "message", Map.of("role", "assistant", "content", text))),
                "usage", Map.of("prompt_tokens", 100, "completion_tokens", 50, "total_tokens", 150)));
    }

    @Override
    String answer(String text) {
        return openAiAnswer(text);
    }

    @Override
    void checkRequest(ServeEvent e) {
        assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer sk-test-key-000000000000000000");
        var body = JSON.readTree(e.getRequest().getBodyAsString());
        assertThat(body.get("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("response_format").get("type").asString()).isEqualTo("json_object");
        assertThat(body.get("messages").get(0).get("role").asString()).isEqualTo("system");
    }
}
