package io.nightshift.operator.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.nightshift.operator.resource.K8sNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The CRD's {@code openAPIV3Schema} checked the way the API server checks a structural schema on
 * {@code kubectl apply}: {@code required}, {@code enum}, {@code pattern}, {@code minimum}/{@code maximum}
 * and types, and unknown fields are errors (strict field validation) wherever the schema lists the
 * fields and does not say {@code x-kubernetes-preserve-unknown-fields}. {@code apiVersion}, {@code kind}
 * and {@code metadata}, which the server checks itself, are added. CEL rules
 * ({@code x-kubernetes-validations}) are not evaluated here.
 */
final class StructuralSchema {

    private static final String PRESERVE_UNKNOWN_FIELDS = "x-kubernetes-preserve-unknown-fields";
    /** Kubernetes' extensions: read here while closing the schema, or by the API server alone (CEL rules). */
    private static final Dialect OPENAPI_WITH_KUBERNETES_EXTENSIONS = Dialect.builder("urn:nightshift:openapi30-kubernetes", Dialects.getOpenApi30())
            .keyword(new NonValidationKeyword(PRESERVE_UNKNOWN_FIELDS))
            .keyword(new NonValidationKeyword("x-kubernetes-int-or-string"))
            .keyword(new NonValidationKeyword("x-kubernetes-validations"))
            .build();
    private static final List<String> SUBSCHEMA_LISTS = List.of("anyOf", "allOf", "oneOf");

    private final Schema schema;

    private StructuralSchema(Schema schema) {
        this.schema = schema;
    }

    /** The schema of the CRD's first served version. */
    static StructuralSchema fromCrd(Path crdFile) {
        try {
            JsonNode crd = ExampleDocuments.YAML.readTree(crdFile.toFile());
            JsonNode version = crd.at("/spec/versions/0");
            ObjectNode root = version.at("/schema/openAPIV3Schema").deepCopy();
            String apiVersion = crd.at("/spec/group").asText() + "/" + version.path("name").asText();
            addObjectFields(root, apiVersion, crd.at("/spec/names/kind").asText());
            closeUnlistedFields(root);
            return new StructuralSchema(SchemaRegistry.withDefaultDialect(OPENAPI_WITH_KUBERNETES_EXTENSIONS).getSchema(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + crdFile, e);
        }
    }

    /** Every problem with the resource, each naming where it is, e.g. {@code /spec/task/retention: required property 'table' not found}. */
    List<String> validate(JsonNode resource) {
        return schema.validate(resource).stream().map(Object::toString).toList();
    }

    private static void addObjectFields(ObjectNode root, String apiVersion, String kind) throws IOException {
        ObjectNode properties = (ObjectNode) root.get("properties");
        properties.set("apiVersion", ExampleDocuments.YAML.readTree("{type: string, enum: ['" + apiVersion + "']}"));
        properties.set("kind", ExampleDocuments.YAML.readTree("{type: string, enum: ['" + kind + "']}"));
        properties.set("metadata", ExampleDocuments.YAML.readTree("""
                type: object
                required: [name]
                properties:
                  name: {type: string, maxLength: 253, pattern: '%s'}
                  namespace: {type: string}
                  labels: {type: object, additionalProperties: {type: string}}
                  annotations: {type: object, additionalProperties: {type: string}}
                """.formatted(K8sNames.DNS_SUBDOMAIN_PATTERN.replace("'", "''"))));
        root.set("required", ExampleDocuments.YAML.readTree("[apiVersion, kind, metadata]"));
    }

    /** An object schema without additionalProperties or x-kubernetes-preserve-unknown-fields takes no other fields. */
    private static void closeUnlistedFields(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        boolean object = "object".equals(schema.path("type").asText()) || schema.has("properties");
        if (object && !schema.has("additionalProperties") && !schema.path(PRESERVE_UNKNOWN_FIELDS).asBoolean(false)) {
            schema.put("additionalProperties", false);
        }
        schema.path("properties").forEach(StructuralSchema::closeUnlistedFields);
        closeUnlistedFields(schema.get("items"));
        closeUnlistedFields(schema.get("additionalProperties"));
        closeUnlistedFields(schema.get("not"));
        SUBSCHEMA_LISTS.forEach(list -> schema.path(list).forEach(StructuralSchema::closeUnlistedFields));
    }
}
