package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.TargetDescriptor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The target adapters this module provides, by type id. */
public final class Targets {
    private Targets() {
    }

    public static Map<String, NotificationTarget> defaults() {
        Map<String, NotificationTarget> out = new LinkedHashMap<>();
        for (NotificationTarget t : List.of(new WebhookTarget(), new SlackTarget(), new EmailTarget(),
                new TeamsTarget(), new PagerDutyTarget(), new ZendeskTarget(), new JiraTarget())) {
            out.put(t.descriptor().type(), t);
        }
        return out;
    }

    public static Map<String, TargetDescriptor> descriptors(Map<String, NotificationTarget> targets) {
        Map<String, TargetDescriptor> out = new LinkedHashMap<>();
        targets.forEach((type, t) -> out.put(type, t.descriptor()));
        return out;
    }

    /** Problems of a target's settings that its descriptor cannot express (which settings need which). */
    static List<String> problems(String type, Map<String, String> settings) {
        return type.equals(SlackTarget.DESCRIPTOR.type()) ? SlackTarget.problems(settings) : List.of();
    }
}
