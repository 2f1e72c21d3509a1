package io.onloop.domain.delivery;

import io.onloop.domain.delivery.TargetDescriptor.Setting;
import io.onloop.domain.delivery.TargetDescriptor.SettingType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyAndDescriptorTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(10), 20);

    @Test
    void backoffDoublesWithJitterWithinHalfToFullAndIsCapped() {
        RandomGenerator random = new SplittableRandom(1);
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Math.min(600_000, 5_000L << (attempt - 1));
            for (int i = 0; i < 200; i++) {
                long ms = policy.delay(attempt, null, random).toMillis();
                assertThat(ms).isBetween(ceiling / 2, ceiling);
            }
        }
        // jitter: not every wait is the same
        assertThat(java.util.stream.IntStream.range(0, 50).mapToLong(i -> policy.delay(3, null, random).toMillis())
                .distinct().count()).isGreaterThan(10);
        assertThat(policy.delay(60, null, random)).isLessThanOrEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void retryAfterIsNeverUndercutAndAttemptsRunOut() {
        RandomGenerator random = new SplittableRandom(2);
        assertThat(policy.delay(1, Duration.ofSeconds(90), random)).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.delay(12, Duration.ofSeconds(1), random)).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delay(1, Duration.ofDays(365), random)).as("up to the cap").isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.delay(1, Duration.ofSeconds(Long.MAX_VALUE), random)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.exhausted(19)).isFalse();
        assertThat(policy.exhausted(20)).isTrue();
    }

    @Test
    void descriptorsCheckRequiredTypedAndUnknownSettings() {
        TargetDescriptor d = new TargetDescriptor("x", "X", List.of(
                new Setting("url", SettingType.URL, true, "where"),
                new Setting("token", SettingType.SECRET, false, ""),
                new Setting("port", SettingType.PORT, false, ""),
                new Setting("tls", SettingType.BOOLEAN, false, "")));
        assertThat(d.problems(Map.of("url", "https://x.example"))).isEmpty();
        assertThat(d.problems(Map.of())).containsExactly("url: required for x");
        assertThat(d.problems(Map.of("url", "ftp://x", "port", "eighty", "tls", "yes", "colour", "red")))
                .containsExactlyInAnyOrder("url: must be an http(s) URL with a host, such as https://example.com/hook, not ftp://x",
                        "port: must be a port from 1 to 65535",
                        "tls: must be true or false", "colour: unknown setting for x");
        TargetDescriptor either = new TargetDescriptor("y", "Y", List.of(new Setting("a", SettingType.STRING, false, ""),
                new Setting("b", SettingType.STRING, false, "")), List.of("a", "b"));
        assertThat(either.problems(Map.of())).containsExactly("a: one of a, b is required for y");
        assertThat(either.problems(Map.of("b", "x"))).isEmpty();
        assertThat(d.settings().get(1).secret()).isTrue();
        assertThat(d.settings().get(0).secret()).isFalse();
    }

    @Test
    void urlsAreCheckedAsTheHttpClientWillNeedThemAndSecretOnesAreNotEchoed() {
        TargetDescriptor d = new TargetDescriptor("t", "T", List.of(new Setting("url", SettingType.URL, false, ""),
                new Setting("webhook_url", SettingType.SECRET_URL, false, "")));
        for (String ok : List.of("https://hooks.example.com/x?sig=1", "http://127.0.0.1:8080/hook", "http://[::1]:9000/",
                "HTTPS://Example.com", "https://user:pw@example.com/hook")) {
            assertThat(d.problems(Map.of("url", ok, "webhook_url", ok))).as(ok).isEmpty();
        }
        for (String bad : List.of("http://[::1", "http://exa mple.com/x", "http://127.0.0.1:99999/x", "http:///nohost",
                "javascript:alert(1)", "file:///etc/passwd", "ftp://x", "//example.com/x", "https://example.com:0/",
                " https://example.com/hook", "https://example.com/hook\n")) {
            assertThat(d.problems(Map.of("url", bad))).as(bad).containsExactly(
                    "url: must be an http(s) URL with a host, such as https://example.com/hook, not " + bad);
            assertThat(d.problems(Map.of("webhook_url", bad))).as(bad).containsExactly(
                    "webhook_url: must be an http(s) URL with a host, such as https://example.com/hook");
        }
        assertThat(d.settings().get(1).secret()).isTrue();
    }

    @Test
    void portsAndAddressesAreCheckedAsTheMailServerWillNeedThem() {
        TargetDescriptor d = new TargetDescriptor("m", "M", List.of(new Setting("port", SettingType.PORT, false, ""),
                new Setting("from", SettingType.MAILBOX, false, ""), new Setting("to", SettingType.MAILBOXES, false, ""),
                new Setting("user", SettingType.EMAIL, false, "")));
        assertThat(d.problems(Map.of("port", "587", "from", "onloop <alerts@example.com>",
                "to", "ops@example.com, Oncall <oncall@localhost>"))).isEmpty();
        for (String port : List.of("0", "70000", "-1", "99999999999")) {
            assertThat(d.problems(Map.of("port", port))).as(port).containsExactly("port: must be a port from 1 to 65535");
        }
        for (String from : List.of("not an email", "a@b, c@d", "a@b\r\nBcc: x@y.z", "<a@b")) {
            assertThat(d.problems(Map.of("from", from))).as(from)
                    .containsExactly("from: must be one e-mail address, such as alerts@example.com or"
                            + " onloop <alerts@example.com>");
        }
        assertThat(d.problems(Map.of("user", "Ops <ops@example.com>"))).as("an account's: bare")
                .containsExactly("user: must be one e-mail address, such as ops@example.com");
        assertThat(d.problems(Map.of("user", "ops@example.com"))).isEmpty();
        for (String to : List.of("d@e.f\r\nBcc: x@y.z", "a@b,", "a@b, nobody")) {
            assertThat(d.problems(Map.of("to", to))).as(to).containsExactly(
                    "to: must be e-mail addresses separated by commas, such as a@example.com, b@example.com");
        }
    }

    @Test
    void headersAreCheckedAsTheHttpClientWillSendThem() {
        TargetDescriptor d = new TargetDescriptor("w", "W", List.of(new Setting("headers", SettingType.HEADERS, false, "")));
        assertThat(d.problems(Map.of("headers", "Authorization: Bearer x\n\nX-Team:  ops \n"))).isEmpty();
        assertThat(d.problems(Map.of("headers", "Host: evil.example\nConnection: close\nBad Name: v\nno colon\nX-A: a\u0001b\nX-B: 日本\nX-C: ünï")))
                .containsExactly("headers: Host is set by the HTTP client itself and cannot be given",
                        "headers: Connection is set by the HTTP client itself and cannot be given",
                        "headers: line 3 is not 'Name: value' with a valid header name",
                        "headers: line 4 is not 'Name: value' with a valid header name",
                        "headers: the value of X-A has control characters or characters beyond ASCII",
                        "headers: the value of X-B has control characters or characters beyond ASCII",
                        "headers: the value of X-C has control characters or characters beyond ASCII");
    }
}
