package io.nightshift.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.operator.MainAccess;
import io.nightshift.operator.metrics.MetricNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the operator serves and reads is what its documentation lists. */
class OperatorDocsTest {

    private static String doc(String name) throws Exception {
        return Files.readString(Path.of("..", "docs", name));
    }

    @Test
    void everyEnvironmentVariableOfTheHelpIsInTheOperatorsSettingsTable() throws Exception {
        Matcher m = Pattern.compile("(?m)^\\s+([A-Z][A-Z0-9_]+)\\s{2,}").matcher(MainAccess.usage());
        List<String> variables = m.results().map(r -> r.group(1)).toList();
        assertThat(variables).contains("METRICS_PORT");

        String operatorDoc = doc("operator.md");
        assertThat(variables).allSatisfy(v -> assertThat(operatorDoc).as("docs/operator.md lists " + v).contains("| `" + v + "` |"));
    }

    @Test
    void everyMetricServedIsInTheMetricsTable() throws Exception {
        String observability = doc("observability.md");
        assertThat(MetricNames.ALL).allSatisfy(name -> assertThat(observability).as("docs/observability.md lists " + name)
                .containsPattern("(?m)^\\|[^\n]*`" + Pattern.quote(name) + "(\\{[a-z]+\\})?`"));
    }

    @Test
    void theJobsApisExamplesAreRowsWithTheFieldsServed() throws Exception {
        String operatorDoc = doc("operator.md");
        String section = operatorDoc.substring(operatorDoc.indexOf("### The jobs API"), operatorDoc.indexOf("### The runner pods' network"));
        assertThat(section).contains("/internal/api/v1/jobs/status").contains("/api/v1/jobs/NS/NAME/runs").contains("limit");
        List<String> examples = Pattern.compile("(?s)```json\n(.*?)```").matcher(section).results().map(r -> r.group(1)).toList();
        assertThat(examples).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        for (String example : examples) {
            JsonNode data = json.readTree(example).path("data");
            assertThat(data.isArray() && !data.isEmpty()).isTrue();
            data.forEach(row -> {
                List<String> fields = new java.util.ArrayList<>();
                row.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).containsExactly("job_name", "namespace", "status", "started_at", "completed_at", "duration_ms", "stats", "error_message");
            });
        }
    }
}
