package io.onloop.domain.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Port: tenants, users, API tokens and ingest sources. Lookups by hash are how credentials are checked. */
public interface AccessStore {

    void createTenant(Tenant tenant);

    Optional<Tenant> findTenant(String id);

    List<Tenant> tenants();

    /** Usernames are unique across tenants, so a login names its tenant implicitly. */
    void createUser(User user);

    Optional<User> findUserByName(String username);

    /**
     * A user whose name equals {@code username} ignoring ASCII case (user names are ASCII): a new name must not be one
     * that differs only by case, which would read as the same person in the audit log.
     */
    Optional<User> findUserByNameIgnoringCase(String username);

    List<User> users(String tenantId);

    /** Disables or re-enables a user; a disabled user cannot sign in. @return false if no such user in this tenant */
    boolean setUserDisabled(String tenantId, UUID id, boolean disabled);

    void createToken(ApiToken token);

    Optional<ApiToken> findTokenByHash(String tokenHash);

    List<ApiToken> tokens(String tenantId);

    /** @return false if no such token in this tenant */
    boolean revokeToken(String tenantId, UUID id);

    void createSource(IngestSource source);

    Optional<IngestSource> findSourceByTokenHash(String tokenHash);

    List<IngestSource> sources(String tenantId);

    /** @return false if no such source in this tenant */
    boolean deleteSource(String tenantId, UUID id);

    /** Replaces the SNS topics the source takes messages from (empty: any). @return false if no such source in this tenant */
    boolean setSourceTopics(String tenantId, UUID id, List<String> topicArns);
}
