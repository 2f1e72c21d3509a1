package io.onloop.app.config;

import io.onloop.adapters.llm.LlmRecipeAdvisor;
import io.onloop.adapters.llm.LlmSettings;
import io.onloop.adapters.runbooks.RunbookCodec;
import io.onloop.domain.runbook.RecipeStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/** LLM enrichment of runbook recipes, off unless {@code onloop.llm.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "onloop.llm.enabled", havingValue = "true")
public class LlmConfig {
    private static final Logger LOG = Logger.getLogger(LlmConfig.class.getName());

    /** See README, "Configuration", for each setting; LlmSettings checks them at start. */
    @ConfigurationProperties("onloop.llm")
    public record LlmProperties(
            @DefaultValue("false") boolean enabled,
            String provider,
            String baseUrl,
            String apiKey,
            String model,
            @DefaultValue("2024-10-21") String azureApiVersion,
            @DefaultValue("20s") Duration timeout,
            @DefaultValue("2") int maxRetries,
            @DefaultValue("500ms") Duration backoff,
            @DefaultValue("2048") int maxOutputTokens,
            @DefaultValue("0") double inputCostPerMillion,
            @DefaultValue("0") double outputCostPerMillion,
            @DefaultValue("1000") int cacheSize,
            @DefaultValue("false") boolean maskIps,
            @DefaultValue("false") boolean maskAccountIds,
            @DefaultValue("false") boolean maskHostNames) {

        @Override
        public String toString() { // never print the key
            return "LlmProperties[provider=" + provider + ", model=" + model + "]";
        }
    }

    @Bean(destroyMethod = "close")
    LlmRecipeAdvisor recipeAdvisor(LlmProperties p, RecipeStore store, Clock clock) {
        var settings = new LlmSettings(p.provider() == null ? "" : p.provider(), p.baseUrl(), p.apiKey(), p.model(),
                p.azureApiVersion(), p.timeout(), p.maxRetries(), p.backoff(), p.maxOutputTokens(),
                p.inputCostPerMillion(), p.outputCostPerMillion(), p.cacheSize(), p.maskIps(), p.maskAccountIds(),
                p.maskHostNames());
        LOG.info("LLM enrichment on: " + settings);
        return new LlmRecipeAdvisor(settings, new RunbookCodec(), store::addLlmUsage, clock);
    }
}
