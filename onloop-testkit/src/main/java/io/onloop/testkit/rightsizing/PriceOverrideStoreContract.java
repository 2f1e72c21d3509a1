package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore.PriceOverride;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link PriceOverrideStore} must do: a price round-trips exactly (who and when too), a second put of
 * a key replaces the first, delete says whether there was one, overrides come back in key order, and nothing is
 * visible to another tenant. Each test uses fresh tenants from {@link #newTenant()}.
 */
public abstract class PriceOverrideStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-23T02:30:00.123456Z");

    protected abstract PriceOverrideStore store();

    /** A tenant that exists (stores with a foreign key to tenants need it created). */
    protected abstract String newTenant();

    private PriceOverrideStore store;
    private String a;
    private String b;

    @BeforeEach
    void open() {
        store = store();
        a = newTenant();
        b = newTenant();
    }

    @Test
    void aPriceRoundTripsExactlyAndIsScopedToItsTenant() {
        var m5 = new PriceOverride("ec2/m5.large", 0.0000166667, "älice", T0);
        store.put(a, m5);

        assertThat(store.overrides(a)).containsExactly(m5);
        assertThat(store.prices(a)).isEqualTo(Map.of("ec2/m5.large", 0.0000166667));
        assertThat(store.overrides(b)).isEmpty();
        assertThat(store.delete(b, "ec2/m5.large")).isFalse();
        assertThat(store.overrides(a)).containsExactly(m5);
    }

    @Test
    void aSecondPutOfAKeyReplacesTheFirstAndOverridesComeInKeyOrder() {
        store.put(a, new PriceOverride("lambda/request", 0.0000002, "alice", T0));
        store.put(a, new PriceOverride("container/vcpu-hour", 0.03, "alice", T0));
        store.put(a, new PriceOverride("ebs/gp3-gb-month", 0.08, "alice", T0));
        var replaced = new PriceOverride("container/vcpu-hour", 0.0, "bob", T0.plusSeconds(60));
        store.put(a, replaced);

        assertThat(store.overrides(a)).extracting(PriceOverride::key)
                .containsExactly("container/vcpu-hour", "ebs/gp3-gb-month", "lambda/request");
        assertThat(store.overrides(a)).first().isEqualTo(replaced);
    }

    @Test
    void deleteRemovesOnlyThatKeyOfThatTenantAndSaysWhetherThereWasOne() {
        store.put(a, new PriceOverride("ec2/m5.large", 0.09, "alice", T0));
        store.put(a, new PriceOverride("ec2/c5.large", 0.08, "alice", T0));
        store.put(b, new PriceOverride("ec2/m5.large", 0.07, "carol", T0));

        assertThat(store.delete(a, "ec2/m5.large")).isTrue();
        assertThat(store.delete(a, "ec2/m5.large")).isFalse();

        assertThat(store.overrides(a)).extracting(PriceOverride::key).containsExactly("ec2/c5.large");
        assertThat(store.prices(b)).isEqualTo(Map.of("ec2/m5.large", 0.07));
    }
}
