package io.onloop.app.ingest;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input is answered with the right 4xx and a problem+json body; never a 5xx, never a partial record. */
class IngestBadInputTest extends AppTestBase {
    private static final String URL = "/api/v1/ingest/alertmanager";
    private String token;

    @BeforeEach
    void createSource() {
        token = source("alertmanager");
    }

    @Test
    void unknownFormatIs404ListingTheFormats() {
        var problem = http.post("/api/v1/ingest/nagios").bearer(token).json("{}").send().problem(404);
        assertThat(problem.get("detail").asString()).contains("nagios").contains("alertmanager");
        assertThat(problem.get("formats").values()).extracting(n -> n.asString()).contains("alertmanager", "grafana");
    }

    /** "/api/v1/ingest" (no format, no slash) also matches the filter's "/api/v1/ingest/*"; it was a 500. */
    @Test
    void noFormatAtAllIs404() {
        for (String path : List.of("/api/v1/ingest", "/api/v1/ingest/", "/api/v1/ingest?token=x")) {
            var problem = http.post(path).json("{}").send().problem(404);
            assertThat(problem.get("title").asString()).as(path).isEqualTo("Unknown ingest format");
        }
    }

    /** A sender's base URL ending in "/" and a path starting with one: the same endpoint, as for the rest of the API. */
    @Test
    void aDoubledSlashReachesTheFormat() {
        for (String path : List.of("//api/v1/ingest/alertmanager", "/api/v1//ingest/alertmanager")) {
            http.post(path).bearer(token).json(Payloads.alertmanager("firing", "DoubledSlash", "h")).send().expect(202);
        }
    }

    @Test
    void malformedJsonIs400SayingWhatAndWhere() {
        var problem = http.post(URL).bearer(token).body("{\"version\":\"4\",\"alerts\":[", "application/json")
                .send().problem(400);
        assertThat(problem.has("pointer")).isTrue();
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    @Test
    void aPayloadOfTheWrongShapeIs400WithAPointer() {
        var problem = http.post(URL).bearer(token).json("{\"version\":\"4\",\"alerts\":\"not-a-list\"}")
                .send().problem(400);
        assertThat(problem.get("pointer").asString()).startsWith("/alerts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "image/png", "text/html", "not a media type"})
    void unsupportedMediaTypeIs415NamingTheAcceptedTypes(String contentType) {
        var problem = http.post(URL).bearer(token).body(Payloads.alertmanager("firing", "Media", "h"), contentType)
                .send().problem(415);
        assertThat(problem.get("detail").asString()).contains("application/json").contains("text/plain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/cloudevents+json",
            "application/cloudevents-batch+json", "text/plain; charset=UTF-8", ""})
    void jsonTextAndMissingContentTypesAreAccepted(String contentType) {
        http.post(URL).bearer(token)
                .body(Payloads.alertmanager("firing", "Media", "h-" + contentType.hashCode()),
                        contentType.isEmpty() ? null : contentType)
                .send().expect(202);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        byte[] big = padded(2 * 1024 * 1024);
        var problem = http.post(URL).bearer(token).body(big, "application/json").send().problem(413);
        assertThat(problem.get("maxBytes").asInt()).isEqualTo(1024 * 1024);
    }

    /** curl asks before sending a large body; the answer is the 413 itself, not "continue" for 2 MiB it would refuse. */
    @Test
    void aSenderThatAsksBeforeSendingATooLargeBodyGetsThe413NotAContinue() throws Exception {
        java.net.URI base = java.net.URI.create(http.baseUrl());
        try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + URL + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: application/json\r\nContent-Length: " + 2 * 1024 * 1024
                    + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json").doesNotContain("100 Continue");
        }
        // a body it takes: "continue" comes once the body is read, the sender sends it, 202
        byte[] body = Payloads.alertmanager("firing", "AskedFirst", "h1").getBytes(StandardCharsets.UTF_8);
        try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + URL + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder interim = new StringBuilder(); // up to the blank line that ends it
            while (!interim.toString().endsWith("\r\n\r\n")) {
                int b = socket.getInputStream().read();
                assertThat(b).as("the connection closed after " + interim).isNotNegative();
                interim.append((char) b);
            }
            assertThat(interim.toString()).startsWith("HTTP/1.1 100");
            socket.getOutputStream().write(body);
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("HTTP/1.1 202");
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        http.post(URL).bearer(token).chunked(padded(1024 * 1024 + 1), "application/json").send().problem(413);
    }

    @Test
    void moreAlertsThanARequestMayHoldIs413() {
        // a small body of empty alerts is hundreds of thousands of events, each with its copy of the request's context
        String body = "{\"alerts\":[" + String.join(",", java.util.Collections.nCopies(10_001, "{}")) + "]}";
        var problem = http.post(URL).bearer(token).json(body).send().problem(413);
        assertThat(problem.get("detail").asString()).contains("holds 10001 alerts").contains("at most 10000");
        assertThat(problem.get("maxEvents").asInt()).isEqualTo(10_000);
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        // Valid JSON padded with whitespace to exactly the limit: read in full, so it parses.
        String alert = Payloads.alertmanager("firing", "AtTheLimit", "h");
        byte[] body = padded(1024 * 1024);
        System.arraycopy(alert.getBytes(StandardCharsets.UTF_8), 0, body, 0, alert.length());
        http.post(URL).bearer(token).chunked(body, "application/json").send().expect(202);
    }

    @Test
    void aGzipBodyIsUnpackedAndStored() throws Exception {
        byte[] packed = gzip(Payloads.alertmanager("firing", "Gzipped", "gz-1").getBytes(StandardCharsets.UTF_8));
        var accepted = http.post(URL).bearer(token).header("Content-Encoding", "gzip").header("Prefer", "wait=10")
                .body(packed, "application/json").send().expect(202).json();
        var event = http.get("/api/v1/events/" + accepted.get("eventIds").get(0).asString()).bearer(ADMIN_TOKEN)
                .send().expect(200).json();
        assertThat(event.get("labels").get("alertname").asString()).isEqualTo("Gzipped");
    }

    @Test
    void aGzipBodyUnpackingBeyondTheLimitIs413() throws Exception {
        byte[] bomb = gzip(padded(8 * 1024 * 1024)); // a few KiB that unpack to 8 MiB
        assertThat(bomb.length).isLessThan(64 * 1024);
        var problem = http.post(URL).bearer(token).header("Content-Encoding", "gzip").body(bomb, "application/json")
                .send().problem(413);
        assertThat(problem.get("detail").asString()).contains("unpacks");
    }

    @Test
    void aBodyThatIsNotTheGzipItSaysIs400() {
        var problem = http.post(URL).bearer(token).header("Content-Encoding", "gzip")
                .body(Payloads.alertmanager("firing", "NotGzip", "h"), "application/json").send().problem(400);
        assertThat(problem.get("detail").asString()).contains("not valid gzip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"br", "deflate", "zstd", "gzip, gzip"})
    void otherContentEncodingsAre415NamingGzip(String encoding) {
        var response = http.post(URL).bearer(token).header("Content-Encoding", encoding)
                .body(Payloads.alertmanager("firing", "Encoded", "h"), "application/json").send();
        assertThat(response.problem(415).get("detail").asString()).contains(encoding);
        assertThat(response.header("Accept-Encoding")).isEqualTo("gzip");
    }

    private static byte[] gzip(byte[] plain) throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void otherMethodsAre405() {
        http.get(URL).bearer(token).send().problem(405);
        // Tomcat refuses TRACE itself, before any handler: still a problem, as everywhere
        for (String path : new String[]{URL, "/api/v1/incidents"}) {
            assertThat(http.method("TRACE", path).bearer(token).send().problem(405).get("detail").asString())
                    .isEqualTo("this method is not allowed here");
        }
        assertThat(http.method("TRACE", "/console").send().expect(405).body()).startsWith("<!DOCTYPE html>")
                .contains("405 Method Not Allowed");
    }

    @Test
    void hostilePayloadsNeverProduceA5xx() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String script = Payloads.alertmanager("firing", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>");
        String huge = Payloads.alertmanager("firing", "Huge", "x".repeat(900_000));
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
        byte[] nul = "{\"version\":\"4\",\"alerts\":[{\"labels\":{\"a\":\"\u0000\"}}]}".getBytes(StandardCharsets.UTF_8);
        for (byte[] body : new byte[][]{deep.getBytes(StandardCharsets.UTF_8), script.getBytes(StandardCharsets.UTF_8),
                huge.getBytes(StandardCharsets.UTF_8), invalidUtf8, nul, new byte[0], "null".getBytes(),
                "[]".getBytes(), "\"text\"".getBytes(), padded(2 * 1024 * 1024)}) {
            var response = http.post(URL).bearer(token).body(body, "application/json").send();
            assertThat(response.status()).as("answer to a hostile payload: %s", response.body()).isBetween(200, 499);
            if (response.status() >= 400) {
                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void scriptTagsAreStoredAsDataNotMarkup() {
        String body = Payloads.alertmanager("firing", "<script>alert(1)</script>", "web-xss");
        var accepted = http.post(URL).bearer(token).header("Prefer", "wait=10").json(body).send().expect(202).json();
        var event = http.get("/api/v1/events/" + accepted.get("eventIds").get(0).asString()).bearer(ADMIN_TOKEN)
                .send().expect(200);
        assertThat(event.header("Content-Type")).startsWith("application/json");
        assertThat(event.json().get("labels").get("alertname").asString()).isEqualTo("<script>alert(1)</script>");
    }

    private static byte[] padded(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) ' ');
        return b;
    }
}
