package io.onloop.app.ingest;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real confirmer against a local HTTP server: one GET, success only on 2xx, redirects not followed. */
class HttpSubscriptionConfirmerTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(path.equals("/confirm") ? 200 : 403, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    @Test
    void getsTheSubscribeUrl() throws Exception {
        new HttpSubscriptionConfirmer().confirm(url("/confirm?Action=ConfirmSubscription&Token=abc"));
        assertThat(requests).containsExactly("GET /confirm?Action=ConfirmSubscription&Token=abc");
    }

    @Test
    void aRefusalIsAnError() {
        assertThatThrownBy(() -> new HttpSubscriptionConfirmer().confirm(url("/denied")))
                .isInstanceOf(IOException.class).hasMessageContaining("403");
    }

    @Test
    void redirectsAreNotFollowed() {
        assertThatThrownBy(() -> new HttpSubscriptionConfirmer().confirm(url("/redirect")))
                .isInstanceOf(IOException.class).hasMessageContaining("302");
        assertThat(requests).containsExactly("GET /redirect");
    }
}
