package io.onloop.domain.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoleTest {

    @Test
    void eachRoleIncludesItselfAndTheWeakerOnesOnly() {
        assertThat(Role.ADMIN.includes(Role.VIEWER)).isTrue();
        assertThat(Role.ADMIN.includes(Role.RESPONDER)).isTrue();
        assertThat(Role.ADMIN.includes(Role.APPROVER)).isTrue();
        assertThat(Role.APPROVER.includes(Role.RESPONDER)).isTrue();
        assertThat(Role.RESPONDER.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.RESPONDER)).isFalse();
        assertThat(Role.RESPONDER.includes(Role.APPROVER)).isFalse();
        assertThat(Role.APPROVER.includes(Role.ADMIN)).isFalse();
        for (Role r : Role.values()) {
            assertThat(r.includes(r)).isTrue();
            for (Role o : Role.values()) {
                assertThat(r.includes(o) && o.includes(r)).as("%s, %s", r, o).isEqualTo(r == o);
            }
        }
    }

    @Test
    void ids() {
        for (Role r : Role.values()) {
            assertThat(Role.fromId(r.id())).isEqualTo(r);
        }
        assertThat(Role.fromId(" Admin")).isEqualTo(Role.ADMIN);
    }
}
