package io.onloop.adapters.llm;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicProtocolTest extends ProviderProtocolTest {
    @Override
    LlmSettings settings(String url) {
        return LlmSettings.of("anthropic", url + "/v1/", "sk-ant-test", "claude-sonnet-4-5");
    }

    @Override
    String path() {
        return "/v1/messages";
    }

    @Override
    String answer(String text) {
        return JSON.writeValueAsString(Map.of("id", "msg_1", "type", "message", "role", "assistant",
                "model", "claude-sonnet-4-5", "content", List.of(Map.of("type", "text", "text", "```json\n" + text + "\n```")),
                "stop_reason", "end_turn", "usage", Map.of("input_tokens", 100, "output_tokens", 50)));
    }

    @Override
    void checkRequest(ServeEvent e) {
        assertThat(e.getRequest().getHeader("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(e.getRequest().getHeader("anthropic-version")).isNotBlank();
        var body = JSON.readTree(e.getRequest().getBodyAsString());
        assertThat(body.get("model").asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.get("system").toString()).contains("untrusted data");
    }
}
