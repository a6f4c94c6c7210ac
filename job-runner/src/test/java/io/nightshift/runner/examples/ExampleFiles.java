package io.nightshift.runner.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of {@code examples/}: the schema, and each MaintenanceJob's {@code spec.task} as the runner receives it. */
final class ExampleFiles {

    private static final Path EXAMPLES = Path.of("../examples");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ExampleFiles() {
    }

    static String schemaSql() {
        return read(EXAMPLES.resolve("schema.sql"));
    }

    /** {@code spec.task} of {@code examples/<job>.yaml}, as JSON: the runner's NIGHTSHIFT_TASK. */
    static String taskJson(String job) {
        return task(job).toString();
    }

    /** The same task with one more parameter set, e.g. a stand-in service's base URL. */
    static String taskJson(String job, String field, String value) {
        ObjectNode task = task(job).deepCopy();
        ((ObjectNode) task.elements().next()).put(field, value);
        return task.toString();
    }

    private static JsonNode task(String job) {
        try {
            JsonNode task = YAML.readTree(EXAMPLES.resolve(job + ".yaml").toFile()).at("/spec/task");
            if (!task.isObject() || task.size() != 1) {
                throw new IllegalStateException("examples/" + job + ".yaml has no spec.task of one kind");
            }
            return task;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
