package io.nightshift.operator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked-in CRD is the one the build generates, and its schema is useful to kubectl explain and to validation. */
class CrdTest {

    static final Path CHECKED_IN = Path.of("../crds/maintenancejobs.nightshift.io-v1.yml");
    private static final Path GENERATED = Path.of("target/generated-crds/maintenancejobs.nightshift.io-v1.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theCheckedInCrdIsTheGeneratedOne() throws Exception {
        assertThat(Files.readString(CHECKED_IN))
                .as("crds/ is stale: refresh it with  mvn -pl operator -am process-classes -Pupdate-crds  and commit it")
                .isEqualTo(Files.readString(GENERATED));
    }

    @Test
    void theResourceIsNamespacedWithShortNameStatusAndPrinterColumns() throws Exception {
        JsonNode crd = YAML.readTree(CHECKED_IN.toFile());
        assertThat(crd.at("/spec/group").asText()).isEqualTo("nightshift.io");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("mj");
        JsonNode version = crd.at("/spec/versions/0");
        assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
        assertThat(version.at("/subresources/status").isObject()).isTrue();
    }

    @Test
    void kubectlGetShowsTheColumnsLikeACronJobWithAgeLastAndReadableTimes() throws Exception {
        JsonNode version = YAML.readTree(CHECKED_IN.toFile()).at("/spec/versions/0");
        List<String> columns = new ArrayList<>();
        version.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText() + ":" + c.path("type").asText()));
        // A date column renders a future time as <invalid>: the next run is shown as its RFC 3339 string.
        assertThat(columns).containsExactly("Schedule:string", "Suspended:boolean", "Task:string", "Last Result:string", "Last Run:date",
                "Next Run:string", "Age:date");
        assertThat(version.path("additionalPrinterColumns").get(6).path("jsonPath").asText()).isEqualTo(".metadata.creationTimestamp");
        // The API server fills in the default, so SUSPENDED reads false rather than blank.
        assertThat(version.at("/schema/openAPIV3Schema/properties/spec/properties/suspend/default").isBoolean()).isTrue();
        assertThat(version.at("/schema/openAPIV3Schema/properties/spec/properties/suspend/default").asBoolean()).isFalse();
    }

    @Test
    void theSchemaValidatesAndDescribesEveryFieldOfOurOwn() throws Exception {
        JsonNode spec = YAML.readTree(CHECKED_IN.toFile()).at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        assertThat(spec.path("required")).extracting(JsonNode::asText).contains("schedule", "database", "task");
        assertThat(spec.at("/properties/concurrencyPolicy/enum")).extracting(JsonNode::asText).containsExactly("Allow", "Forbid", "Replace");
        assertThat(spec.at("/properties/timeout/pattern").asText()).isNotEmpty();
        assertThat(spec.at("/properties/timeout/default").asText()).as("kubectl explain and the API server show the default").isEqualTo("1h");
        assertThat(spec.at("/properties/timeout/description").asText()).contains("Default 1h").contains("\"0\" means no deadline");
        assertThat(spec.at("/properties/startingDeadlineSeconds/minimum").asInt()).isZero();
        assertThat(spec.at("/properties/task/properties/retention/properties/table/pattern").asText()).isNotEmpty();
        assertThat(spec.at("/properties/task/properties/retention/required")).extracting(JsonNode::asText)
                .contains("table", "timestampColumn", "olderThan");
        assertThat(spec.at("/properties/task/x-kubernetes-validations/0/rule").asText()).contains("size() == 1");

        List<String> undescribed = new ArrayList<>();
        for (String own : List.of("schedule", "timeZone", "suspend", "concurrencyPolicy", "startingDeadlineSeconds", "timeout", "retries",
                "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "database", "ledger", "task", "image", "imagePullPolicy",
                "resources", "serviceAccountName", "nodeSelector", "tolerations", "affinity", "labels", "annotations")) {
            collectUndescribed(spec.at("/properties/" + own), "spec." + own, own.equals("resources") || own.equals("tolerations")
                    || own.equals("affinity"), undescribed);
        }
        JsonNode status = YAML.readTree(CHECKED_IN.toFile()).at("/spec/versions/0/schema/openAPIV3Schema/properties/status");
        for (Iterator<Map.Entry<String, JsonNode>> it = status.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            collectUndescribed(field.getValue(), "status." + field.getKey(), field.getKey().equals("conditions"), undescribed);
        }
        assertThat(undescribed).as("fields without a description").isEmpty();
    }

    /** Our own fields must be described; for Kubernetes' own types (resources, affinity, ...) the top field is enough. */
    private static void collectUndescribed(JsonNode node, String path, boolean topOnly, List<String> out) {
        if (!node.has("description")) {
            out.add(path);
        }
        if (topOnly) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            collectUndescribed(field.getValue(), path + "." + field.getKey(), false, out);
        }
        // A list's items are described by the list; the fields of object items need descriptions of their own.
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("items").path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            collectUndescribed(field.getValue(), path + "[]." + field.getKey(), false, out);
        }
    }
}
