package io.nightshift.operator.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The query of a request, checked: only parameters the endpoint knows, each once and with a value. */
final class QueryParameters {

    /** A request the endpoint cannot answer as asked; the message names the parameter and the problem. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    private QueryParameters() {
    }

    static Map<String, String> parse(String rawQuery, Set<String> known) throws BadRequest {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&", -1)) {
            String[] kv = pair.split("=", 2);
            String name = decode(kv[0]);
            if (!known.contains(name)) {
                throw new BadRequest("unknown query parameter \"" + name + "\"; this endpoint takes "
                        + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList())));
            }
            String value = kv.length == 2 ? decode(kv[1]) : "";
            if (value.isEmpty()) {
                throw new BadRequest(name + " is empty; give a value or leave the parameter out");
            }
            if (values.put(name, value) != null) {
                throw new BadRequest(name + " is given more than once");
            }
        }
        return values;
    }

    private static String decode(String text) throws BadRequest {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the query is not URL-encoded correctly: " + e.getMessage());
        }
    }
}
