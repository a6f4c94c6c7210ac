package io.nightshift.runner.tasks.partitions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a recipe in docs/job-runner.md, as a reader would copy it: the {@code sql} blocks under a heading,
 * with the example's day (2026-12-09) moved to {@code day} and the day after it, so the recipe runs today.
 */
final class DocumentedSql {

    private static final Path DOC = Path.of("../docs/job-runner.md");

    private DocumentedSql() {
    }

    static List<String> blocks(String heading, LocalDate day) {
        List<String> lines;
        try {
            lines = Files.readAllLines(DOC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalStateException(DOC + " has no heading " + heading);
        }
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (block == null && line.startsWith("#")) {
                break;
            }
            if (block == null && line.equals("```sql")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                blocks.add(block.toString().replace("2026-12-10", day.plusDays(1).toString()).replace("2026-12-09", day.toString())
                        .replace("20261209", day.toString().replace("-", "")));
                block = null;
            } else if (block != null && !line.startsWith("--")) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** The statements of a block, each on its own (for those that may not run in a transaction). */
    static List<String> statements(String block) {
        return List.of(block.split(";\n")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
