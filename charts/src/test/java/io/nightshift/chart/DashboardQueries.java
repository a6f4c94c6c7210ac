package io.nightshift.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The PromQL a Grafana dashboard runs: its panels' targets and its query variables. */
final class DashboardQueries {

    private DashboardQueries() {
    }

    /** Every panel, including those inside collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** The queries of every panel and every query variable. */
    static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>(panelExpressions(dashboard));
        expressions.addAll(variableQueries(dashboard));
        return expressions;
    }

    static List<String> panelExpressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }
        return expressions;
    }

    static List<String> variableQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.add(query.isTextual() ? query.asText() : query.path("query").asText());
            }
        }
        return queries;
    }
}
