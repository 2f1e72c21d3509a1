package io.onloop.app.config;

import io.onloop.adapters.runbooks.KnowledgeBase;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.runbook.RecipeAdvisor;
import io.onloop.domain.runbook.RecipeEnrichment;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.runbook.RecipeSummary;
import io.onloop.domain.runbook.RunbookEngine;
import io.onloop.domain.routing.RecipeSummaries;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.logging.Logger;

/** The runbook stage: the built-in knowledge base, the recipe store, and enrichment of committed events. */
@Configuration(proxyBeanMethods = false)
public class RunbookConfig {
    private static final Logger LOG = Logger.getLogger(RunbookConfig.class.getName());

    /**
     * @param queueCapacity batches of committed events waiting for enrichment; beyond it work is dropped
     *                      (never blocking ingestion) and the recipe is made when someone opens the incident
     * @param llmThreads    concurrent LLM calls
     * @param maxYieldToStoring how long a new recipe waits while accepted events are still being stored
     *                          (storing comes first on a small machine; opening an incident makes its recipe at once)
     */
    @ConfigurationProperties("onloop.runbooks")
    public record RunbookProperties(@DefaultValue("10000") int queueCapacity, @DefaultValue("2") int llmThreads,
                                    @DefaultValue("30s") Duration maxYieldToStoring) {
    }

    /** Every class of runbooks/ on the classpath; a bad file stops the start with every problem listed. */
    @Bean
    RunbookEngine runbookEngine() {
        var classes = KnowledgeBase.load();
        LOG.info("runbook knowledge base: " + classes.size() + " classes");
        return new RunbookEngine(classes);
    }

    @Bean
    RecipeStore recipeStore(JdbcStores stores) {
        return stores.recipeStore();
    }

    /**
     * The runbook text in notifications (summary first, then the whole recipe; chat targets cut it,
     * e-mail carries it all): the incident's stored recipe, or — when the notification
     * goes out before enrichment has stored it — the recipe made now from the incident's latest event.
     */
    @Bean
    RecipeSummaries recipeSummaries(RecipeStore recipes, EventStore events, RecipeEnrichment enrichment) {
        return (tenantId, incidentId) -> recipes.incidentRecipe(tenantId, incidentId)
                .map(RecipeStore.IncidentRecipe::recipe)
                .or(() -> events.findEvents(new EventQuery(tenantId, null, null, null, null, null, null, null, null,
                        incidentId, 1, null)).items().stream().findFirst().map(enrichment::recipeFor))
                .map(RecipeSummary::full);
    }

    /** A CommittedEventsListener: the ingest writer hands it every committed batch. */
    @Bean(destroyMethod = "close")
    RecipeEnrichment recipeEnrichment(RunbookEngine engine, RecipeStore store, ObjectProvider<RecipeAdvisor> advisor,
                                      Clock clock, RunbookProperties props, ObjectProvider<EventIngestor> ingestor) {
        // looked up when asked: the ingestor itself is built with this listener
        Supplier<Duration> storingIdleFor = () -> {
            EventIngestor i = ingestor.getIfAvailable();
            return i == null ? Duration.ZERO : i.storingIdleFor();
        };
        return new RecipeEnrichment(engine, store, Optional.ofNullable(advisor.getIfAvailable()), clock,
                props.queueCapacity(), props.llmThreads(), storingIdleFor, props.maxYieldToStoring());
    }
}
