package io.onloop.domain.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One received webhook: the body bytes as sent (unpacked if they came gzip), its headers (names case-insensitive) and
 * the settings of the source it was authenticated as.
 */
public record IngestRequest(byte[] body, Map<String, List<String>> headers, SourceSettings settings) {

    public IngestRequest {
        var copy = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        }
        headers = copy;
        settings = settings == null ? SourceSettings.DEFAULT : settings;
    }

    public static IngestRequest of(byte[] body) {
        return new IngestRequest(body, Map.of(), SourceSettings.DEFAULT);
    }

    public Optional<String> header(String name) {
        var values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
