package io.onloop.app.security;

import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.Role;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

/**
 * The stateless API: API tokens or HTTP Basic users, with the least role each endpoint needs (the
 * console has its own chain, ConsoleSecurity). Ingest never reaches Spring Security: it is answered
 * by the first filter and authenticates each request by its source token (IngestWebConfig).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    /**
     * Ahead of every filter that reads parameters; after ingest's (which reads its own query string and answers
     * itself) and the HTTP observation's (HIGHEST_PRECEDENCE + 1), so these 400s are in the request metrics.
     */
    @Bean
    FilterRegistrationBean<MalformedParametersFilter> malformedParametersFilter() {
        var registration = new FilterRegistrationBean<>(new MalformedParametersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ActuatorNotFound> actuatorNotFound() {
        var registration = new FilterRegistrationBean<>(new ActuatorNotFound());
        registration.addUrlPatterns("/actuator/*");
        return registration;
    }

    /**
     * Tomcat's own refusals (before any filter) answered like the rest: see ProblemErrorReportValve. And a sender that
     * asks {@code Expect: 100-continue} (curl does for a large body) hears "continue" only when the body is read: a
     * request refused before that (too large, no credentials, a full backlog) gets its answer without sending the body.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
        return factory -> {
            factory.addContextCustomizers(context -> ((StandardHost) context.getParent())
                    .setErrorReportValveClass(ProblemErrorReportValve.class.getName()));
            factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming", "onRead"));
        };
    }

    /** Spring Security's firewall refusals (a // or ; in the path, say) answered like the rest, not as Boot's error JSON. */
    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, e) -> BadRequests.write(request, response, 400, "Bad Request",
                "the request's path is not valid here");
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    }

    @Bean
    PasswordSignIn passwordSignIn(AccessStore access, PasswordEncoder passwords, OnloopProperties properties, Clock clock) {
        var login = properties.login();
        return new PasswordSignIn(access, passwords, new LoginThrottle(login.maxFailures(), login.failureWindow(), clock),
                login.concurrentChecks(), login.checkWait());
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, AccessStore access, PasswordSignIn signIn, Clock clock,
                                 JsonMapper json, OnloopProperties properties) throws Exception {
        var problems = new ProblemResponses(json);
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**",
                                "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/incidents/*/acknowledge",
                                "/api/v1/incidents/*/resolve", "/api/v1/incidents/*/comments").hasRole("RESPONDER")
                        .requestMatchers(HttpMethod.PUT, "/api/v1/runbooks/*").hasRole("RESPONDER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/runbooks/*/revert").hasRole("RESPONDER")
                        // routing: the route file holds target credentials (admin); silences and replays are a responder's
                        .requestMatchers(HttpMethod.POST, "/api/v1/silences", "/api/v1/silences/*/expire",
                                "/api/v1/deliveries/*/replay", "/api/v1/tickets/*/assign", "/api/v1/tickets/*/comments",
                                "/api/v1/tickets/*/close").hasRole("RESPONDER")
                        // rightsizing: approving a change is what the approver role is for
                        .requestMatchers(HttpMethod.POST, "/api/v1/recommendations/*/approve",
                                "/api/v1/recommendations/*/reject").hasRole("APPROVER")
                        // a tenant's prices change every saving its people see: the admin's
                        .requestMatchers(HttpMethod.PUT, "/api/v1/rightsizing/prices/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/rightsizing/prices/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/routes/dry-run").hasRole("VIEWER")
                        .requestMatchers("/api/v1/routes", "/api/v1/routes/**").hasRole("ADMIN")
                        .requestMatchers("/api/v1/sources/**", "/api/v1/tokens/**", "/api/v1/users/**").hasRole("ADMIN")
                        // the metrics are the whole server's, every tenant's delivery targets among their tags: the
                        // operator's, i.e. an admin of the tenant made at first start, not any tenant's admin
                        .requestMatchers("/actuator/prometheus").access((auth, context) -> new AuthorizationDecision(
                                auth.get().getPrincipal() instanceof OnloopPrincipal p && p.role() == Role.ADMIN
                                        && p.tenantId().equals(properties.bootstrap().tenant())))
                        .anyRequest().hasRole("VIEWER"))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new ApiAuthenticationFilter(access, signIn, clock, problems),
                        AuthorizationFilter.class);
        return stateless(http).build();
    }

    /** No sessions, no CSRF (no cookies to forge), no login pages: every request carries its credentials. */
    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    }
}
