package io.onloop.app.security;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.store.StoreUnreachableException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;

/**
 * The web console under {@code /console}: a signed-in session with CSRF protection, unlike the
 * stateless API. It is its own filter chain, ordered before the API's, so the session cookie is
 * never accepted on {@code /api/v1/**} and the API's answers stay exactly as they are.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {
    public static final String LOGIN = "/console/login";
    public static final String DENIED = "/console/denied";

    /**
     * Scripts, styles, images and connections only from onloop itself; no inline script or style, so
     * markup smuggled into alert text could not run even if it escaped the templates.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    @Order(0)
    SecurityFilterChain consoleChain(HttpSecurity http, AccessStore access, PasswordSignIn signIn) throws Exception {
        http.securityMatcher("/", "/console", "/console/**", "/webjars/**")
                .authorizeHttpRequests(a -> a
                        // Finishing a request already let in (the live stream ending): after a sign-out its session is
                        // gone, and refusing it then could only fail, loudly, on an answer already sent.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/", LOGIN, DENIED, "/console/assets/**", "/webjars/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/console/incidents/*/**", "/console/runbooks/*/**",
                                "/console/silences", "/console/silences/*/**").hasRole("RESPONDER")
                        .requestMatchers(HttpMethod.POST, "/console/rightsizing/prices", "/console/rightsizing/prices/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/console/rightsizing/*/**").hasRole("APPROVER")
                        .requestMatchers(HttpMethod.POST, "/console/routes", "/console/routes/validate").hasRole("ADMIN")
                        .requestMatchers("/console/integrations/**", "/console/access/**").hasRole("ADMIN")
                        .anyRequest().hasRole("VIEWER"))
                // Its own manager, no parent: only onloop's users sign in here, never Boot's default user.
                .authenticationManager(new ProviderManager(new UserPasswordProvider(signIn)))
                .formLogin(f -> f.loginPage(LOGIN).defaultSuccessUrl("/console", false).failureHandler(loginFailure()))
                .requestCache(c -> c.requestCache(pagesOnly()))
                .logout(l -> l.logoutUrl("/console/logout").logoutSuccessUrl(LOGIN + "?signedOut"))
                // A role that does not allow it, or a form whose CSRF token expired: an HTML page, not problem+json.
                .exceptionHandling(e -> e.accessDeniedPage(DENIED))
                .addFilterBefore(new DisabledUserSignOut(access), AuthorizationFilter.class)
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives(CSP))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        // before the page, not when it is sent: written when sent, they were lost whenever the page
                        // outgrew the response buffer before their wrapper had counted it full (the bidi filter writes
                        // each control as 8 characters, which that count never sees)
                        .addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                            @Override
                            public <O extends HeaderWriterFilter> O postProcess(O filter) {
                                filter.setShouldWriteHeadersEagerly(true);
                                return filter;
                            }
                        }));
        return http.build();
    }

    /**
     * A locked user name gets its own message: telling it "wrong password" would only invite more tries;
     * so does a sign-in that was not checked because too many were being checked at once.
     */
    static ExceptionMappingAuthenticationFailureHandler loginFailure() {
        var handler = new ExceptionMappingAuthenticationFailureHandler();
        handler.setExceptionMappings(Map.of(LockedException.class.getName(), LOGIN + "?locked",
                SignInBusyException.class.getName(), LOGIN + "?busy",
                SignInUnavailableException.class.getName(), LOGIN + "?unavailable"));
        handler.setDefaultFailureUrl(LOGIN + "?error");
        return handler;
    }

    /**
     * After signing in, go back to the page that asked for it, but never to the live stream or to a
     * page fragment htmx fetched (an expired session meets those first): they are not pages.
     */
    private static HttpSessionRequestCache pagesOnly() {
        var cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(request -> "GET".equals(request.getMethod())
                && request.getHeader("HX-Request") == null
                && !request.getRequestURI().startsWith(request.getContextPath() + "/console/live"));
        return cache;
    }

    /** A sign-in not checked because too many were being checked at once; mapped to "?busy" by its own class. */
    static final class SignInBusyException extends AuthenticationServiceException {
        SignInBusyException() {
            super("too many sign-ins being checked");
        }
    }

    /** The user could not be looked up: the database cannot be reached. */
    static final class SignInUnavailableException extends AuthenticationServiceException {
        SignInUnavailableException(StoreUnreachableException cause) {
            super("the database cannot be reached", cause);
        }
    }

    /** The console's form sign-in, checked as the API's Basic is ({@link PasswordSignIn}). */
    static final class UserPasswordProvider implements AuthenticationProvider {
        private final PasswordSignIn signIn;

        UserPasswordProvider(PasswordSignIn signIn) {
            this.signIn = signIn;
        }

        @Override
        public Authentication authenticate(Authentication request) {
            String username = request.getName() == null ? "" : request.getName();
            PasswordSignIn.Outcome outcome;
            try {
                outcome = signIn.check(username, String.valueOf(request.getCredentials()));
            } catch (StoreUnreachableException e) {
                throw new SignInUnavailableException(e);
            }
            return switch (outcome) {
                case PasswordSignIn.SignedIn s -> new OnloopAuthentication(s.principal());
                case PasswordSignIn.Locked l -> throw new LockedException("too many failed sign-ins for this user name");
                case PasswordSignIn.Busy b -> throw new SignInBusyException();
                case PasswordSignIn.Wrong w -> throw new BadCredentialsException("wrong user name or password");
            };
        }

        @Override
        public boolean supports(Class<?> type) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
        }
    }

    /**
     * A session outlives the check at sign-in; this ends it on the next request once the user is
     * disabled (or removed), as the API refuses a disabled user's next Basic request.
     */
    static final class DisabledUserSignOut extends OncePerRequestFilter {
        private final AccessStore access;

        DisabledUserSignOut(AccessStore access) {
            this.access = access;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            boolean gone;
            try {
                gone = SecurityContextHolder.getContext().getAuthentication() instanceof OnloopAuthentication auth
                        && access.findUserByName(auth.getName()).filter(u -> !u.disabled()).isEmpty();
            } catch (StoreUnreachableException e) { // an outage: said as one, without a stack in the log
                BadRequests.databaseUnavailable(request.getRequestURI(), response);
                return;
            }
            if (gone) {
                SecurityContextHolder.clearContext();
                var session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                response.sendRedirect(request.getContextPath() + LOGIN);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
