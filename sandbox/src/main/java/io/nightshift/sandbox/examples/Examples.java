package io.nightshift.sandbox.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The MaintenanceJobs and Secrets of the {@code examples/} folder, read as {@code kubectl apply -f examples/} would. */
public record Examples(List<MaintenanceJob> jobs, List<Secret> secrets, Path schemaSql) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static Examples load(Path folder) throws IOException {
        List<MaintenanceJob> jobs = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc == null || doc.isNull() || doc.isEmpty()) {
                        continue;
                    }
                    switch (doc.path("kind").asText()) {
                        case "MaintenanceJob" -> jobs.add(YAML.treeToValue(doc, MaintenanceJob.class));
                        case "Secret" -> secrets.add(YAML.treeToValue(doc, Secret.class));
                        default -> throw new IOException(file + ": unexpected kind " + doc.path("kind").asText());
                    }
                }
            }
        }
        return new Examples(jobs, secrets, folder.resolve("schema.sql"));
    }
}
