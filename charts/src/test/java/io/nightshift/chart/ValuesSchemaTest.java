package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json: every value is declared, and a wrong one stops Helm with an error that names it. */
class ValuesSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStringForReplicasIsRefusedByName() {
        assertThatThrownBy(() -> NightshiftChart.render("replicas", "many"))
                .hasMessageContaining("/replicas")
                .hasMessageContaining("string")
                .hasMessageContaining("integer");
    }

    @Test
    void aMisspeltKeyIsRefusedByName() {
        assertThatThrownBy(() -> NightshiftChart.render("serviceMonitor.enable", "true"))
                .hasMessageContaining("/serviceMonitor")
                .hasMessageContaining("enable");
        assertThatThrownBy(() -> NightshiftChart.render("watchNamespace[0]", "team-a"))
                .hasMessageContaining("watchNamespace");
    }

    @Test
    void valuesOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> NightshiftChart.render("prometheusRule.alerts.jobFailed.severity", "page"))
                .hasMessageContaining("/prometheusRule/alerts/jobFailed/severity");
        assertThatThrownBy(() -> NightshiftChart.render("prometheusRule.alerts.jobFailingRepeatedly.consecutiveFailures", "0"))
                .hasMessageContaining("/prometheusRule/alerts/jobFailingRepeatedly/consecutiveFailures");
        assertThatThrownBy(() -> NightshiftChart.render("metrics.port", "70000"))
                .hasMessageContaining("/metrics/port");
        assertThatThrownBy(() -> NightshiftChart.render("watchNamespaces[0]", "Team_A"))
                .hasMessageContaining("/watchNamespaces/0");
        assertThatThrownBy(() -> NightshiftChart.render("prometheusRule.alerts.jobOverdue.for", "5 minutes"))
                .hasMessageContaining("/prometheusRule/alerts/jobOverdue/for");
        assertThatThrownBy(() -> NightshiftChart.render("leaderElection.enabled", "yes please"))
                .hasMessageContaining("/leaderElection/enabled");
    }

    @Test
    void everyValueInValuesYamlIsDeclaredAndDescribed() throws IOException {
        JsonNode values = YAML.readTree(NightshiftChart.DIRECTORY.resolve("values.yaml").toFile());
        JsonNode schema = JSON.readTree(NightshiftChart.DIRECTORY.resolve("values.schema.json").toFile());

        List<String> problems = new ArrayList<>();
        check(values, schema, "", problems);
        assertThat(problems).isEmpty();
        assertThat(schema.path("additionalProperties").asBoolean(true)).as("unknown top-level values are refused").isFalse();
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (!value.isObject() || !schema.has("properties")) {
            return;
        }
        if (schema.path("additionalProperties").asBoolean(true)) {
            problems.add(path + " accepts any key: a typo would pass");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + "." + field.getKey();
            JsonNode declared = schema.path("properties").path(field.getKey());
            if (declared.isMissingNode()) {
                problems.add(fieldPath + " is not declared in values.schema.json");
                continue;
            }
            if (!declared.hasNonNull("description")) {
                problems.add(fieldPath + " has no description");
            }
            check(field.getValue(), declared, fieldPath, problems);
        }
    }
}
