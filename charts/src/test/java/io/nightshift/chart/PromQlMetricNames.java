package io.nightshift.chart;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) reads, and any
 * function it calls that PromQL does not have. Every bare identifier that is neither a function, a keyword
 * nor a label name counts as a metric name, so a misspelt name, whatever its prefix, shows up here.
 *
 * @param metrics the metric names, in order of appearance
 * @param unknownFunctions identifiers called like functions that PromQL does not define
 */
record PromQlMetricNames(Set<String> metrics, Set<String> unknownFunctions) {

    private static final Set<String> FUNCTIONS = Set.of(
            "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time", "ceil", "changes",
            "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month", "day_of_week", "day_of_year",
            "days_in_month", "deg", "delta", "deriv", "double_exponential_smoothing", "exp", "floor", "histogram_avg", "histogram_count",
            "histogram_fraction", "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum", "holt_winters", "hour",
            "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log10", "log2", "mad_over_time",
            "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rad",
            "rate", "resets", "round", "scalar", "sgn", "sin", "sinh", "sort", "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt",
            "stddev_over_time", "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
            // aggregation operators
            "avg", "bottomk", "count", "count_values", "group", "limit_ratio", "limitk", "max", "min", "quantile", "stddev", "stdvar",
            "sum", "topk");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "atan2", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan");

    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\(\\s*(.*?)\\s*(?:,\\s*[a-zA-Z_]\\w*\\s*)?\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern TOKENS = Pattern.compile("(\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?(?:ms|s|m|h|d|w|y)?)|([a-zA-Z_:][a-zA-Z0-9_:]*)");

    static PromQlMetricNames in(String expression) {
        String expr = expression;
        Matcher labelValues = LABEL_VALUES.matcher(expr);
        if (labelValues.matches()) {
            // Grafana's label_values(label) has no metric; label_values(metric, label) reads one.
            expr = expression.contains(",") ? labelValues.group(1) : "";
        }
        expr = STRINGS.matcher(expr).replaceAll(" ");
        expr = LABEL_MATCHERS.matcher(expr).replaceAll(" ");
        expr = RANGES.matcher(expr).replaceAll(" ");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        expr = GRAFANA_VARIABLES.matcher(expr).replaceAll(" ");

        Set<String> metrics = new LinkedHashSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        Matcher token = TOKENS.matcher(expr);
        while (token.find()) {
            String identifier = token.group(2);
            if (identifier == null) {
                continue;
            }
            if (KEYWORDS.contains(identifier.toLowerCase())) {
                continue;
            }
            if (calledAsFunction(expr, token.end())) {
                if (!FUNCTIONS.contains(identifier)) {
                    unknown.add(identifier);
                }
            } else {
                metrics.add(identifier);
            }
        }
        return new PromQlMetricNames(Set.copyOf(metrics), Set.copyOf(unknown));
    }

    private static boolean calledAsFunction(String expr, int end) {
        int i = end;
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i < expr.length() && expr.charAt(i) == '(';
    }
}
