package io.nightshift.operator.http;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Whether the HTTP server runs in secure mode (HTTPS, bearer tokens reviewed by the API server) and where its
 * certificate is mounted. Secure unless {@code --secure-metrics=false} or {@code METRICS_SECURE=false}; the flag
 * wins over the environment.
 *
 * @param certDirectory holds {@code tls.crt} and {@code tls.key}; null: a self-signed certificate made at start
 */
public record SecureServingSettings(boolean secure, Path certDirectory) {

    public static final String FLAG = "--secure-metrics";

    public static SecureServingSettings from(List<String> args, Function<String, String> env) {
        String secure = env.apply("METRICS_SECURE");
        String source = "METRICS_SECURE";
        for (String arg : args) {
            if (arg.equals(FLAG)) {
                secure = "true";
                source = FLAG;
            } else if (arg.startsWith(FLAG + "=")) {
                secure = arg.substring(FLAG.length() + 1);
                source = FLAG;
            }
        }
        boolean on = true;
        if (secure != null && !secure.isBlank()) {
            if (!secure.equalsIgnoreCase("true") && !secure.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(source + " must be true or false, got '" + secure + "'");
            }
            on = Boolean.parseBoolean(secure);
        }
        String certDir = env.apply("METRICS_CERT_DIR");
        return new SecureServingSettings(on, certDir == null || certDir.isBlank() ? null : Path.of(certDir));
    }

    public static boolean isFlag(String arg) {
        return arg.equals(FLAG) || arg.startsWith(FLAG + "=");
    }

    /** "HTTPS with the certificate in /etc/...", "HTTPS with a self-signed certificate", "plain HTTP". */
    public String describe() {
        if (!secure) {
            return "plain HTTP, no authentication";
        }
        return (certDirectory == null ? "HTTPS with a self-signed certificate" : "HTTPS with the certificate in " + certDirectory)
                + ", bearer tokens reviewed by the API server";
    }
}
