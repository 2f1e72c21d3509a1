package io.onloop.adapters.llm;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How to reach the model and what a call may cost.
 *
 * @param provider          openai, openai-compatible, azure-openai, ollama or anthropic
 * @param baseUrl           the API root; empty for the provider's default (required for openai-compatible,
 *                          and for azure-openai the resource endpoint, e.g. https://x.openai.azure.com)
 * @param apiKey            sent only to the provider (never logged); not needed by ollama or most local servers
 * @param model             the model name (for azure-openai: the deployment name)
 * @param azureApiVersion   the api-version query parameter of Azure OpenAI
 * @param timeout           a later answer is dropped and the knowledge-base recipe stays
 * @param maxRetries        retries after 429 and 5xx, with exponential backoff from {@code backoff}
 * @param maxOutputTokens   upper bound of the answer
 * @param inputCostPerMillion  price of a million input tokens (any currency; for cost accounting)
 * @param outputCostPerMillion price of a million output tokens
 * @param cacheSize         answers kept per class and content (a storm of the same alert costs one call)
 * @param maskIps           also replace IP addresses by placeholders
 * @param maskAccountIds    also replace AWS account numbers and Azure subscription ids
 * @param maskHostNames     also replace host names (FQDNs and the event's host labels)
 */
public record LlmSettings(String provider, String baseUrl, String apiKey, String model, String azureApiVersion,
                          Duration timeout, int maxRetries, Duration backoff, int maxOutputTokens,
                          double inputCostPerMillion, double outputCostPerMillion, int cacheSize, boolean maskIps,
                          boolean maskAccountIds, boolean maskHostNames) {
    public static final List<String> PROVIDERS = List.of("openai", "openai-compatible", "azure-openai", "ollama",
            "anthropic");

    public LlmSettings {
        provider = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
        if (provider.isEmpty()) {
            throw new IllegalArgumentException("onloop.llm.provider is required when onloop.llm.enabled is true: one of "
                    + PROVIDERS);
        }
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("onloop.llm.provider: \"" + provider + "\" is not one of " + PROVIDERS);
        }
        baseUrl = baseUrl == null ? "" : baseUrl.trim();
        if (baseUrl.isEmpty() && (provider.equals("openai-compatible") || provider.equals("azure-openai"))) {
            throw new IllegalArgumentException("onloop.llm.base-url is required for " + provider);
        }
        if (!baseUrl.isEmpty() && !baseUrl.matches("(?i)https?://[^\\s/?#]+.*")) {
            throw new IllegalArgumentException("onloop.llm.base-url: \"" + baseUrl + "\" is not an http(s) URL");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("onloop.llm.model is required");
        }
        if ((apiKey == null || apiKey.isBlank()) && (provider.equals("openai") || provider.equals("anthropic")
                || provider.equals("azure-openai"))) {
            throw new IllegalArgumentException("onloop.llm.api-key is required for " + provider);
        }
        azureApiVersion = azureApiVersion == null || azureApiVersion.isBlank() ? "2024-10-21" : azureApiVersion;
        timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
        backoff = backoff == null ? Duration.ofMillis(500) : backoff;
        // one setting per message, named first: the start-up failure analyzer tells the operator to set that one
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("onloop.llm.timeout must be more than 0, not " + timeout);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("onloop.llm.backoff must not be negative, not " + backoff);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("onloop.llm.max-retries must be 0 or more, not " + maxRetries);
        }
        if (maxOutputTokens <= 0) {
            throw new IllegalArgumentException("onloop.llm.max-output-tokens must be more than 0, not " + maxOutputTokens);
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("onloop.llm.cache-size must be 0 or more, not " + cacheSize);
        }
    }

    /** For tests and simple setups: everything else at its default. */
    public static LlmSettings of(String provider, String baseUrl, String apiKey, String model) {
        return new LlmSettings(provider, baseUrl, apiKey, model, null, Duration.ofSeconds(20), 2,
                Duration.ofMillis(500), 2048, 0, 0, 1000, false, false, false);
    }

    public LlmSettings withTimeout(Duration t, Duration backoffStart) {
        return new LlmSettings(provider, baseUrl, apiKey, model, azureApiVersion, t, maxRetries, backoffStart,
                maxOutputTokens, inputCostPerMillion, outputCostPerMillion, cacheSize, maskIps, maskAccountIds,
                maskHostNames);
    }

    public LlmSettings withPrices(double inputPerMillion, double outputPerMillion) {
        return new LlmSettings(provider, baseUrl, apiKey, model, azureApiVersion, timeout, maxRetries, backoff,
                maxOutputTokens, inputPerMillion, outputPerMillion, cacheSize, maskIps, maskAccountIds, maskHostNames);
    }

    public LlmSettings withMasking(boolean ips, boolean accountIds, boolean hostNames) {
        return new LlmSettings(provider, baseUrl, apiKey, model, azureApiVersion, timeout, maxRetries, backoff,
                maxOutputTokens, inputCostPerMillion, outputCostPerMillion, cacheSize, ips, accountIds, hostNames);
    }

    @Override
    public String toString() { // never print the key
        return "LlmSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", timeout=" + timeout
                + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "none" : "***") + "]";
    }
}
