package io.onloop.domain.incident;

/**
 * Port: hears what people did to an incident, after it committed. Routing uses it to tell the
 * places the incident was sent to (the PagerDuty alert is acknowledged too). Called on the acting
 * person's thread: an implementation only writes what it has to do to the outbox.
 */
@FunctionalInterface
public interface IncidentListener {

    /** @param incident the incident as acknowledged ({@link Incident#acknowledgedBy()}, {@link Incident#acknowledgedAt()}) */
    void acknowledged(Incident incident);

    IncidentListener NONE = incident -> {
    };
}
