package io.nightshift.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

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
}
