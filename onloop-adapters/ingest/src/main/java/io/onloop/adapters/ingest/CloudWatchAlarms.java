package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** What the SNS and EventBridge parsers share about CloudWatch alarms: states, resources, ARNs, times. */
final class CloudWatchAlarms {
    /** CloudWatch writes offsets without a colon: 2019-10-02T17:04:40.989+0000. */
    private static final DateTimeFormatter CLOUDWATCH_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss[.SSS]Z");

    private CloudWatchAlarms() {
    }

    /** The parts of an alarm ARN: arn:partition:cloudwatch:region:account:alarm:name. */
    record AlarmArn(String partition, String region, String account, String name) {
        static AlarmArn parse(String arn) {
            if (arn == null) {
                return null;
            }
            String[] p = arn.split(":", 7);
            if (p.length < 7 || !p[0].equals("arn") || !p[2].equals("cloudwatch") || !p[5].equals("alarm")) {
                return null;
            }
            return new AlarmArn(p[1], p[3], p[4], p[6]);
        }
    }

    /** The alarm's new state; {@code pointer} says where it was read, for the error. */
    static EventStatus status(String stateValue, String pointer) throws InvalidPayloadException {
        return switch (stateValue) {
            case "ALARM" -> EventStatus.FIRING;
            case "OK" -> EventStatus.RESOLVED;
            case "INSUFFICIENT_DATA" -> EventStatus.INFORMATIONAL;
            default -> throw new InvalidPayloadException(
                    pointer + " must be ALARM, OK or INSUFFICIENT_DATA, got \"" + stateValue + "\"", pointer);
        };
    }

    /** The alarm ARN, or for an alarm message without one, account, region and name. */
    static String fingerprint(String alarmArn, String account, String region, String name) {
        return alarmArn != null && !alarmArn.isBlank() ? alarmArn : "cloudwatch:" + account + "/" + region + "/" + name;
    }

    /** The alarm's description, then why it changed state. */
    static String summary(String description, String reason) {
        return description == null || description.isBlank() ? reason
                : description + (reason == null ? "" : "\n" + reason);
    }

    /** CloudWatch alarms carry no severity: an alarm is high, missing data is low, recovery is info. */
    static Severity severity(EventStatus status) {
        return switch (status) {
            case FIRING -> Severity.HIGH;
            case INFORMATIONAL -> Severity.LOW;
            case RESOLVED -> Severity.INFO;
        };
    }

    static Instant time(String value) {
        Instant t = Json.instant(value);
        if (t != null || value == null) {
            return t;
        }
        try {
            return OffsetDateTime.parse(value.trim(), CLOUDWATCH_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String consoleLink(AlarmArn arn) {
        if (arn == null || arn.region().isBlank()) {
            return null;
        }
        String host = arn.partition().equals("aws-cn") ? "console.amazonaws.cn" : "console.aws.amazon.com";
        return "https://" + host + "/cloudwatch/home?region=" + arn.region() + "#alarmsV2:alarm/"
                + URLEncoder.encode(arn.name(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The AWS resource a metric's dimensions name, as an ARN (or ARN-like id where the dimension
     * lacks what a real ARN needs); the alarm itself when no dimension is recognised.
     */
    static Resource resource(String alarmArn, String namespace, Map<String, String> dims) {
        AlarmArn a = AlarmArn.parse(alarmArn);
        if (a != null && !dims.isEmpty()) {
            String prefix = "arn:" + a.partition() + ":";
            String ra = ":" + a.region() + ":" + a.account() + ":";
            String id = null;
            if (dims.containsKey("InstanceId")) {
                id = prefix + "ec2" + ra + "instance/" + dims.get("InstanceId");
            } else if (dims.containsKey("DBInstanceIdentifier")) {
                id = prefix + "rds" + ra + "db:" + dims.get("DBInstanceIdentifier");
            } else if (dims.containsKey("DBClusterIdentifier")) {
                id = prefix + "rds" + ra + "cluster:" + dims.get("DBClusterIdentifier");
            } else if (dims.containsKey("FunctionName")) {
                id = prefix + "lambda" + ra + "function:" + dims.get("FunctionName");
            } else if (dims.containsKey("TargetGroup")) {
                id = prefix + "elasticloadbalancing" + ra + dims.get("TargetGroup");
            } else if (dims.containsKey("LoadBalancer")) {
                id = prefix + "elasticloadbalancing" + ra + "loadbalancer/" + dims.get("LoadBalancer");
            } else if (dims.containsKey("LoadBalancerName")) {
                id = prefix + "elasticloadbalancing" + ra + "loadbalancer/" + dims.get("LoadBalancerName");
            } else if (dims.containsKey("ClusterName") && dims.containsKey("ServiceName")) {
                id = prefix + "ecs" + ra + "service/" + dims.get("ClusterName") + "/" + dims.get("ServiceName");
            } else if (dims.containsKey("ClusterName")) {
                String service = "ContainerInsights".equals(namespace) ? "eks" : "ecs";
                id = prefix + service + ra + "cluster/" + dims.get("ClusterName");
            } else if (dims.containsKey("AutoScalingGroupName")) {
                id = prefix + "autoscaling" + ra + "autoScalingGroupName/" + dims.get("AutoScalingGroupName");
            } else if (dims.containsKey("QueueName")) {
                id = prefix + "sqs" + ra + dims.get("QueueName");
            } else if (dims.containsKey("TableName")) {
                id = prefix + "dynamodb" + ra + "table/" + dims.get("TableName");
            } else if (dims.containsKey("BucketName")) {
                id = prefix + "s3:::" + dims.get("BucketName");
            } else if (dims.containsKey("TopicName")) {
                id = prefix + "sns" + ra + dims.get("TopicName");
            } else if (dims.containsKey("CacheClusterId")) {
                id = prefix + "elasticache" + ra + "cluster:" + dims.get("CacheClusterId");
            } else if (dims.containsKey("VolumeId")) {
                id = prefix + "ec2" + ra + "volume/" + dims.get("VolumeId");
            } else if (dims.containsKey("StateMachineArn")) {
                id = dims.get("StateMachineArn");
            }
            if (id != null) {
                return Resource.of("aws", id);
            }
        }
        return alarmArn == null || alarmArn.isBlank() ? Resource.UNKNOWN : new Resource("aws", alarmArn,
                a == null ? alarmArn : a.name());
    }
}
