package io.onloop.app.security;

import io.onloop.domain.access.Role;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.access.User;
import io.onloop.testkit.store.InMemoryAccessStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.password.PasswordEncoder;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The bound on password checks running at once, with one check held inside the (stand-in) hash. */
class PasswordSignInTest {
    /** A stand-in for Argon2 whose check of the password "slow" waits until released; "boom" fails. */
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final PasswordEncoder encoder = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return "plain:" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            if ("boom".contentEquals(raw)) {
                throw new IllegalStateException("hash failed");
            }
            if ("slow".contentEquals(raw)) {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return encoded.equals(encode(raw));
        }
    };
    private final InMemoryAccessStore access = new InMemoryAccessStore();
    /** One failure locks a name, so a Busy that counted as a failure would show as Locked next time. */
    private final PasswordSignIn signIn = new PasswordSignIn(access, encoder,
            new LoginThrottle(1, Duration.ofMinutes(5), Clock.systemUTC()), 1, Duration.ofMillis(50));

    PasswordSignInTest() {
        access.createTenant(new Tenant("demo", "Demo", Instant.now()));
        access.createUser(new User(UUID.randomUUID(), "demo", "alice", encoder.encode("right"), Role.VIEWER, false,
                Instant.now()));
    }

    @AfterEach
    void letGo() {
        release.countDown();
    }

    /** Starts a check of "slow" and returns once it holds the only turn. */
    private CompletableFuture<PasswordSignIn.Outcome> holdTheTurn() throws InterruptedException {
        var held = CompletableFuture.supplyAsync(() -> signIn.check("someone", "slow"));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        return held;
    }

    @Test
    void aSignInThatGetsNoTurnIsBusyUncheckedAndNotCountedAsAFailure() throws Exception {
        var held = holdTheTurn();

        assertThat(signIn.check("alice", "right")).isInstanceOf(PasswordSignIn.Busy.class);
        assertThat(signIn.check("alice", "wrong")).isInstanceOf(PasswordSignIn.Busy.class);

        release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS)).isInstanceOf(PasswordSignIn.Wrong.class);
        // the busy attempts were taken back: alice's one allowed failure is still there, then she is locked
        assertThat(signIn.check("alice", "wrong")).isInstanceOf(PasswordSignIn.Wrong.class);
        assertThat(signIn.check("alice", "right")).isInstanceOf(PasswordSignIn.Locked.class);
    }

    @Test
    void aCheckThatFailsGivesItsTurnBackAndIsNotCountedAsAFailure() {
        // as when the database cannot be asked for the user: a client that retries must not lock the name
        assertThatThrownBy(() -> signIn.check("alice", "boom")).isInstanceOf(IllegalStateException.class);
        assertThat(signIn.check("bob", "x")).isInstanceOf(PasswordSignIn.Wrong.class);
        assertThat(signIn.check("alice", "right")).isInstanceOf(PasswordSignIn.SignedIn.class);
    }

    @Test
    void theApiAnswersABusySignIn503WithRetryAfter() throws Exception {
        var filter = new ApiAuthenticationFilter(access, signIn, Clock.systemUTC(),
                new ProblemResponses(JsonMapper.builder().build()));
        var held = holdTheTurn();
        var request = new MockHttpServletRequest("GET", "/api/v1/me");
        request.addHeader("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("alice:right".getBytes(StandardCharsets.UTF_8)));
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("too many sign-ins are being checked at once");
        assertThat(chain.getRequest()).as("the request went no further").isNull();
        release.countDown();
        held.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theConsoleTurnsABusySignInIntoItsOwnFailure() throws Exception {
        var provider = new ConsoleSecurity.UserPasswordProvider(signIn);
        var held = holdTheTurn();
        var busy = catchThrowableOfType(AuthenticationServiceException.class, () -> provider.authenticate(
                UsernamePasswordAuthenticationToken.unauthenticated("alice", "right")));
        assertThat(busy).isInstanceOf(AuthenticationServiceException.class);
        release.countDown();
        held.get(10, TimeUnit.SECONDS);
        // the sign-in page's failure handler sends it to ?busy by its class; another service failure is not "busy"
        var failure = ConsoleSecurity.loginFailure();
        var response = new MockHttpServletResponse();
        failure.onAuthenticationFailure(new MockHttpServletRequest(), response, busy);
        assertThat(response.getRedirectedUrl()).isEqualTo(ConsoleSecurity.LOGIN + "?busy");
        var other = new MockHttpServletResponse();
        failure.onAuthenticationFailure(new MockHttpServletRequest(), other, new AuthenticationServiceException("store down"));
        assertThat(other.getRedirectedUrl()).isEqualTo(ConsoleSecurity.LOGIN + "?error");
        var outage = new MockHttpServletResponse();
        failure.onAuthenticationFailure(new MockHttpServletRequest(), outage, new ConsoleSecurity.SignInUnavailableException(
                new io.onloop.domain.store.StoreUnreachableException("no database connection")));
        assertThat(outage.getRedirectedUrl()).as("not a wrong password").isEqualTo(ConsoleSecurity.LOGIN + "?unavailable");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        var throttle = new LoginThrottle(1, Duration.ofMinutes(5), Clock.systemUTC());
        assertThatThrownBy(() -> new PasswordSignIn(access, encoder, throttle, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordSignIn(access, encoder, throttle, 1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
