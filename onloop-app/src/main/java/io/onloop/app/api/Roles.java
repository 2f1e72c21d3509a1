package io.onloop.app.api;

import io.onloop.domain.access.Role;

import java.util.Arrays;

final class Roles {
    private Roles() {
    }

    static Role parse(String id) {
        try {
            return Role.fromId(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("role", "expected one of "
                    + Arrays.stream(Role.values()).map(Role::id).toList());
        }
    }
}
