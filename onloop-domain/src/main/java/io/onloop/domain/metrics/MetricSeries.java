package io.onloop.domain.metrics;

import java.util.List;
import java.util.Map;

/** One series a query returned: its labels and its points in time order. */
public record MetricSeries(Map<String, String> labels, List<Point> points) {

    public MetricSeries {
        labels = Map.copyOf(labels);
        points = List.copyOf(points);
    }

    /** One value at a time, in milliseconds since the epoch. */
    public record Point(long epochMillis, double value) {
    }
}
