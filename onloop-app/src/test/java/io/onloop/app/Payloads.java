package io.onloop.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test payloads: samples from the formats' documentation (copied from the parsers' tests) and small builders. */
public final class Payloads {
    private Payloads() {
    }

    /** A file under src/test/resources/payloads/. */
    public static String sample(String path) {
        try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample payload " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An Alertmanager webhook (v4) with one alert; equal arguments give equal fingerprints. */
    public static String alertmanager(String status, String alertname, String instance) {
        return """
                {"version":"4","status":"%1$s","receiver":"onloop","groupKey":"{}:{alertname=\\"%2$s\\"}",
                 "groupLabels":{"alertname":"%2$s"},"commonLabels":{},"commonAnnotations":{},
                 "externalURL":"http://alertmanager.example:9093",
                 "alerts":[{"status":"%1$s","labels":{"alertname":"%2$s","instance":"%3$s","severity":"critical"},
                   "annotations":{"summary":"%2$s on %3$s"},"startsAt":"2024-05-01T10:00:00Z",
                   "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.example:9090/graph"}]}
                """.formatted(status, alertname, instance);
    }
}
