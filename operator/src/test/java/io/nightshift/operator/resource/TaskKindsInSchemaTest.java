package io.nightshift.operator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.nightshift.api.FieldError;
import io.nightshift.api.SqlTask;
import io.nightshift.api.Task;
import io.nightshift.api.TaskKinds;
import io.nightshift.api.TaskParameters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRD's task schema follows the registered kinds: a kind registered in one place is named in the rule and the descriptions. */
class TaskKindsInSchemaTest {

    record Probe(String target) implements TaskParameters {
        @Override
        public List<FieldError> validate(String prefix) {
            return List.of();
        }
    }

    /** A task language with a kind registered only here. */
    record ProbeTask(SqlTask sql, Probe probe) {
    }

    @Test
    void theRuleNamesEachRegisteredKindAndSaysWhatValidationSays() {
        ValidationRule rule = TaskKindsInSchema.exactlyOneRule(TaskKinds.of(ProbeTask.class));

        assertThat(rule.getRule()).isEqualTo("[has(self.sql), has(self.probe)].filter(x, x).size() == 1");
        assertThat(rule.getMessage()).isEqualTo("set exactly one of sql, probe");
    }

    @Test
    void theGeneratedCrdListsExactlyTheKindsOfTheTaskLanguage() throws Exception {
        JsonNode schema = new ObjectMapper(new YAMLFactory()).readTree(CrdTest.CHECKED_IN.toFile())
                .at("/spec/versions/0/schema/openAPIV3Schema/properties");
        JsonNode task = schema.at("/spec/properties/task");
        List<String> properties = new ArrayList<>();
        task.path("properties").fieldNames().forEachRemaining(properties::add);

        assertThat(properties).containsExactlyInAnyOrderElementsOf(Task.KINDS.names());
        ValidationRule rule = TaskKindsInSchema.exactlyOneRule(Task.KINDS);
        assertThat(task.at("/x-kubernetes-validations/0/rule").asText()).isEqualTo(rule.getRule());
        assertThat(task.at("/x-kubernetes-validations/0/message").asText()).isEqualTo(rule.getMessage());
        for (String kind : Task.KINDS.names()) {
            assertThat(task.path("description").asText()).contains(kind);
            assertThat(schema.at("/status/properties/task/description").asText()).contains(kind);
        }
    }
}
