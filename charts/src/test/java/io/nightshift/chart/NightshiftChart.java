package io.nightshift.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The chart in {@code charts/nightshift}, rendered and linted by Helm itself (helm-java). */
final class NightshiftChart {

    static final Path DIRECTORY = Path.of("nightshift");
    static final String RELEASE = "nightshift";
    static final String NAMESPACE = "nightshift-system";
    /** helm-java's own default (1.20) is older than the chart's kubeVersion: render for a current cluster. */
    static final String KUBERNETES_VERSION = "1.31.0";

    private NightshiftChart() {
    }

    /** {@code helm template nightshift charts/nightshift -n nightshift-system --set key=value ...}. */
    static RenderedChart render(String... keyValues) {
        return RenderedChart.parse(renderText(keyValues));
    }

    static String renderText(String... keyValues) {
        return renderTextFor(KUBERNETES_VERSION, keyValues);
    }

    static String renderTextFor(String kubernetesVersion, String... keyValues) {
        var template = new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(kubernetesVersion);
        values(keyValues).forEach(template::set);
        return template.call();
    }

    /** The NOTES.txt Helm prints after {@code helm install}, from a client-only dry run. */
    static String notes(String... keyValues) {
        var install = new Helm(DIRECTORY).install().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBERNETES_VERSION)
                .dryRun().clientOnly();
        values(keyValues).forEach(install::set);
        String output = install.call().getOutput();
        return output.substring(output.indexOf("NOTES:") + "NOTES:".length());
    }

    static LintResult lint() {
        return new Helm(DIRECTORY).lint().strict().call();
    }

    /** {@code "a.b", "1", "c", "x"} → {a.b=1, c=x}, in Helm's {@code --set} syntax. */
    static Map<String, String> values(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("values come in key, value pairs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return values;
    }
}
