package io.onloop.domain.rightsizing.copilot;

import java.util.List;
import java.util.Objects;

/**
 * What approving a recommendation means in practice: the exact change, written for a person or for the
 * autopilot to carry out. Nothing here is applied by onloop; a plan is text to review and run.
 *
 * @param steps in the order they are to be run (for AWS: stop, modify, start)
 * @param notes what to watch out for, in plain sentences
 */
public record ChangePlan(List<Step> steps, List<String> notes) {

    public ChangePlan {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /** What a step's content is. */
    public enum Kind {
        /** A Kubernetes strategic-merge patch (JSON) of the workload. */
        KUBERNETES_PATCH,
        /** The same patch as a {@code kubectl patch} command line. */
        KUBECTL,
        /** A unified diff of the manifest the caller supplied. */
        GIT_DIFF,
        /** A kustomize strategic-merge patch file (YAML), for when no manifest was supplied. */
        KUSTOMIZE_PATCH,
        /** One AWS API call as JSON: {@code {"service", "operation", "environment", "parameters"}}. */
        AWS_API_CALL
    }

    /**
     * @param title   one line for people, e.g. "Patch deployment shop/cart"
     * @param path    where the content goes when it is a file (the manifest or the kustomize patch); else empty
     * @param content the patch, command, diff or call, exactly as it is to be used
     */
    public record Step(Kind kind, String title, String path, String content) {
        public Step {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(title, "title");
            path = Objects.requireNonNullElse(path, "");
            Objects.requireNonNull(content, "content");
        }
    }
}
