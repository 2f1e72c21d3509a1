package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.SendResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HttpTest extends WireMockTest {
    @Test
    void aBodySentSlowlyAfterItsHeadersEndsTheCallAtItsTimeout() {
        // headers at once, then the body a little at a time over 6 s: the request timeout alone waited for all of it
        server.stubFor(post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("x".repeat(60))
                .withChunkedDribbleDelay(60, 6_000)));
        Http.Outcome o = catchThrowableOfType(Http.Outcome.class,
                () -> Http.call("POST", url() + "/slow", Map.of(), "{}", Duration.ofSeconds(1)));
        assertThat(o).isNotNull();
        assertThat(o.result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(o.result.error()).isEqualTo("POST failed: no whole answer within 1 s");
    }

    @Test
    void theMostCallsOneSendMakesEndWellWithinTheDeliverysLease() {
        assertThat(Http.TIMEOUT.multipliedBy(4)).isLessThanOrEqualTo(DeliveryWorker.LEASE.minusSeconds(30));
    }
}
