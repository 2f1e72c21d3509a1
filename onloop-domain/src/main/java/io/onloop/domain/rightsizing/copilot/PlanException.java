package io.onloop.domain.rightsizing.copilot;

/** A recommendation, or the manifest supplied with its approval, from which no exact change plan can be made. */
public class PlanException extends IllegalArgumentException {
    public PlanException(String message) {
        super(message);
    }
}
