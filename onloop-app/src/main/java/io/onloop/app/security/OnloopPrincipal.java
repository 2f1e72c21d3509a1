package io.onloop.app.security;

import io.onloop.domain.access.Role;

/**
 * Who is calling the API: a local user or an API token, always inside one tenant. Controllers
 * scope every read and write to {@link #tenantId()}.
 *
 * @param name the user name, or {@code token:<token name>} for an API token (as recorded in the audit log)
 */
public record OnloopPrincipal(String tenantId, String name, Role role, Kind kind) {

    public enum Kind { USER, TOKEN }
}
