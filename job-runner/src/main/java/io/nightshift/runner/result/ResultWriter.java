package io.nightshift.runner.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the result document to the termination-message file, fitting it into Kubernetes' 4 KiB. */
public final class ResultWriter {

    /** Kubernetes keeps at most 4096 bytes of a termination message. */
    public static final int LIMIT_BYTES = 4096;
    private static final String ELLIPSIS = "…";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultWriter() {
    }

    /** The document as JSON of at most {@link #LIMIT_BYTES} bytes: the error is cut first, then long stat values. */
    public static String render(ResultDocument doc) {
        String text = json(doc);
        if (bytes(text) <= LIMIT_BYTES) {
            return text;
        }
        if (doc.error() != null) {
            int excess = bytes(text) - LIMIT_BYTES;
            String error = doc.error();
            int keep = Math.max(0, error.length() - excess - 16);
            while (true) {
                ResultDocument cut = doc.withError(error.substring(0, keep) + ELLIPSIS);
                text = json(cut);
                if (bytes(text) <= LIMIT_BYTES || keep == 0) {
                    doc = cut;
                    break;
                }
                keep = Math.max(0, keep - Math.max(16, (bytes(text) - LIMIT_BYTES)));
            }
            if (bytes(text) <= LIMIT_BYTES) {
                return text;
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        doc.stats().forEach((k, v) -> stats.put(k, v instanceof String s && s.length() > 64 ? s.substring(0, 64) + ELLIPSIS : v));
        text = json(doc.withStats(stats));
        if (bytes(text) <= LIMIT_BYTES) {
            return text;
        }
        return json(doc.withStats(Map.of("truncated", true)));
    }

    /** Writes the document; returns false (and leaves the run's outcome unchanged) when the file can't be written. */
    public static boolean write(Path file, ResultDocument doc) {
        try {
            Files.writeString(file, render(doc), StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String json(ResultDocument doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
