package io.onloop.app.console;

import io.onloop.app.api.AuditLog;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.Lockout;
import io.onloop.domain.access.User;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.Comparator;
import java.util.UUID;

/**
 * Users and API tokens (admin): who can get in, and switching access off. Creating users and
 * tokens stays in the API for now (POST /api/v1/users, /api/v1/tokens).
 */
@Controller
class AccessPages {
    private final AccessStore access;
    private final AuditLog audit;
    private final LiveUpdates live;

    AccessPages(AccessStore access, AuditLog audit, LiveUpdates live) {
        this.access = access;
        this.audit = audit;
        this.live = live;
    }

    @GetMapping("/console/access")
    String list(@AuthenticationPrincipal OnloopPrincipal me, Model model) {
        model.addAttribute("users", access.users(me.tenantId()).stream()
                .sorted(Comparator.comparing(User::username)).toList());
        model.addAttribute("tokens", access.tokens(me.tenantId()).stream()
                .sorted(Comparator.comparing(ApiToken::createdAt).reversed()).toList());
        return "console/access";
    }

    @PostMapping("/console/access/users/{id}/disabled")
    String setDisabled(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                       @RequestParam boolean disabled,
                       RedirectAttributes flash) {
        String page = audit.inOneTransaction(() -> { // the last admin is checked and disabled in one step
            var users = access.users(me.tenantId());
            var user = users.stream().filter(u -> u.id().equals(id)).findFirst()
                    .orElseThrow(() -> ConsoleException.notFound("User " + id));
            if (user.disabled() == disabled) { // already so (a second click, another tab): nothing to change or audit
                flash.addFlashAttribute("notice", user.username() + " is already " + (disabled ? "disabled" : "enabled") + ".");
                return "redirect:/console/access";
            }
            if (disabled) {
                var refused = Lockout.whyNotDisable(users, user, me.name(), me.kind() == OnloopPrincipal.Kind.USER);
                if (refused.isPresent()) {
                    String why = refused.get();
                    flash.addFlashAttribute("problem", Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".");
                    return "redirect:/console/access";
                }
            }
            access.setUserDisabled(me.tenantId(), id, disabled);
            audit.record(me.tenantId(), me.name(), disabled ? "user.disable" : "user.enable", "user", id.toString(),
                    "username=" + user.username());
            flash.addFlashAttribute("notice", (disabled ? "Disabled " : "Enabled ") + user.username() + ".");
            return "redirect:/console/access";
        });
        if (disabled) { // after the commit: a stream that reconnected before it would be let in again
            access.users(me.tenantId()).stream().filter(u -> u.id().equals(id) && u.disabled())
                    .forEach(u -> live.userDisabled(me.tenantId(), u.username()));
        }
        return page;
    }

    @PostMapping("/console/access/tokens/{id}/revoke")
    String revoke(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, RedirectAttributes flash) {
        audit.inOneTransaction(() -> {
            ApiToken token = access.tokens(me.tenantId()).stream().filter(t -> t.id().equals(id)).findFirst()
                    .orElseThrow(() -> ConsoleException.notFound("Token " + id));
            if (!token.revoked()) { // a second click (another tab) changes nothing and is not audited again
                access.revokeToken(me.tenantId(), id);
                audit.record(me.tenantId(), me.name(), "token.revoke", "token", id.toString(), "name=" + token.name());
            }
            return null;
        });
        flash.addFlashAttribute("notice", "Token revoked; it stops working at once.");
        return "redirect:/console/access";
    }
}
