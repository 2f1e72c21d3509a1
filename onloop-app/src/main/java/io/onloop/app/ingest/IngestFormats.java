package io.onloop.app.ingest;

import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventParser;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ingest formats this server accepts: one parser each, keyed by the {format} URL segment. */
public record IngestFormats(Map<SourceType, EventParser> parsers) {

    public IngestFormats {
        parsers = Map.copyOf(parsers);
    }

    public Optional<EventParser> parser(String formatId) {
        return SourceType.fromId(formatId).map(parsers::get);
    }

    /** Format ids in declaration order, for error messages and the bootstrap. */
    public List<String> ids() {
        return types().stream().map(SourceType::id).toList();
    }

    public List<SourceType> types() {
        return List.of(SourceType.values()).stream().filter(parsers::containsKey).toList();
    }
}
