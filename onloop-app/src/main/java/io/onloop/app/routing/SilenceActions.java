package io.onloop.app.routing;

import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.api.QueryParams;
import io.onloop.app.routing.RoutingDtos.SilenceRequest;
import io.onloop.domain.event.Ids;
import io.onloop.domain.routing.Matcher;
import io.onloop.domain.routing.RoutingLabels;
import io.onloop.domain.routing.Silence;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creating and expiring silences, with their checks and audit entries: shared by the API and the
 * console so both refuse the same things. Bad input is an {@link ApiException} naming the field.
 */
@Component
public class SilenceActions {
    static final int MAX_MATCHERS = 50;
    static final int MAX_COMMENT = 10_000;

    private final RoutingService routing;
    private final AuditLog audit;
    private final Clock clock;

    SilenceActions(RoutingService routing, AuditLog audit, Clock clock) {
        this.routing = routing;
        this.audit = audit;
        this.clock = clock;
    }

    public Silence create(String tenantId, String author, SilenceRequest body) {
        if (body.matchers() == null || body.matchers().isEmpty()) {
            throw ApiException.badParameter("matchers", "at least one matcher is required");
        }
        if (body.matchers().size() > MAX_MATCHERS) {
            throw ApiException.badParameter("matchers", "at most " + MAX_MATCHERS);
        }
        List<Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < body.matchers().size(); i++) {
            String text = body.matchers().get(i);
            try {
                matchers.add(Matcher.parse(text == null ? "" : text));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("matchers[" + i + "]", e.getMessage());
            }
        }
        if (RoutingLabels.matchEveryAlert(matchers)) {
            throw ApiException.badParameter("matchers", "these matchers match every alert; add one that needs a label");
        }
        if (RoutingLabels.needNoValue(matchers)) {
            throw ApiException.badParameter("matchers", "each of these matchers also matches alerts without its label (as"
                    + " severity!=\"info\" does, which would hold every page); add one that needs a value, such as"
                    + " team=\"db\"");
        }
        Instant now = clock.instant();
        Instant starts = body.startsAt() == null ? now : body.startsAt();
        if (body.endsAt() == null) {
            throw ApiException.badParameter("endsAt", "required");
        }
        QueryParams.storable("startsAt", starts); // a 500 on PostgreSQL beyond its years, while H2 stored it
        QueryParams.storable("endsAt", body.endsAt());
        if (!body.endsAt().isAfter(starts) || !body.endsAt().isAfter(now)) {
            throw ApiException.badParameter("endsAt", "must be after startsAt and in the future");
        }
        String comment = body.comment() == null ? "" : body.comment().strip();
        if (comment.isEmpty()) {
            throw ApiException.badParameter("comment", "say why (it is shown wherever the silence holds an alert)");
        }
        if (comment.length() > MAX_COMMENT) {
            throw ApiException.badParameter("comment", "at most " + MAX_COMMENT + " characters");
        }
        Silence s = new Silence(Ids.newId(now), tenantId, matchers, starts, body.endsAt(), author, comment, now);
        return audit.inOneTransaction(() -> {
            routing.saveSilence(s);
            audit.record(tenantId, author, "silence.create", "silence", s.id().toString(),
                    matchers + " from " + starts + " to " + s.endsAt());
            return s;
        });
    }

    public Silence expire(String tenantId, String actor, UUID id) {
        return audit.inOneTransaction(() -> { // checked and expired in one step: parallel expiries expire it once
            Instant now = clock.instant();
            Silence s = routing.findSilence(tenantId, id).orElseThrow(() -> ApiException.notFound("silence " + id));
            if (s.state(now) == Silence.State.EXPIRED) {
                throw ApiException.conflict("silence " + id + " has already ended");
            }
            Silence expired = s.expired(now);
            routing.saveSilence(expired);
            audit.record(tenantId, actor, "silence.expire", "silence", id.toString(), s.matchers().toString());
            return expired;
        });
    }
}
