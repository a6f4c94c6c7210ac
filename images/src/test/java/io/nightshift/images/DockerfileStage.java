package io.nightshift.images;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The instructions of a Dockerfile's last stage (the image that ships), read the way Docker reads them: comments
 * dropped, continuation lines joined, ENTRYPOINT and CMD in exec form (JSON arrays).
 */
final class DockerfileStage {

    private final String baseImage;
    private final List<String[]> instructions;

    private DockerfileStage(String baseImage, List<String[]> instructions) {
        this.baseImage = baseImage;
        this.instructions = instructions;
    }

    static DockerfileStage lastStageOf(Path dockerfile) {
        String text;
        try {
            text = Files.readString(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String baseImage = null;
        List<String[]> stage = new ArrayList<>();
        for (String instruction : joinContinuations(text)) {
            String[] parts = instruction.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String argument = parts.length > 1 ? parts[1].trim() : "";
            if (keyword.equals("FROM")) {
                baseImage = argument.split("\\s+")[0];
                stage = new ArrayList<>();
            } else {
                stage.add(new String[] {keyword, argument});
            }
        }
        if (baseImage == null) {
            throw new IllegalArgumentException(dockerfile + " has no FROM");
        }
        return new DockerfileStage(baseImage, stage);
    }

    private static List<String> joinContinuations(String text) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            if (!current.toString().isBlank()) {
                instructions.add(current.toString().strip());
            }
            current.setLength(0);
        }
        return instructions;
    }

    String baseImage() {
        return baseImage;
    }

    String user() {
        return last("USER");
    }

    String workdir() {
        return last("WORKDIR");
    }

    List<String> entrypoint() {
        return execForm("ENTRYPOINT");
    }

    List<String> cmd() {
        return last("CMD") == null ? List.of() : execForm("CMD");
    }

    /** The variables ENV sets, in {@code KEY=value} form (values may be double-quoted). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String argument : all("ENV")) {
            for (String pair : argument.split("\\s+(?=[A-Za-z_][A-Za-z0-9_]*=)")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("only ENV KEY=value is understood here, got: ENV " + argument);
                }
                env.put(pair.substring(0, eq), pair.substring(eq + 1).replaceAll("^\"|\"$", ""));
            }
        }
        return env;
    }

    /** The shell-form RUN command that contains {@code marker}. */
    String runCommandContaining(String marker) {
        return all("RUN").stream().filter(run -> run.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no RUN instruction contains " + marker));
    }

    private List<String> execForm(String keyword) {
        String argument = last(keyword);
        if (argument == null || !argument.startsWith("[")) {
            throw new AssertionError(keyword + " must be in exec form (a JSON array), got: " + argument);
        }
        try {
            return new ObjectMapper().readValue(argument, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new AssertionError(keyword + " is not a JSON array of strings: " + argument, e);
        }
    }

    private String last(String keyword) {
        List<String> all = all(keyword);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private List<String> all(String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
    }
}
