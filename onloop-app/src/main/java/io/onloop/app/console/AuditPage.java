package io.onloop.app.console;

import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.audit.AuditQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Page;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The append-only audit log, newest first. */
@Controller
class AuditPage {
    private static final int PAGE_SIZE = 100;

    private final EventStore store;

    AuditPage(EventStore store) {
        this.store = store;
    }

    /** Filtered by who, what (a prefix with a final *) and the thing acted on; the filters carry over to older pages. */
    @GetMapping("/console/audit")
    String list(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String cursor,
                @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                @RequestParam(required = false) String target, Model model) {
        var query = new AuditQuery(me.tenantId(), actor, action, null, target, null, null);
        Page<AuditEntry> page;
        try {
            page = store.auditLog(query, PAGE_SIZE, cursor == null || cursor.isBlank() ? null : cursor);
        } catch (IllegalArgumentException e) {
            model.addAttribute("problem", "That is not a page of the audit log; showing the newest entries.");
            page = store.auditLog(query, PAGE_SIZE, null);
        }
        String filters = param("actor", query.actor()) + param("action", query.action()) + param("target", query.targetId());
        model.addAttribute("query", query);
        model.addAttribute("filtered", query.actor() != null || query.action() != null || query.targetId() != null);
        model.addAttribute("entries", page.items());
        model.addAttribute("firstUrl", "/console/audit" + filters.replaceFirst("^&", "?"));
        model.addAttribute("nextUrl", page.nextCursor() == null ? null
                : "/console/audit?cursor=" + URLEncoder.encode(page.nextCursor(), StandardCharsets.UTF_8) + filters);
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        return "console/audit";
    }

    private static String param(String name, String value) {
        return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
