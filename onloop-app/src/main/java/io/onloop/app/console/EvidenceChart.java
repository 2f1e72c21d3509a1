package io.onloop.app.console;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.SourceType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The chart of an anomaly or exhaustion event, drawn from the numbers in its evidence (the raw
 * payload onloop wrote) as SVG coordinates. Only numbers reach the page: the payload's strings
 * never do, so nothing in it can become markup.
 *
 * @param points    the polyline, {@code "x,y x,y …"} in a {@value #WIDTH}×{@value #HEIGHT} view box
 * @param bandY     top of the expected band, or -1 when there is none
 * @param bandHeight height of the expected band
 * @param limitY    the limit's line, or -1 when there is none
 * @param lastX, lastY the newest point
 * @param low, high the values at the bottom and top, as text
 * @param from, to  the first and last point's times
 */
record EvidenceChart(String points, double bandY, double bandHeight, double limitY, double lastX, double lastY,
                     String low, String high, Instant from, Instant to) {
    static final int WIDTH = 600;
    static final int HEIGHT = 120;
    private static final double PAD = 6;

    static Optional<EvidenceChart> of(Event event, JsonMapper json) {
        if (event.source() != SourceType.ONLOOP) {
            return Optional.empty();
        }
        JsonNode e;
        try {
            e = json.readTree(event.rawPayload());
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
        if (!"onloop-watch".equals(e.path("kind").asString("")) || !e.path("chart").isArray() || e.path("chart").size() < 2) {
            return Optional.empty();
        }
        List<double[]> pts = new ArrayList<>();
        for (JsonNode p : e.path("chart")) {
            if (p.path(0).isNumber() && p.path(1).isNumber() && Double.isFinite(p.path(1).asDouble())) {
                pts.add(new double[] {p.path(0).asDouble(), p.path(1).asDouble()});
            }
        }
        if (pts.size() < 2) {
            return Optional.empty();
        }
        double bandLow = number(e.path("expected").path("low"));
        double bandHigh = number(e.path("expected").path("high"));
        double limit = number(e.path("limit"));
        double low = pts.stream().mapToDouble(p -> p[1]).min().orElseThrow();
        double high = pts.stream().mapToDouble(p -> p[1]).max().orElseThrow();
        for (double v : new double[] {bandLow, bandHigh, limit}) {
            if (Double.isFinite(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        if (!(high > low)) { // widened away from the nearer end of what a double holds: + 1 alone is lost beside 1e300
            double by = Math.max(1, Math.abs(low) * 1e-6);
            if (low > 0) {
                low -= by;
            } else {
                high += by;
            }
        }
        double t0 = pts.getFirst()[0];
        double t1 = pts.getLast()[0];
        double span = Math.max(1, t1 - t0);
        double lo = low, hi = high;
        // in halves: hi - lo overflows to infinity for values near ±Double.MAX_VALUE, and every y was NaN
        java.util.function.DoubleUnaryOperator y = v -> PAD + (hi / 2 - v / 2) / (hi / 2 - lo / 2) * (HEIGHT - 2 * PAD);
        java.util.function.DoubleUnaryOperator x = t -> PAD + (t - t0) / span * (WIDTH - 2 * PAD);
        String points = pts.stream().map(p -> fmt(x.applyAsDouble(p[0])) + "," + fmt(y.applyAsDouble(p[1])))
                .collect(Collectors.joining(" "));
        boolean band = Double.isFinite(bandLow) && Double.isFinite(bandHigh);
        double bandY = band ? y.applyAsDouble(bandHigh) : -1;
        double bandHeight = band ? Math.max(1, y.applyAsDouble(bandLow) - bandY) : 0;
        return Optional.of(new EvidenceChart(points, bandY, bandHeight, Double.isFinite(limit) ? y.applyAsDouble(limit) : -1,
                x.applyAsDouble(t1), y.applyAsDouble(pts.getLast()[1]), label(low), label(high),
                Instant.ofEpochMilli((long) t0), Instant.ofEpochMilli((long) t1)));
    }

    /** A value for the axis label, e.g. {@code 0.1234} or {@code 1.000e+09}. */
    private static String label(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
