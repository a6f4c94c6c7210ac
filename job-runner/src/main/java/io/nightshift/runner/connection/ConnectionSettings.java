package io.nightshift.runner.connection;

import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.tasks.ConfigurationException;
import java.net.URLEncoder;
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
    /**
     * pgjdbc turns a statement run this many times into a named server-side prepared statement; through a
     * transaction-mode pooler the next transaction may reach a server connection that has no such statement,
     * or already has one of that name. At 0 every statement stays unnamed.
     */
    static final String PREPARE_THRESHOLD = "prepareThreshold";

    public ConnectionSettings {
        parameters = Map.copyOf(parameters);
        refuseNamedStatements(parameters);
    }

    /** Reads the settings from the environment; a {@link ConfigurationException} says what is missing or wrong. */
    public static ConnectionSettings fromEnvironment(Function<String, String> env) {
        String url = env.apply(RunnerEnvironment.DATABASE_URL);
        if (url != null && !url.isBlank()) {
            return parseUrl(url.trim());
        }
        String host = env.apply(RunnerEnvironment.PGHOST);
        if (host == null || host.isBlank()) {
            throw new ConfigurationException("no database configured: set " + RunnerEnvironment.DATABASE_URL
                    + " (postgresql://user:password@host:5432/db) or " + String.join(", ", RunnerEnvironment.PGHOST, RunnerEnvironment.PGPORT,
                    RunnerEnvironment.PGDATABASE, RunnerEnvironment.PGUSER, RunnerEnvironment.PGPASSWORD));
        }
        Map<String, String> params = new LinkedHashMap<>();
        String sslMode = env.apply(RunnerEnvironment.PGSSLMODE);
        if (sslMode != null && !sslMode.isBlank()) {
            params.put("sslmode", sslMode);
        }
        String user = env.apply(RunnerEnvironment.PGUSER);
        return new ConnectionSettings(host, port(env.apply(RunnerEnvironment.PGPORT), RunnerEnvironment.PGPORT),
                orDefault(env.apply(RunnerEnvironment.PGDATABASE), orDefault(user, "postgres")),
                orDefault(user, "postgres"), env.apply(RunnerEnvironment.PGPASSWORD), params);
    }

    static ConnectionSettings parseUrl(String url) {
        String text = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
            int colon = url.indexOf(':');
            String scheme = colon > 0 && colon < 20 && url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*") ? url.substring(0, colon) : null;
            throw new ConfigurationException(PostgresUri.FIELD + " must start with postgresql:// or jdbc:postgresql:// (got "
                    + (scheme == null ? "something else" : "a URL of scheme '" + scheme + "'") + ")");
        }
        PostgresUri uri = PostgresUri.parse(text);
        Map<String, String> params = new LinkedHashMap<>(uri.parameters());
        String fromQueryUser = params.remove("user");
        String fromQueryPassword = params.remove("password");
        String user = uri.user() != null && !uri.user().isEmpty() ? uri.user() : fromQueryUser;
        String password = uri.password() != null ? uri.password() : fromQueryPassword;
        String database = uri.database() != null ? uri.database() : params.remove("dbname");
        params.remove("dbname");
        return new ConnectionSettings(uri.host(), uri.port() == null ? 5432 : uri.port(), orDefault(database, orDefault(user, "postgres")),
                orDefault(user, "postgres"), password, params);
    }

    /** The JDBC URL, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
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
        props.setProperty(PREPARE_THRESHOLD, "0");
        // Sends the application name and float format in the startup packet (which poolers keep per client)
        // instead of as SETs after login (which a transaction-mode pooler leaves on one server connection).
        props.putIfAbsent("assumeMinServerVersion", String.valueOf(ServerVersion.OLDEST_SUPPORTED));
        return props;
    }

    /**
     * Named server-side prepared statements do not survive a transaction-mode pooler (PgBouncer before
     * 1.21, Supabase's pooler on 6543): the runner never uses them, and a URL that asks for them is refused.
     */
    private static void refuseNamedStatements(Map<String, String> parameters) {
        parameters.forEach((name, value) -> {
            if (name.equalsIgnoreCase(PREPARE_THRESHOLD) && !value.trim().equals("0")) {
                throw new ConfigurationException(PostgresUri.FIELD + ": " + PREPARE_THRESHOLD + "=" + value
                        + " is not supported: the runner uses no named server-side prepared statements, so that it works through "
                        + "transaction-mode poolers (PgBouncer, Supabase's pooler on port 6543); remove the parameter or set it to 0");
            }
        });
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
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

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
