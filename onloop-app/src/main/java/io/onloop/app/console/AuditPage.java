package io.onloop.app.console;

import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.audit.AuditEntry;
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

    @GetMapping("/console/audit")
    String list(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String cursor,
                Model model) {
        Page<AuditEntry> page;
        try {
            page = store.auditLog(me.tenantId(), PAGE_SIZE, cursor == null || cursor.isBlank() ? null : cursor);
        } catch (IllegalArgumentException e) {
            model.addAttribute("problem", "That is not a page of the audit log; showing the newest entries.");
            page = store.auditLog(me.tenantId(), PAGE_SIZE, null);
        }
        model.addAttribute("entries", page.items());
        model.addAttribute("nextUrl", page.nextCursor() == null ? null
                : "/console/audit?cursor=" + URLEncoder.encode(page.nextCursor(), StandardCharsets.UTF_8));
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        return "console/audit";
    }

}
