package io.onloop.app.console;

import io.onloop.app.api.AccessActions;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
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
    private final AccessActions actions;

    AccessPages(AccessStore access, AccessActions actions) {
        this.access = access;
        this.actions = actions;
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
        var change = actions.setDisabled(me, id, disabled).orElseThrow(() -> ConsoleException.notFound("User " + id));
        String name = change.user().username();
        if (change.refused() != null) {
            String why = change.refused();
            flash.addFlashAttribute("problem", Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".");
        } else if (!change.changed()) {
            flash.addFlashAttribute("notice", name + " is already " + (disabled ? "disabled" : "enabled") + ".");
        } else {
            flash.addFlashAttribute("notice", (disabled ? "Disabled " : "Enabled ") + name + ".");
        }
        return "redirect:/console/access";
    }

    @PostMapping("/console/access/tokens/{id}/revoke")
    String revoke(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, RedirectAttributes flash) {
        actions.revokeToken(me, id).orElseThrow(() -> ConsoleException.notFound("Token " + id));
        flash.addFlashAttribute("notice", "Token revoked; it stops working at once.");
        return "redirect:/console/access";
    }
}
