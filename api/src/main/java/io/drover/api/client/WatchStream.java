package io.drover.api.client;

import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The events of one watch request, read line by line as the server sends them. Closing it closes the connection,
 * which is how a watch is cancelled.
 */
public final class WatchStream implements AutoCloseable {

    private final ResourceKind kind;
    private final Stream<String> lines;
    private final Iterator<String> iterator;

    WatchStream(ResourceKind kind, Stream<String> lines) {
        this.kind = kind;
        this.lines = lines;
        this.iterator = lines.iterator();
    }

    /**
     * Blocks until the next event; empty when the server ended the watch. An ERROR event (for example an expired
     * resourceVersion) is thrown as the {@link ApiError} it carries, because the caller must re-list then.
     */
    public Optional<WatchEvent> next() {
        while (iterator.hasNext()) {
            String line = iterator.next().strip();
            if (!line.isEmpty()) {
                return Optional.of(parse(line));
            }
        }
        return Optional.empty();
    }

    private WatchEvent parse(String line) {
        JsonNode event;
        try {
            event = ResourceCodec.json().readTree(line);
        } catch (JacksonException e) {
            throw new ApiError(500, "", "the server sent a watch event that is not JSON: " + line, java.util.List.of());
        }
        String type = event.path("type").asString("");
        JsonNode object = event.path("object");
        return switch (type) {
            case "ADDED", "MODIFIED", "DELETED" ->
                    new WatchEvent(WatchEvent.Type.valueOf(type), ResourceCodec.fromTree(object, kind));
            case "ERROR" -> throw ApiError.fromStatus(500, object);
            default -> throw new ApiError(500, "", "the server sent a watch event of unknown type \"" + type + "\"",
                    java.util.List.of());
        };
    }

    @Override
    public void close() {
        lines.close();
    }
}
