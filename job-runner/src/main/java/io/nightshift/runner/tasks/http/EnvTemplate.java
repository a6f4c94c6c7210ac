package io.nightshift.runner.tasks.http;

import io.nightshift.runner.tasks.ConfigurationException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${NAME}} in a URL or header value, replaced by the environment variable NAME (a Secret's key). */
final class EnvTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvTemplate() {
    }

    static String expand(String text, String field, Function<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                throw new ConfigurationException(field + ": ${" + m.group(1) + "} is not set (a key of the Secret named by headersSecretName?)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
