package io.onloop.domain.rightsizing.copilot;

/**
 * A decision on a recommendation that a scan refreshed after the person deciding read it: what they read is not
 * what they would decide. Reading it again shows the current values.
 */
public class ChangedSinceReadException extends IllegalStateException {
    private final StoredRecommendation current;

    public ChangedSinceReadException(StoredRecommendation current, java.time.Instant seen) {
        super("recommendation " + current.id() + " was refreshed by a scan at " + current.updatedAt()
                + ", after the version you read (" + seen + "); it is now " + Copilot.describe(current.recommendation())
                + "; read it again and decide");
        this.current = current;
    }

    public StoredRecommendation current() {
        return current;
    }
}
