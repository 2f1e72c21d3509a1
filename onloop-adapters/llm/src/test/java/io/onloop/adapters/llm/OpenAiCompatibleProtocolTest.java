package io.onloop.adapters.llm;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** A local OpenAI-compatible server (vLLM, llama.cpp, LM Studio): own base URL, no key, no Authorization header. */
class OpenAiCompatibleProtocolTest extends ProviderProtocolTest {
    @Override
    LlmSettings settings(String url) {
        return LlmSettings.of("openai-compatible", url + "/llm/v1", null, "qwen2.5-7b-instruct");
    }

    @Override
    String path() {
        return "/llm/v1/chat/completions";
    }

    @Override
    String answer(String text) {
        return OpenAiProtocolTest.openAiAnswer(text);
    }

    @Override
    void checkRequest(ServeEvent e) {
        assertThat(e.getRequest().containsHeader("Authorization")).isFalse();
        assertThat(JSON.readTree(e.getRequest().getBodyAsString()).get("model").asString()).isEqualTo("qwen2.5-7b-instruct");
    }
}
