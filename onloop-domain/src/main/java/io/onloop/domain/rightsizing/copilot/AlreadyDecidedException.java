package io.onloop.domain.rightsizing.copilot;

/** An approval or rejection of a recommendation that is no longer open. */
public class AlreadyDecidedException extends IllegalStateException {
    private final StoredRecommendation.Status status;

    public AlreadyDecidedException(StoredRecommendation current) {
        super("recommendation " + current.id() + " is already " + current.status().id()
                + (current.decidedBy().isEmpty() ? "" : " by " + current.decidedBy())
                + (current.decidedAt() == null ? "" : " at " + current.decidedAt())
                + "; only an open recommendation can be approved or rejected");
        this.status = current.status();
    }

    public StoredRecommendation.Status status() {
        return status;
    }
}
