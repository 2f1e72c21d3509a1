package io.onloop.domain.runbook;

import io.onloop.domain.event.Event;

import java.util.Optional;

/**
 * A second opinion on a recipe from a language model. The implementation removes secrets and
 * personal data before anything leaves, validates the answer, caches it, and counts its cost.
 * Empty means "keep the base recipe" (no answer, a late or malformed one, or nothing configured).
 */
@FunctionalInterface
public interface RecipeAdvisor {
    /**
     * @param base the knowledge-base, edited or generic recipe already stored; given to the model as context
     */
    Optional<Recipe> advise(Event event, Recipe base);
}
