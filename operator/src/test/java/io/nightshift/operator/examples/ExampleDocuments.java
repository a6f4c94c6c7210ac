package io.nightshift.operator.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every YAML document of {@code examples/}, as {@code kubectl apply -f examples/} would send them. */
final class ExampleDocuments {

    static final Path FOLDER = Path.of("../examples");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One document: which file it is in, and its content. */
    record Document(Path file, JsonNode content) {

        String kind() {
            return content.path("kind").asText();
        }

        String name() {
            return content.at("/metadata/name").asText();
        }

        @Override
        public String toString() {
            return file.getFileName() + " (" + kind() + " " + name() + ")";
        }
    }

    private ExampleDocuments() {
    }

    static List<Document> all() {
        List<Document> documents = new ArrayList<>();
        for (Path file : yamlFiles()) {
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (it.hasNext()) {
                    JsonNode content = it.next();
                    if (content != null && !content.isMissingNode() && !content.isNull()) {
                        documents.add(new Document(file, content));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return documents;
    }

    static List<Document> ofKind(String kind) {
        return all().stream().filter(d -> d.kind().equals(kind)).toList();
    }

    /** The files kubectl reads from a folder: .yaml, .yml and .json. */
    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FOLDER, e);
        }
    }
}
