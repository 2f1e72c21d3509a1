package io.onloop.adapters.llm;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** Azure OpenAI: the deployment's path, api-version parameter, api-key header and no bearer token. */
class AzureOpenAiProtocolTest extends ProviderProtocolTest {
    @Override
    LlmSettings settings(String url) {
        return LlmSettings.of("azure-openai", url, "azure-key-123", "ops-gpt4o");
    }

    @Override
    String path() {
        return "/openai/deployments/ops-gpt4o/chat/completions";
    }

    @Override
    String answer(String text) {
        return OpenAiProtocolTest.openAiAnswer(text);
    }

    @Override
    void checkRequest(ServeEvent e) {
        assertThat(e.getRequest().getHeader("api-key")).isEqualTo("azure-key-123");
        assertThat(e.getRequest().containsHeader("Authorization")).isFalse();
        assertThat(e.getRequest().queryParameter("api-version").firstValue()).isEqualTo("2024-10-21");
    }
}
