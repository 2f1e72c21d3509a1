package io.onloop.adapters.ingest;

import com.sun.net.httpserver.HttpServer;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.SignatureRejectedException;
import io.onloop.domain.ingest.SourceSettings;
import io.onloop.domain.ingest.TopicNotAllowedException;
import io.onloop.testkit.ingest.EventParserContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * SNS over HTTP(S), with real signatures made by a test key (src/test/resources/sns/README.md) over
 * the AWS-documented example messages (SOURCES.md), verified as
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html describes.
 */
class SnsParserTest extends EventParserContract {
    static final String CERT_URL = "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem";
    static final KeyStore KEYS = keyStore();

    /** The documentation's notification was signed at 2012-05-02T00:54:06.655Z; this is a minute later. */
    static final Instant DOC_NOTIFICATION_SENT = Instant.parse("2012-05-02T00:54:06.655Z");
    static final Clock SOON_AFTER = Clock.fixed(DOC_NOTIFICATION_SENT.plusSeconds(60), ZoneOffset.UTC);

    private final AtomicInteger fetches = new AtomicInteger();
    private final SigningCertificateFetcher testFetcher = url -> {
        fetches.incrementAndGet();
        if (!url.toString().equals(CERT_URL)) {
            throw new SignatureRejectedException("test fetcher knows only " + CERT_URL);
        }
        return cert("sns");
    };
    private final SnsParser parser = new SnsParser(testFetcher, SOON_AFTER);

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(
                Sample.of("doc notification", signed(doc("notification"), "1"), 1),
                Sample.of("alarm, metric", signed(alarm("alarm-message-metric"), "2"), 1),
                Sample.of("alarm, metric math", signed(alarm("alarm-message-metric-math"), "1"), 1),
                Sample.of("doc subscription confirmation", signed(doc("subscription-confirmation"), "2"), 0),
                Sample.of("doc unsubscribe confirmation", signed(doc("unsubscribe-confirmation"), "1"), 0));
    }

    // --- signing helpers -------------------------------------------------------------------

    static KeyStore keyStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new java.io.ByteArrayInputStream(resource("sns/test-signing.p12")), "changeit".toCharArray());
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate cert(String alias) {
        try {
            return (X509Certificate) KEYS.getCertificate(alias);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode doc(String name) {
        return (ObjectNode) Json.MAPPER.readTree(resource("payloads/sns/" + name + ".json"));
    }

    static ObjectNode alarm(String name) {
        ObjectNode n = doc("notification");
        n.remove("Subject");
        n.put("Subject", "ALARM: \"ServerCpuTooHigh\" in US West (Oregon)");
        n.put("Message", new String(resource("payloads/sns/" + name + ".json"), StandardCharsets.UTF_8).trim());
        return n;
    }

    /**
     * Signs the message as SNS does, with the test key, over the string to sign written out here
     * from AWS's documentation ("name\nvalue\n" per field, in this order) rather than by the
     * parser's own code, so a wrong order or separator in the parser cannot pass unnoticed.
     */
    static byte[] signed(ObjectNode msg, String version) {
        try {
            boolean notification = msg.get("Type").asString().equals("Notification");
            List<String> names = notification
                    ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                    : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
            StringBuilder toSign = new StringBuilder();
            names.stream().filter(msg::has)
                    .forEach(n -> toSign.append(n).append('\n').append(msg.get(n).asString()).append('\n'));
            Signature s = Signature.getInstance(version.equals("1") ? "SHA1withRSA" : "SHA256withRSA");
            s.initSign((PrivateKey) KEYS.getKey("sns", "changeit".toCharArray()));
            s.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
            msg.put("SignatureVersion", version);
            msg.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
            return Json.MAPPER.writeValueAsBytes(msg);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static IngestRequest req(byte[] body) {
        return IngestRequest.of(body);
    }

    // --- signatures ------------------------------------------------------------------------

    @Test
    void validVersion1And2SignaturesAreAccepted() throws Exception {
        assertThat(parser.parse(req(signed(doc("notification"), "1"))).alerts()).hasSize(1);
        assertThat(parser.parse(req(signed(doc("notification"), "1"))).deliveryId()).as("the signed MessageId")
                .isEqualTo(doc("notification").get("MessageId").asString());
        assertThat(parser.parse(req(signed(doc("notification"), "2"))).alerts()).hasSize(1);
    }

    @Test
    void theDocumentsExampleSignatureIsRejected() {
        assertThatThrownBy(() -> parser.parse(req(resource("payloads/sns/notification.json"))))
                .isInstanceOf(SignatureRejectedException.class);
    }

    @Test
    void tamperedFieldsAreRejected() throws Exception {
        for (String field : List.of("Message", "Subject", "MessageId", "Timestamp")) {
            ObjectNode n = (ObjectNode) Json.MAPPER.readTree(signed(doc("notification"), "2"));
            n.put(field, n.get(field).asString() + "!");
            assertThatThrownBy(() -> parser.parse(req(Json.MAPPER.writeValueAsBytes(n)))).as(field)
                    .isInstanceOf(SignatureRejectedException.class).hasMessageContaining("does not match");
        }
        ObjectNode dropped = (ObjectNode) Json.MAPPER.readTree(signed(doc("notification"), "1"));
        dropped.remove("Subject");
        assertThatThrownBy(() -> parser.parse(req(Json.MAPPER.writeValueAsBytes(dropped))))
                .isInstanceOf(SignatureRejectedException.class);
        ObjectNode swapped = (ObjectNode) Json.MAPPER.readTree(signed(doc("notification"), "1"));
        swapped.put("SignatureVersion", "2");
        assertThatThrownBy(() -> parser.parse(req(Json.MAPPER.writeValueAsBytes(swapped))))
                .isInstanceOf(SignatureRejectedException.class);
    }

    @Test
    void missingOrUnknownSignatureMaterialIsRejected() throws Exception {
        for (String change : List.of("SignatureVersion=3", "SignatureVersion=", "Signature=", "Signature=%%%notbase64")) {
            String[] kv = change.split("=", 2);
            ObjectNode n = (ObjectNode) Json.MAPPER.readTree(signed(doc("notification"), "1"));
            n.put(kv[0], kv[1]);
            assertThatThrownBy(() -> parser.parse(req(Json.MAPPER.writeValueAsBytes(n)))).as(change)
                    .isInstanceOf(SignatureRejectedException.class);
        }
    }

    static final String[] BAD_CERT_URLS = {
            "http://sns.us-west-2.amazonaws.com/SimpleNotificationService-x.pem",
            "https://sns.us-west-2.amazonaws.com.evil.com/SimpleNotificationService-x.pem",
            "https://evil.com/sns.us-west-2.amazonaws.com/SimpleNotificationService-x.pem",
            "https://sns.us-west-2.amazonaws.com@evil.com/SimpleNotificationService-x.pem",
            "https://evil.com@sns.us-west-2.amazonaws.com/SimpleNotificationService-x.pem",
            "https://sns.us-west-2.amazonaws.com:8443/SimpleNotificationService-x.pem",
            "https://sns.us-west-2.amazonaws.com\\@evil.com/x.pem",
            "https://evilsns.us-west-2.amazonaws.com/x.pem",
            "https://sns.amazonaws.com/x.pem",
            "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-x.pem?x=.pem",
            "https://sns.us-west-2.amazonaws.com/not-a-cert",
            "file:///etc/passwd",
            "//sns.us-west-2.amazonaws.com/x.pem",
            ""};

    @Test
    void badSigningCertUrlsAreRejectedWithoutFetching() throws Exception {
        SnsParser mustNotFetch = new SnsParser(url -> fail("fetched " + url), SOON_AFTER);
        for (String url : BAD_CERT_URLS) {
            ObjectNode n = (ObjectNode) Json.MAPPER.readTree(signed(doc("notification"), "2"));
            n.put("SigningCertURL", url);
            assertThatThrownBy(() -> mustNotFetch.parse(req(Json.MAPPER.writeValueAsBytes(n)))).as(url)
                    .isInstanceOf(SignatureRejectedException.class);
        }
    }

    /**
     * A live local server stands where an attacker's would: the default fetcher must never reach it.
     * (The JDK's HttpServer, not WireMock: WireMock's Jetty ee10 modules clash with the Jetty core
     * version the Spring Boot BOM imposes in this build.)
     */
    @Test
    void theDefaultFetcherMakesNoRequestForABadUrl() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            SnsParser real = new SnsParser();
            String host = "localhost:" + server.getAddress().getPort();
            for (String url : List.of("http://" + host + "/cert.pem", "https://" + host + "/cert.pem",
                    "https://sns.us-west-2.amazonaws.com@" + host + "/cert.pem",
                    "https://sns.us-west-2.amazonaws.com:x@" + host + "/cert.pem",
                    "http://" + host + "/sns.us-west-2.amazonaws.com/cert.pem")) {
                ObjectNode n = (ObjectNode) Json.MAPPER.readTree(signed(doc("notification"), "2"));
                n.put("SigningCertURL", url);
                assertThatThrownBy(() -> real.parse(req(Json.MAPPER.writeValueAsBytes(n)))).as(url)
                        .isInstanceOf(SignatureRejectedException.class);
            }
            assertThat(hits.get()).as("requests reaching the server").isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCertificateThatCannotBeFetchedIsRejectedSayingWhy() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var fetcher = new HttpSigningCertificateFetcher();
        assertThatThrownBy(() -> fetcher.fetch(java.net.URI.create("http://127.0.0.1:" + closedPort + "/cert.pem")))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessageStartingWith("could not fetch the signing certificate from 127.0.0.1: ConnectException")
                .hasMessageNotContaining("null");
    }

    @Test
    void aSignedNotificationOlderThanSnsEverRetriesIsRefusedAsAReplay() throws Exception {
        byte[] notification = signed(doc("notification"), "2");
        Instant justInside = DOC_NOTIFICATION_SENT.plus(SnsParser.MAX_AGE).minusSeconds(1);
        Instant justOutside = DOC_NOTIFICATION_SENT.plus(SnsParser.MAX_AGE).plusSeconds(1);
        assertThat(parserAt(justInside).parse(req(notification)).alerts()).hasSize(1);
        assertThatThrownBy(() -> parserAt(justOutside).parse(req(notification)))
                .isInstanceOf(SignatureRejectedException.class).hasMessageContaining("replay");

        // a clock a little behind the sender's is tolerated, one far behind is not
        assertThat(parserAt(DOC_NOTIFICATION_SENT.minusSeconds(60)).parse(req(notification)).alerts()).hasSize(1);
        assertThatThrownBy(() -> parserAt(DOC_NOTIFICATION_SENT.minus(SnsParser.MAX_AHEAD).minusSeconds(1))
                .parse(req(notification))).isInstanceOf(SignatureRejectedException.class).hasMessageContaining("ahead");
    }

    @Test
    void anOldNotificationIsStillReadWhenSignaturesAreOffAndOldConfirmationsStillConfirm() throws Exception {
        SnsParser years = parserAt(DOC_NOTIFICATION_SENT.plus(Duration.ofDays(5000)));
        byte[] unsigned = resource("payloads/sns/notification.json");
        assertThat(years.parse(new IngestRequest(unsigned, Map.of(), new SourceSettings(false, List.of()))).alerts()).hasSize(1);
        // a confirmation creates no event: replaying one only confirms the subscription again
        assertThat(years.parse(req(signed(doc("subscription-confirmation"), "2"))).subscribeConfirmUrl()).isNotNull();
    }

    private SnsParser parserAt(Instant now) {
        return new SnsParser(testFetcher, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void verificationIsOffOnlyWhenTheSourceSaysSo() throws Exception {
        byte[] unsigned = resource("payloads/sns/notification.json");
        assertThatThrownBy(() -> parser.parse(new IngestRequest(unsigned, Map.of(), null)))
                .isInstanceOf(SignatureRejectedException.class);
        assertThatThrownBy(() -> parser.parse(new IngestRequest(unsigned, Map.of(), SourceSettings.DEFAULT)))
                .isInstanceOf(SignatureRejectedException.class);
        int before = fetches.get();
        assertThat(parser.parse(new IngestRequest(unsigned, Map.of(), new SourceSettings(false, List.of()))).alerts()).hasSize(1);
        assertThat(fetches.get()).isEqualTo(before);
    }

    @Test
    void aSourceRestrictedToTopicsRefusesOthersBeforeFetchingAnything() throws Exception {
        String docTopic = "arn:aws:sns:us-west-2:123456789012:MyTopic";
        var mine = new SourceSettings(true, List.of(docTopic, "arn:aws:sns:eu-west-1:123456789012:other"));
        var others = new SourceSettings(true, List.of("arn:aws:sns:us-west-2:210987654321:MyTopic"));
        byte[] notification = signed(doc("notification"), "2");
        byte[] confirmation = signed(doc("subscription-confirmation"), "2");

        assertThat(parser.parse(new IngestRequest(notification, Map.of(), mine)).alerts()).hasSize(1);
        assertThat(parser.parse(new IngestRequest(confirmation, Map.of(), mine)).subscribeConfirmUrl()).isNotNull();
        int before = fetches.get();
        // a genuine SNS message, from a topic of another account: not even its subscription is confirmed
        assertThatThrownBy(() -> parser.parse(new IngestRequest(notification, Map.of(), others)))
                .isInstanceOf(TopicNotAllowedException.class).hasMessageContaining(docTopic);
        assertThatThrownBy(() -> parser.parse(new IngestRequest(confirmation, Map.of(), others)))
                .isInstanceOf(TopicNotAllowedException.class);
        assertThat(fetches.get()).isEqualTo(before);
        // the restriction holds with signature checks off too
        assertThatThrownBy(() -> parser.parse(new IngestRequest(resource("payloads/sns/notification.json"), Map.of(),
                new SourceSettings(false, others.topicArns())))).isInstanceOf(TopicNotAllowedException.class);
    }

    @Test
    void topicArnsAreRecognisedInEveryPartition() {
        assertThat(SnsParser.isTopicArn("arn:aws:sns:us-west-2:123456789012:MyTopic")).isTrue();
        assertThat(SnsParser.isTopicArn("arn:aws-cn:sns:cn-north-1:123456789012:ops.fifo")).isTrue();
        assertThat(SnsParser.isTopicArn("arn:aws-us-gov:sns:us-gov-west-1:123456789012:t_1-x")).isTrue();
        assertThat(SnsParser.isTopicArn("arn:aws:sqs:us-west-2:123456789012:MyQueue")).isFalse();
        assertThat(SnsParser.isTopicArn("arn:aws:sns:us-west-2:12345:MyTopic")).isFalse();
        assertThat(SnsParser.isTopicArn("arn:aws:sns:us-west-2:123456789012:My Topic")).isFalse();
        assertThat(SnsParser.isTopicArn(null)).isFalse();
    }

    // --- the default fetcher's certificate checks ------------------------------------------

    @Test
    void defaultFetcherAcceptsOnlyACurrentCertificateIssuedToSns() throws Exception {
        var fetcher = new HttpSigningCertificateFetcher(java.net.http.HttpClient.newHttpClient());
        assertThat(fetcher.validate(resource("sns/sns.pem"))).isEqualTo(cert("sns"));
        String expired = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(cert("expired").getEncoded()) + "\n-----END CERTIFICATE-----\n";
        assertThatThrownBy(() -> fetcher.validate(expired.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SignatureRejectedException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> fetcher.validate("junk".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SignatureRejectedException.class);
        // a valid certificate, but issued to someone else
        assertThatThrownBy(() -> fetcher.validate(resource("sns/ca.pem")))
                .isInstanceOf(SignatureRejectedException.class).hasMessageContaining("not sns.amazonaws.com");
    }

    // --- content ---------------------------------------------------------------------------

    @Test
    void metricAlarm() throws Exception {
        var a = parser.parse(req(signed(alarm("alarm-message-metric"), "2"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.FIRING);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.sourceSeverity()).isEqualTo("ALARM");
        assertThat(a.fingerprint()).isEqualTo("arn:aws:cloudwatch:us-west-2:123456789012:alarm:ServerCpuTooHigh");
        assertThat(a.title()).isEqualTo("ServerCpuTooHigh");
        assertThat(a.summary()).startsWith("Goes into alarm").contains("Threshold Crossed");
        assertThat(a.resource().kind()).isEqualTo("aws");
        assertThat(a.resource().id()).isEqualTo("arn:aws:ec2:us-west-2:123456789012:instance/i-12345678901234567");
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2019-10-02T17:04:40.989Z"));
        assertThat(a.labels()).containsEntry("metric_name", "CPUUtilization").containsEntry("namespace", "AWS/EC2")
                .containsEntry("dimension_InstanceId", "i-12345678901234567").containsEntry("aws_region", "us-west-2");
        assertThat(a.link()).contains("region=us-west-2").endsWith("alarm/ServerCpuTooHigh");
    }

    @Test
    void metricMathAlarm() throws Exception {
        var a = parser.parse(req(signed(alarm("alarm-message-metric-math"), "1"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(a.fingerprint()).endsWith(":alarm:TotalNetworkTrafficTooHigh");
        assertThat(a.labels()).containsEntry("expression", "SUM(METRICS())").containsEntry("metric_name", "NetworkIn");
        assertThat(a.resource().id()).endsWith(":instance/i-12345678901234567");
    }

    @Test
    void insufficientDataIsInformationalAndArnlessAlarmsGetAFallbackFingerprint() throws Exception {
        ObjectNode alarm = (ObjectNode) Json.MAPPER.readTree(resource("payloads/sns/alarm-message-metric.json"));
        alarm.put("NewStateValue", "INSUFFICIENT_DATA");
        alarm.remove("AlarmArn");
        ObjectNode n = doc("notification");
        n.put("Message", alarm.toString());
        var a = parser.parse(req(signed(n, "2"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(a.fingerprint()).isEqualTo("cloudwatch:123456789012/US West (Oregon)/ServerCpuTooHigh");
    }

    @Test
    void aPlainNotificationIsInformationalWithTheSubjectAsTitle() throws Exception {
        var a = parser.parse(req(signed(doc("notification"), "1"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(a.title()).isEqualTo("My First Message");
        assertThat(a.summary()).isEqualTo("Hello world!");
        assertThat(a.resource().id()).isEqualTo("arn:aws:sns:us-west-2:123456789012:MyTopic");
    }

    @Test
    void subscriptionConfirmationReturnsTheCheckedSubscribeUrl() throws Exception {
        var result = parser.parse(req(signed(doc("subscription-confirmation"), "1")));
        assertThat(result.alerts()).isEmpty();
        assertThat(URI.create(result.subscribeConfirmUrl()).getHost()).isEqualTo("sns.us-west-2.amazonaws.com");
        assertThat(result.subscribeConfirmUrl()).contains("Action=ConfirmSubscription");
        assertThat(parser.parse(req(signed(doc("unsubscribe-confirmation"), "1"))).subscribeConfirmUrl()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription",
            "https://sns.us-west-2.amazonaws.com.evil.com/?Action=ConfirmSubscription",
            "https://user@sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription",
            "https://evil.com/?sns.us-west-2.amazonaws.com"})
    void aSubscribeUrlOffAwsIsRefused(String url) {
        ObjectNode n = doc("subscription-confirmation");
        n.put("SubscribeURL", url);
        byte[] body = signed(n, "2");
        assertThatThrownBy(() -> parser.parse(req(body))).isInstanceOfSatisfying(InvalidPayloadException.class,
                e -> assertThat(e.pointer()).isEqualTo("/SubscribeURL"));
    }

    @Test
    void chinaRegionHostsAreSnsHosts() throws Exception {
        assertThat(SnsParser.snsUrl("https://sns.cn-north-1.amazonaws.com.cn/x.pem", "/p").getHost())
                .isEqualTo("sns.cn-north-1.amazonaws.com.cn");
    }

    @Test
    void malformedInputSaysWhere() {
        assertThatThrownBy(() -> parser.parse(req("{".getBytes()))).hasMessageContaining("malformed JSON");
        assertInvalid("{}", "/Type");
        assertInvalid("{\"Type\":\"Bogus\"}", "/Type");
        assertInvalid("{\"Type\":5}", "/Type");
        assertInvalid("{\"Type\":\"Notification\"}", "/Message");
        ObjectNode badArn = doc("notification");
        badArn.put("TopicArn", "arn:aws:sns:us-west-2:123:MyTopic");
        assertInvalid(badArn.toString(), "/TopicArn");
        ObjectNode badAlarm = alarm("alarm-message-metric");
        badAlarm.put("Message", "{\"AlarmName\":\"x\",\"NewStateValue\":\"ALARM\",\"Trigger\":{\"Dimensions\":{}}}");
        assertThatThrownBy(() -> parser.parse(new IngestRequest(badAlarm.toString().getBytes(), Map.of(),
                new SourceSettings(false, List.of())))).isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
            assertThat(e.pointer()).isEqualTo("/Message");
            assertThat(e.getMessage()).contains("/Trigger/Dimensions");
        });
    }

    private void assertInvalid(String json, String pointer) {
        assertThatThrownBy(() -> parser.parse(new IngestRequest(json.getBytes(StandardCharsets.UTF_8), Map.of(),
                new SourceSettings(false, List.of())))).isInstanceOfSatisfying(InvalidPayloadException.class,
                e -> assertThat(e.pointer()).as(json).isEqualTo(pointer));
    }

    /** The same contract with verification off, so the fuzz reaches the parsing behind the signature check. */
    @org.junit.jupiter.api.Nested
    class WithoutSignatureChecks extends EventParserContract {
        @Override
        protected EventParser parser() {
            return new SnsParser(url -> fail("no fetch when verification is off"), Clock.systemUTC());
        }

        @Override
        protected List<Sample> validSamples() {
            return SnsParserTest.this.validSamples();
        }

        @Override
        protected SourceSettings settings() {
            return new SourceSettings(false, List.of());
        }
    }
}
