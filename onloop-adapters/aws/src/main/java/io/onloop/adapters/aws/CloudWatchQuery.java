package io.onloop.adapters.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One CloudWatch metric statistic, written as
 * <pre>
 *   Namespace:MetricName{Dimension=Value,...}:Statistic
 *   AWS/EC2:CPUUtilization{InstanceId=i-0abc}:Average
 *   AWS/ApplicationELB:TargetResponseTime{LoadBalancer="app/shop/50dc6c495c0c9188"}:p99
 *   AWS/SQS:ApproximateNumberOfMessagesVisible{QueueName=orders}:Maximum
 * </pre>
 * The braces may be left out for a metric without dimensions. Dimensions must be the metric's complete set
 * (CloudWatch matches them exactly). A value with {@code , } = " \} is written in double quotes, with {@code \"}
 * and {@code \\} inside. The namespace is everything before the last colon ahead of the metric name, so it may
 * hold colons; the metric name may not. Statistics: Average, Sum, Minimum, Maximum, SampleCount, IQM, and
 * percentiles and trimmed statistics as {@code p99}, {@code p99.9}, {@code tm90}, {@code wm90}, {@code tc90},
 * {@code ts90}.
 */
record CloudWatchQuery(String namespace, String metric, Map<String, String> dimensions, String statistic) {

    private static final Pattern STATISTIC = Pattern.compile(
            "Average|Sum|Minimum|Maximum|SampleCount|IQM|(p|tm|wm|tc|ts)(100|[0-9]{1,2}(\\.[0-9]{1,10})?)");

    /** @throws IllegalArgumentException naming the column and what was expected there */
    static CloudWatchQuery parse(String query) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("empty CloudWatch query; expected Namespace:MetricName{Dimension=Value}:Statistic");
        }
        int brace = query.indexOf('{');
        String head;
        Map<String, String> dimensions = new LinkedHashMap<>();
        String statistic;
        if (brace < 0) {
            int lastColon = query.lastIndexOf(':');
            if (lastColon < 0) {
                throw error(query, query.length(), "':Statistic' at the end");
            }
            head = query.substring(0, lastColon);
            statistic = query.substring(lastColon + 1);
        } else {
            head = query.substring(0, brace);
            int end = dimensions(query, brace + 1, dimensions);
            if (end >= query.length() || query.charAt(end) != ':') {
                throw error(query, end, "':Statistic' after the closing brace");
            }
            statistic = query.substring(end + 1);
        }
        if (!STATISTIC.matcher(statistic).matches()) {
            throw error(query, query.length() - statistic.length(),
                    "a statistic (Average, Sum, Minimum, Maximum, SampleCount, IQM, p99, tm90...) instead of '" + statistic + "'");
        }
        int metricColon = head.lastIndexOf(':');
        if (metricColon <= 0 || metricColon == head.length() - 1) {
            throw error(query, Math.max(metricColon, 0), "Namespace:MetricName (both non-empty)");
        }
        return new CloudWatchQuery(head.substring(0, metricColon), head.substring(metricColon + 1), dimensions, statistic);
    }

    /** Reads {@code Name=Value,...}} from {@code at}; returns the index after the closing brace. */
    private static int dimensions(String q, int at, Map<String, String> into) {
        int i = at;
        if (i < q.length() && q.charAt(i) == '}') {
            return i + 1;
        }
        while (true) {
            int nameStart = i;
            while (i < q.length() && "=,{}\"".indexOf(q.charAt(i)) < 0) {
                i++;
            }
            String name = q.substring(nameStart, i).strip();
            if (name.isEmpty()) {
                throw error(q, nameStart, "a dimension name");
            }
            if (i >= q.length() || q.charAt(i) != '=') {
                throw error(q, i, "'=' after the dimension name '" + name + "'");
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < q.length() && q.charAt(i) == '"') {
                i++;
                while (i < q.length() && q.charAt(i) != '"') {
                    if (q.charAt(i) == '\\' && i + 1 < q.length()) {
                        i++;
                    }
                    value.append(q.charAt(i++));
                }
                if (i >= q.length()) {
                    throw error(q, i, "a closing double quote for the value of " + name);
                }
                i++;
            } else {
                int valueStart = i;
                while (i < q.length() && ",}=\"{".indexOf(q.charAt(i)) < 0) {
                    i++;
                }
                value.append(q, valueStart, i);
            }
            if (value.isEmpty()) {
                throw error(q, i, "a value for the dimension " + name);
            }
            if (into.put(name, value.toString()) != null) {
                throw error(q, nameStart, "each dimension once, but " + name + " is repeated");
            }
            if (i >= q.length()) {
                throw error(q, i, "',' or '}'");
            }
            if (q.charAt(i) == '}') {
                return i + 1;
            }
            if (q.charAt(i) != ',') {
                throw error(q, i, "',' or '}' instead of '" + q.charAt(i) + "'");
            }
            i++;
        }
    }

    private static IllegalArgumentException error(String query, int column, String expected) {
        return new IllegalArgumentException("bad CloudWatch query at column " + (column + 1) + ": expected " + expected
                + " in '" + query + "' (form: Namespace:MetricName{Dimension=Value,...}:Statistic)");
    }
}
