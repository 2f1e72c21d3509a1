package io.onloop.adapters.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

/**
 * A real HTTP server standing in for EC2 (query protocol, XML), Lambda (REST-JSON) and CloudWatch (Smithy
 * RPC v2 CBOR, which SDK 2.42 speaks to CloudWatch), answering with responses recorded in
 * src/test/resources/aws. The SDK retries at once, three attempts, so throttling tests take milliseconds.
 */
abstract class AwsServer {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final CBORMapper CBOR = CBORMapper.builder().build();

    static WireMockServer server;
    AwsClients aws;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void connect() {
        server.resetAll();
        aws = new AwsClients(AwsSettings.of("prod-eu-west-1", "eu-west-1")
                .withEndpoint(URI.create(server.baseUrl()), new AwsSettings.StaticKey("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG"))
                .withRetries(3, Duration.ZERO));
    }

    @AfterEach
    void disconnect() {
        aws.close();
    }

    static List<LoggedRequest> requests() {
        return server.findAll(anyRequestedFor(anyUrl()));
    }

    static String text(String resource) {
        try (InputStream in = AwsServer.class.getResourceAsStream("/aws/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded response " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An EC2 answer: XML in the 2016-11-15 query protocol. */
    static ResponseDefinitionBuilder ec2(int status, String resource) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withHeader("x-amzn-RequestId", "8f7724cf-496f-496e-8fe3-example").withBody(text("ec2/" + resource));
    }

    /** A Lambda answer: REST-JSON, errors named in x-amzn-ErrorType. */
    static ResponseDefinitionBuilder lambda(int status, String resource, String errorType) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "c6ab4d4a-3f2e-4b6e-9e0a-example").withBody(text("lambda/" + resource));
        return errorType == null ? response : response.withHeader("x-amzn-ErrorType", errorType);
    }

    /**
     * A CloudWatch answer: the recorded JSON view of the response encoded as CBOR, with {@code Timestamps}
     * as CBOR tag 1 (epoch seconds) as Smithy RPC v2 requires. An error also carries
     * {@code x-amzn-query-error} (CloudWatch is awsQuery-compatible: the header holds the classic error code).
     */
    static ResponseDefinitionBuilder cloudWatch(int status, String resource, String queryError) {
        var response = aResponse().withStatus(status)
                .withHeader("Content-Type", "application/cbor")
                .withHeader("smithy-protocol", "rpc-v2-cbor")
                .withHeader("x-amzn-RequestId", "0e5c1b0a-7b4f-4a39-8d5c-example")
                .withBody(cbor(JSON.readTree(text("cloudwatch/" + resource))));
        return queryError == null ? response : response.withHeader("x-amzn-query-error", queryError);
    }

    static JsonNode cborBody(LoggedRequest request) {
        return CBOR.readTree(request.getBody());
    }

    /** The form parameters of an EC2 query-protocol request. */
    static Map<String, String> form(LoggedRequest request) {
        var params = new java.util.LinkedHashMap<String, String>();
        for (String pair : request.getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    static byte[] cbor(JsonNode json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = CBOR.createGenerator(out)) {
            write(json, g, "");
        }
        return out.toByteArray();
    }

    /** {@code under} is the name of the field the node is in: Timestamps and Values get their CBOR types. */
    private static void write(JsonNode node, JsonGenerator g, String under) {
        if (node.isObject()) {
            g.writeStartObject();
            for (var field : node.properties()) {
                g.writeName(field.getKey());
                write(field.getValue(), g, field.getKey());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode item : node) {
                write(item, g, under);
            }
            g.writeEndArray();
        } else if (under.equals("Timestamps")) {
            ((CBORGenerator) g).writeTag(1);
            g.writeNumber(node.isString() ? Instant.parse(node.asString()).getEpochSecond() : node.asLong());
        } else if (under.equals("Values")) {
            g.writeNumber(node.asDouble());
        } else if (node.isIntegralNumber()) {
            g.writeNumber(node.asLong());
        } else if (node.isNumber()) {
            g.writeNumber(node.asDouble());
        } else if (node.isBoolean()) {
            g.writeBoolean(node.asBoolean());
        } else if (node.isNull()) {
            g.writeNull();
        } else {
            g.writeString(node.asString());
        }
    }
}
