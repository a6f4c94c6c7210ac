package io.nightshift.operator.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the database credentials are: a Secret in the job's namespace, read by the pod through
 * secretKeyRefs only. Either one key holding a URL ({@code urlKey}, the default, key {@code uri})
 * or discrete keys: all five {@code *Key} fields, plus {@code sslMode}. The validator refuses a mix,
 * a partial set and {@code sslMode} with a URL, so that no field that is set goes unused.
 */
@JsonClassDescription("The Secret (same namespace) holding the database connection, in one of two ways. A URL: one key with a postgresql:// URI "
        + "or jdbc:postgresql: URL (urlKey, default uri: CloudNativePG's -app Secret, a Supabase connection string); sslmode goes in the URL. "
        + "Or discrete keys: all five of hostKey, portKey, dbnameKey, userKey and passwordKey, plus sslMode if wanted. "
        + "A mix, a partial set of the five, or sslMode with a URL is refused (Ready=False, InvalidSpec). "
        + "The operator never reads the Secret: the pod gets its keys as secretKeyRefs, and a key missing from the Secret keeps the pod from starting.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseRef(
        @JsonPropertyDescription("Name of the Secret in the MaintenanceJob's namespace.")
        @Required
        @Pattern(K8sNames.DNS_SUBDOMAIN_PATTERN)
        String secretName,

        @JsonPropertyDescription("Key holding a postgresql:// URI or jdbc:postgresql: URL (NIGHTSHIFT_DATABASE_URL), sslmode included. "
                + "Default uri (CloudNativePG's -app Secret). Not with the discrete keys.")
        String urlKey,

        @JsonPropertyDescription("Discrete keys: key holding the host name (PGHOST), e.g. host. Set all five *Key fields or none.")
        String hostKey,

        @JsonPropertyDescription("Discrete keys: key holding the port (PGPORT), e.g. port. Set all five *Key fields or none.")
        String portKey,

        @JsonPropertyDescription("Discrete keys: key holding the database name (PGDATABASE), e.g. dbname. Set all five *Key fields or none.")
        String dbnameKey,

        @JsonPropertyDescription("Discrete keys: key holding the user name (PGUSER), e.g. username (CloudNativePG) or user. Set all five *Key fields or none.")
        String userKey,

        @JsonPropertyDescription("Discrete keys: key holding the password (PGPASSWORD), e.g. password. Set all five *Key fields or none.")
        String passwordKey,

        @JsonPropertyDescription("libpq sslmode with the discrete keys only (PGSSLMODE), e.g. require or verify-full; default prefer. "
                + "With a URL, write it in the URL (?sslmode=require): set here, it is refused.")
        @Pattern("^(disable|allow|prefer|require|verify-ca|verify-full)$")
        String sslMode) {

    public static final String DEFAULT_URL_KEY = "uri";

    /** The discrete key fields by name, in the order the docs list them; a value is null when not set. */
    public Map<String, String> discreteKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("hostKey", hostKey);
        keys.put("portKey", portKey);
        keys.put("dbnameKey", dbnameKey);
        keys.put("userKey", userKey);
        keys.put("passwordKey", passwordKey);
        return keys;
    }

    /** True when the connection comes from discrete keys rather than one URL. */
    public boolean usesDiscreteKeys() {
        return hostKey != null || portKey != null || dbnameKey != null || userKey != null || passwordKey != null;
    }

    public String urlKeyOrDefault() {
        return urlKey == null ? DEFAULT_URL_KEY : urlKey;
    }

    public String hostKeyOrDefault() {
        return hostKey == null ? "host" : hostKey;
    }

    public String portKeyOrDefault() {
        return portKey == null ? "port" : portKey;
    }

    public String dbnameKeyOrDefault() {
        return dbnameKey == null ? "dbname" : dbnameKey;
    }

    public String userKeyOrDefault() {
        return userKey == null ? "username" : userKey;
    }

    public String passwordKeyOrDefault() {
        return passwordKey == null ? "password" : passwordKey;
    }
}
