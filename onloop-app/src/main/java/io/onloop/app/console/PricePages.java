package io.onloop.app.console;

import io.onloop.app.rightsizing.TenantPrices;
import io.onloop.app.security.OnloopPrincipal;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Rightsizing prices: the tenant's catalog (every shipped price, the tenant's own marked); an admin sets one
 * price or puts it back to the shipped one. The same {@link TenantPrices} as the API, audited the same way.
 */
@Controller
class PricePages {
    private static final String PAGE = "/console/rightsizing/prices";

    private final TenantPrices prices;

    PricePages(TenantPrices prices) {
        this.prices = prices;
    }

    @GetMapping(PAGE)
    String catalog(@AuthenticationPrincipal OnloopPrincipal me, Model model) {
        model.addAttribute("catalog", prices.catalog(me.tenantId()));
        return "console/prices";
    }

    @PostMapping(PAGE)
    String set(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String key,
               @RequestParam(required = false) String price, RedirectAttributes flash) {
        String k = key == null ? "" : key.strip();
        double value;
        try {
            // plain decimals only, as the API takes: no hex, no 'd'/'f' suffix, no NaN or Infinity
            value = new java.math.BigDecimal(price == null ? "" : price.strip()).doubleValue();
        } catch (NumberFormatException e) {
            flash.addFlashAttribute("problem", "Not set: the price must be a number.");
            return "redirect:" + PAGE;
        }
        try {
            var saved = prices.set(me.tenantId(), me.name(), k, value);
            flash.addFlashAttribute("notice", "The price of " + saved.key() + " is now " + TenantPrices.plain(saved.price())
                    + " per " + saved.unit() + "; recommendations use it from the next scan.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("problem", "Not set: " + e.getMessage() + ".");
        }
        return "redirect:" + PAGE;
    }

    @PostMapping(PAGE + "/reset")
    String reset(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String key,
                 RedirectAttributes flash) {
        String k = key == null ? "" : key.strip();
        if (prices.reset(me.tenantId(), me.name(), k).isPresent()) {
            flash.addFlashAttribute("notice", "The price of " + k + " is the shipped one again.");
        } else {
            flash.addFlashAttribute("problem", "Nothing to reset: the tenant has no price of " + k + ".");
        }
        return "redirect:" + PAGE;
    }
}
