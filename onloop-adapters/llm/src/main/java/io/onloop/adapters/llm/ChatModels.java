package io.onloop.adapters.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.util.Map;

/**
 * LangChain4j chat models for each provider. Retries are onloop's own ({@link LlmRecipeAdvisor}),
 * so LangChain4j's are off; request and response logging stays off (prompts hold alert text).
 */
final class ChatModels {
    private ChatModels() {
    }

    static ChatModel create(LlmSettings s) {
        return switch (s.provider()) {
            case "openai", "openai-compatible" -> {
                var b = OpenAiChatModel.builder().modelName(s.model()).timeout(s.timeout()).maxRetries(0)
                        .temperature(0.1).maxTokens(s.maxOutputTokens());
                if (!s.baseUrl().isEmpty()) {
                    b.baseUrl(s.baseUrl());
                }
                if (s.apiKey() != null && !s.apiKey().isBlank()) {
                    b.apiKey(s.apiKey()); // local servers often need none: then no Authorization header at all
                }
                yield b.build();
            }
            // Azure OpenAI speaks the OpenAI chat-completions protocol under the deployment's path, with
            // an api-key header and an api-version parameter instead of a bearer token.
            case "azure-openai" -> OpenAiChatModel.builder()
                    .baseUrl(trimSlash(s.baseUrl()) + "/openai/deployments/" + s.model())
                    .customHeaders(Map.of("api-key", s.apiKey()))
                    .customQueryParams(Map.of("api-version", s.azureApiVersion()))
                    .modelName(s.model()).timeout(s.timeout()).maxRetries(0).temperature(0.1)
                    .maxTokens(s.maxOutputTokens()).build();
            case "ollama" -> OllamaChatModel.builder()
                    .baseUrl(s.baseUrl().isEmpty() ? "http://localhost:11434" : s.baseUrl())
                    .modelName(s.model()).timeout(s.timeout()).maxRetries(0).temperature(0.1)
                    .numPredict(s.maxOutputTokens()).build();
            case "anthropic" -> {
                var b = AnthropicChatModel.builder().apiKey(s.apiKey()).modelName(s.model()).timeout(s.timeout())
                        .maxRetries(0).temperature(0.1).maxTokens(s.maxOutputTokens());
                if (!s.baseUrl().isEmpty()) {
                    b.baseUrl(s.baseUrl());
                }
                yield b.build();
            }
            default -> throw new IllegalArgumentException("unknown provider " + s.provider());
        };
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
