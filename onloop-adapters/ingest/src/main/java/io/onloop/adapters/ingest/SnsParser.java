package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.ParseResult;
import io.onloop.domain.ingest.SignatureRejectedException;
import io.onloop.domain.ingest.TopicNotAllowedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static io.onloop.adapters.ingest.JsonFields.firstNonBlank;

/**
 * AWS SNS HTTP(S) deliveries (https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html),
 * usually carrying CloudWatch alarms. Signatures are verified as AWS documents in
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html unless the source
 * is explicitly configured not to. The signing certificate URL is checked before anything is fetched,
 * and a signed notification must be fresh (see {@link #MAX_AGE}).
 */
public final class SnsParser implements EventParser {
    /** sns.<region>.amazonaws.com, or .amazonaws.com.cn for the China partition. */
    private static final Pattern SNS_HOST = Pattern.compile("sns\\.[a-z]{2}(-[a-z]+)+-\\d\\.amazonaws\\.com(\\.cn)?");
    /** Any partition (aws, aws-cn, aws-us-gov, aws-iso-b, ...); a topic name is at most 256 characters, .fifo included. */
    private static final Pattern TOPIC_ARN = Pattern.compile(
            "arn:aws(-[a-z]{1,10}){0,3}:sns:[a-z]{2}(-[a-z]{1,10}){1,3}-\\d{1,2}:\\d{12}:(?=[A-Za-z0-9_.-]{1,256}$)[A-Za-z0-9_-]+(\\.fifo)?");

    private static final List<String> NOTIFICATION_FIELDS = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> CONFIRMATION_FIELDS = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    /**
     * How old a signed notification may be. SNS retries an HTTP(S) delivery for at most an hour
     * (its delivery policy cannot ask for longer), so anything older is a replay of a captured message,
     * which would otherwise pass the signature check for ever and could re-open a resolved alarm.
     */
    static final Duration MAX_AGE = Duration.ofHours(1).plusMinutes(5);
    /** How far ahead of our clock a notification's Timestamp may be (clock skew). */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    private final SigningCertificateFetcher fetcher;
    private final Clock clock;

    public SnsParser() {
        this(new HttpSigningCertificateFetcher(), Clock.systemUTC());
    }

    public SnsParser(SigningCertificateFetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    @Override
    public SourceType format() {
        return SourceType.SNS;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException, SignatureRejectedException {
        JsonNode root = Json.object(request.body());
        String type = JsonFields.string(root, "Type", "", true);
        boolean notification = type.equals("Notification");
        if (!notification && !type.equals("SubscriptionConfirmation") && !type.equals("UnsubscribeConfirmation")) {
            throw new InvalidPayloadException("/Type must be Notification, SubscriptionConfirmation or "
                    + "UnsubscribeConfirmation, got \"" + type + "\"", "/Type");
        }
        List<String> signed = notification ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
        Map<String, String> fields = new LinkedHashMap<>();
        for (String name : signed) {
            boolean required = !name.equals("Subject");
            String value = JsonFields.string(root, name, "", false);
            if (value == null && required) {
                throw new InvalidPayloadException("missing required field /" + name, "/" + name);
            }
            if (value != null) {
                fields.put(name, value);
            }
        }
        String topicArn = fields.get("TopicArn");
        if (!isTopicArn(topicArn)) {
            throw new InvalidPayloadException("/TopicArn is not an SNS topic ARN", "/TopicArn");
        }
        // Before the signature: a foreign topic costs no certificate fetch. Anyone with an AWS account can
        // subscribe a known endpoint URL to a topic of their own, and its messages are signed by SNS too.
        List<String> topics = request.settings().topicArns();
        if (!topics.isEmpty() && !topics.contains(topicArn)) {
            throw new TopicNotAllowedException("topic " + topicArn + " is not one this source takes messages from");
        }
        if (request.settings().verifySignatures()) {
            verify(root, fields);
            if (notification) {
                checkFresh(fields.get("Timestamp"));
            }
        }
        return switch (type) {
            // MessageId is among the signed fields: a redelivery keeps it, a forgery cannot borrow it
            case "Notification" -> ParseResult.of(List.of(notification(root, fields))).withDeliveryId(fields.get("MessageId"));
            case "SubscriptionConfirmation" -> new ParseResult(List.of(), 0, List.of(),
                    snsUrl(fields.get("SubscribeURL"), "/SubscribeURL").toString());
            default -> new ParseResult(List.of(), 0, List.of("unsubscribe confirmation for " + topicArn + " ignored"), null);
        };
    }

    /** arn:aws[-cn|-us-gov|...]:sns:region:account:name, the shape of every SNS topic ARN. */
    public static boolean isTopicArn(String value) {
        return value != null && TOPIC_ARN.matcher(value).matches();
    }

    private void verify(JsonNode root, Map<String, String> fields) throws InvalidPayloadException, SignatureRejectedException {
        String version = firstNonBlank(JsonFields.scalar(root, "SignatureVersion", ""));
        String algorithm = switch (version == null ? "" : version) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new SignatureRejectedException("unsupported or missing SignatureVersion (1 and 2 are known)");
        };
        String certUrl = JsonFields.string(root, "SigningCertURL", "", false);
        URI url = signingCertUrl(certUrl);
        String signatureText = JsonFields.string(root, "Signature", "", false);
        if (signatureText == null || signatureText.isBlank()) {
            throw new SignatureRejectedException("message has no Signature");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureText.trim());
        } catch (IllegalArgumentException e) {
            throw new SignatureRejectedException("Signature is not base64", e);
        }
        X509Certificate cert = fetcher.fetch(url);
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(canonical(fields).getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(signature)) {
                throw new SignatureRejectedException("SNS message signature does not match its content");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SignatureRejectedException("SNS message signature could not be verified: " + e.getMessage(), e);
        }
    }

    /** Replay protection for signed notifications: their signed Timestamp must be recent (see MAX_AGE). */
    private void checkFresh(String timestamp) throws SignatureRejectedException {
        Instant sent = CloudWatchAlarms.time(timestamp);
        if (sent == null) {
            throw new SignatureRejectedException("/Timestamp is not a time: cannot tell a replay");
        }
        Instant now = clock.instant();
        if (sent.isBefore(now.minus(MAX_AGE))) {
            throw new SignatureRejectedException("notification signed at " + sent + " is older than SNS ever retries ("
                    + MAX_AGE.toMinutes() + " min): refused as a replay");
        }
        if (sent.isAfter(now.plus(MAX_AHEAD))) {
            throw new SignatureRejectedException("notification signed at " + sent + " is more than "
                    + MAX_AHEAD.toMinutes() + " min ahead of this server's clock");
        }
    }

    /** The string AWS signs: each present field's name and value, one per line, in the documented order. */
    static String canonical(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((name, value) -> sb.append(name).append('\n').append(value).append('\n'));
        return sb.toString();
    }

    private static URI signingCertUrl(String value) throws SignatureRejectedException {
        try {
            URI url = snsUrl(value, "/SigningCertURL");
            if (url.getRawPath() == null || !url.getRawPath().endsWith(".pem") || url.getRawQuery() != null) {
                throw new SignatureRejectedException("SigningCertURL must name a .pem file");
            }
            return url;
        } catch (InvalidPayloadException e) {
            throw new SignatureRejectedException("refusing SigningCertURL: " + e.getMessage());
        }
    }

    /** An https URL on an SNS endpoint host, default port, no user info: the only kind onloop will visit. */
    static URI snsUrl(String value, String pointer) throws InvalidPayloadException {
        if (value == null || value.isBlank()) {
            throw new InvalidPayloadException(pointer + " is missing", pointer);
        }
        URI url;
        try {
            url = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new InvalidPayloadException(pointer + " is not a valid URL", pointer);
        }
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        boolean ok = "https".equalsIgnoreCase(url.getScheme()) && url.getRawUserInfo() == null
                && (url.getPort() == -1 || url.getPort() == 443) && url.getRawAuthority() != null
                && url.getRawAuthority().toLowerCase(Locale.ROOT).equals(host + (url.getPort() == 443 ? ":443" : ""))
                && SNS_HOST.matcher(host).matches() && url.getRawFragment() == null;
        if (!ok) {
            throw new InvalidPayloadException(pointer + " must be an https URL on an sns.<region>.amazonaws.com host", pointer);
        }
        return url;
    }

    private static NormalizedAlert notification(JsonNode root, Map<String, String> fields) throws InvalidPayloadException {
        String message = fields.get("Message");
        JsonNode alarm = alarmJson(message);
        if (alarm != null) {
            try {
                return alarm(alarm, root);
            } catch (InvalidPayloadException e) {
                throw new InvalidPayloadException("in the CloudWatch alarm inside /Message: " + e.getMessage(), "/Message", e);
            }
        }
        String subject = fields.get("Subject");
        String title = firstNonBlank(subject, "SNS notification from " + fields.get("TopicArn"));
        String fingerprint = "sns:" + JsonFields.sha256(fields.get("TopicArn") + "\n" + subject + "\n" + message);
        Map<String, String> labels = Map.of("topic_arn", fields.get("TopicArn"));
        return new NormalizedAlert(EventStatus.INFORMATIONAL, Severity.INFO, "", title, message,
                Resource.of("aws", fields.get("TopicArn")), labels, fingerprint,
                CloudWatchAlarms.time(fields.get("Timestamp")), null, root.toString());
    }

    /** The Message as a CloudWatch alarm object, or null when it is something else (plain text, other JSON). */
    private static JsonNode alarmJson(String message) {
        String m = message.trim();
        if (!m.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(m);
            return node != null && node.isObject() && node.has("AlarmName") && node.has("NewStateValue") ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static NormalizedAlert alarm(JsonNode alarm, JsonNode root) throws InvalidPayloadException {
        String name = JsonFields.string(alarm, "AlarmName", "", true);
        String state = JsonFields.string(alarm, "NewStateValue", "", true);
        EventStatus status = CloudWatchAlarms.status(state, "/NewStateValue");
        String arn = JsonFields.string(alarm, "AlarmArn", "", false);
        String account = JsonFields.scalar(alarm, "AWSAccountId", "");
        var parsedArn = CloudWatchAlarms.AlarmArn.parse(arn);
        String fingerprint = CloudWatchAlarms.fingerprint(arn, account, JsonFields.string(alarm, "Region", "", false), name);

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alarm_name", name);
        JsonFields.put(labels, "aws_account", account);
        JsonFields.put(labels, "aws_region", parsedArn == null ? null : parsedArn.region());
        JsonFields.put(labels, "previous_state", JsonFields.string(alarm, "OldStateValue", "", false));

        JsonNode trigger = JsonFields.object(alarm, "Trigger", "", false);
        String namespace = null;
        Map<String, String> dims = new LinkedHashMap<>();
        if (trigger != null) {
            namespace = JsonFields.string(trigger, "Namespace", "/Trigger", false);
            JsonFields.put(labels, "metric_name", JsonFields.string(trigger, "MetricName", "/Trigger", false));
            JsonFields.put(labels, "threshold", JsonFields.scalar(trigger, "Threshold", "/Trigger"));
            JsonFields.put(labels, "comparison_operator", JsonFields.string(trigger, "ComparisonOperator", "/Trigger", false));
            dims.putAll(dimensions(trigger, "/Trigger"));
            JsonNode metrics = JsonFields.array(trigger, "Metrics", "/Trigger", false);
            if (metrics != null) {
                for (int i = 0; i < metrics.size(); i++) {
                    String at = JsonFields.ptr("/Trigger/Metrics", i);
                    JsonNode m = metrics.get(i);
                    if (!m.isObject()) {
                        throw new InvalidPayloadException(at + " must be an object, got " + Json.kind(m), at);
                    }
                    String expression = JsonFields.string(m, "Expression", at, false);
                    if (expression != null && !labels.containsKey("expression")) {
                        labels.put("expression", expression);
                    }
                    JsonNode stat = JsonFields.object(m, "MetricStat", at, false);
                    JsonNode metric = stat == null ? null : JsonFields.object(stat, "Metric", at + "/MetricStat", false);
                    if (metric != null && dims.isEmpty()) {
                        String mat = at + "/MetricStat/Metric";
                        namespace = firstNonBlank(namespace, JsonFields.string(metric, "Namespace", mat, false));
                        JsonFields.put(labels, "metric_name", labels.containsKey("metric_name") ? null : JsonFields.string(metric, "MetricName", mat, false));
                        dims.putAll(dimensions(metric, mat));
                    }
                }
            }
        }
        JsonFields.put(labels, "namespace", namespace);
        dims.forEach((k, v) -> labels.put("dimension_" + k, v));

        String summary = CloudWatchAlarms.summary(JsonFields.string(alarm, "AlarmDescription", "", false),
                JsonFields.string(alarm, "NewStateReason", "", false));
        return new NormalizedAlert(status, CloudWatchAlarms.severity(status), state, name, summary,
                CloudWatchAlarms.resource(arn, namespace, dims), labels, fingerprint,
                CloudWatchAlarms.time(JsonFields.string(alarm, "StateChangeTime", "", false)),
                CloudWatchAlarms.consoleLink(parsedArn), root.toString());
    }

    /** SNS alarm messages list dimensions as [{"name": ..., "value": ...}]. */
    private static Map<String, String> dimensions(JsonNode parent, String at) throws InvalidPayloadException {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode dims = JsonFields.array(parent, "Dimensions", at, false);
        if (dims == null) {
            return out;
        }
        for (int i = 0; i < dims.size(); i++) {
            String dat = JsonFields.ptr(at + "/Dimensions", i);
            JsonNode d = dims.get(i);
            if (!d.isObject()) {
                throw new InvalidPayloadException(dat + " must be an object, got " + Json.kind(d), dat);
            }
            String name = firstNonBlank(JsonFields.string(d, "name", dat, false), JsonFields.string(d, "Name", dat, false));
            String value = firstNonBlank(JsonFields.scalar(d, "value", dat), JsonFields.scalar(d, "Value", dat));
            if (name != null && value != null) {
                out.put(name, value);
            }
        }
        return out;
    }
}
