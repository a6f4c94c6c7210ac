package io.nightshift.runner.connection;

import io.nightshift.runner.tasks.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where and as whom to connect, from {@code NIGHTSHIFT_DATABASE_URL} ({@code postgresql://} URI as
 * Supabase and CloudNativePG give it, or a {@code jdbc:postgresql:} URL) or the libpq {@code PG*}
 * variables. {@link #toString()} never shows the password.
 */
public record ConnectionSettings(String host, int port, String database, String user, String password,
        Map<String, String> parameters) {

    static final int CONNECT_TIMEOUT_SECONDS = 10;

    public ConnectionSettings {
        parameters = Map.copyOf(parameters);
    }

    /** Reads the settings from the environment; a {@link ConfigurationException} says what is missing or wrong. */
    public static ConnectionSettings fromEnvironment(Function<String, String> env) {
        String url = env.apply("NIGHTSHIFT_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return parseUrl(url.trim());
        }
        String host = env.apply("PGHOST");
        if (host == null || host.isBlank()) {
            throw new ConfigurationException("no database configured: set NIGHTSHIFT_DATABASE_URL "
                    + "(postgresql://user:password@host:5432/db) or PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String sslMode = env.apply("PGSSLMODE");
        if (sslMode != null && !sslMode.isBlank()) {
            params.put("sslmode", sslMode);
        }
        String user = env.apply("PGUSER");
        return new ConnectionSettings(host, port(env.apply("PGPORT"), "PGPORT"), orDefault(env.apply("PGDATABASE"), orDefault(user, "postgres")),
                orDefault(user, "postgres"), env.apply("PGPASSWORD"), params);
    }

    static ConnectionSettings parseUrl(String url) {
        String text = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
            throw new ConfigurationException("NIGHTSHIFT_DATABASE_URL must start with postgresql:// or jdbc:postgresql:// (got "
                    + redact(url) + ")");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("NIGHTSHIFT_DATABASE_URL is not a valid URL: " + redact(url)
                    + " (special characters in the password must be percent-encoded)");
        }
        if (uri.getHost() == null) {
            throw new ConfigurationException("NIGHTSHIFT_DATABASE_URL has no host: " + redact(url));
        }
        Map<String, String> params = query(uri.getRawQuery());
        String user = params.remove("user");
        String password = params.remove("password");
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : password;
        }
        String path = uri.getPath();
        String database = path == null || path.length() <= 1 ? orDefault(user, "postgres") : path.substring(1);
        return new ConnectionSettings(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, orDefault(user, "postgres"),
                password, params);
    }

    /** The JDBC URL, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    /** Driver properties: credentials, the URL's parameters, timeouts and the application name. */
    public Properties driverProperties() {
        Properties props = new Properties();
        parameters.forEach(props::setProperty);
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.putIfAbsent("ApplicationName", "nightshift-job-runner");
        return props;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    /** The URL with any password replaced by {@code ***}, for error messages. */
    static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isBlank()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static int port(String text, String name) {
        if (text == null || text.isBlank()) {
            return 5432;
        }
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be a port number (1-65535), got '" + text + "'");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
