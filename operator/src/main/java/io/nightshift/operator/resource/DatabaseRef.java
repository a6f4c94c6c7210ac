package io.nightshift.operator.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Where the database credentials are: a Secret in the job's namespace, read by the pod through
 * secretKeyRefs only. Either one key holding a URL ({@code urlKey}, the default, key {@code uri})
 * or discrete keys (any of the {@code *Key} fields set).
 */
@JsonClassDescription("The Secret (same namespace) holding the database connection. The operator never reads it: the pod gets its keys as secretKeyRefs. "
        + "Use urlKey for a postgresql:// URI or jdbc:postgresql: URL (CloudNativePG's uri key, a Supabase connection string), or the *Key fields for discrete keys.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseRef(
        @JsonPropertyDescription("Name of the Secret in the MaintenanceJob's namespace.")
        @Required
        @Pattern(K8sNames.DNS_SUBDOMAIN_PATTERN)
        String secretName,

        @JsonPropertyDescription("Key holding a postgresql:// URI or jdbc:postgresql: URL. Default uri (CloudNativePG's -app Secret) when no discrete key is set.")
        String urlKey,

        @JsonPropertyDescription("Key holding the host name (discrete keys). Default host.")
        String hostKey,

        @JsonPropertyDescription("Key holding the port (discrete keys). Default port.")
        String portKey,

        @JsonPropertyDescription("Key holding the database name (discrete keys). Default dbname.")
        String dbnameKey,

        @JsonPropertyDescription("Key holding the user name (discrete keys). Default username (CloudNativePG); set user for Secrets that use that key.")
        String userKey,

        @JsonPropertyDescription("Key holding the password (discrete keys). Default password.")
        String passwordKey,

        @JsonPropertyDescription("libpq sslmode for discrete keys, e.g. require or verify-full. With a URL, put sslmode in the URL.")
        @Pattern("^(disable|allow|prefer|require|verify-ca|verify-full)$")
        String sslMode) {

    public static final String DEFAULT_URL_KEY = "uri";

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
