package io.nightshift.operator.validation;

import io.nightshift.api.FieldError;
import io.nightshift.operator.resource.DatabaseRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rule of spec.database: one URL key, or all five discrete keys. The pod gets every key it is given as
 * a secretKeyRef, and the runner reads either NIGHTSHIFT_DATABASE_URL or the PG* variables, never both:
 * a field outside the chosen way would be ignored, and a partial set of discrete keys would be filled up
 * with guessed key names. Both are refused here, each naming its field.
 */
final class DatabaseKeys {

    private static final String FIELD = "spec.database.";

    private DatabaseKeys() {
    }

    static List<FieldError> check(DatabaseRef db) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> discrete = db.discreteKeys();
        List<String> set = discrete.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
        if (set.isEmpty()) {
            if (db.sslMode() != null) {
                errors.add(new FieldError(FIELD + "sslMode", "applies only to the discrete keys (PGSSLMODE); the connection comes from the URL in key '"
                        + db.urlKeyOrDefault() + "': write sslmode there, e.g. postgresql://host:5432/db?sslmode=" + db.sslMode()));
            }
            return errors;
        }
        if (db.urlKey() != null) {
            errors.add(new FieldError(FIELD + "urlKey", "set either urlKey or the discrete keys (" + String.join(", ", set)
                    + " set), not both: the runner would read only the URL"));
        }
        discrete.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).forEach(missing ->
                errors.add(new FieldError(FIELD + missing, "is required with the other discrete keys (" + String.join(", ", set)
                        + " set): set all five of hostKey, portKey, dbnameKey, userKey and passwordKey, or none to read a URL from key '"
                        + DatabaseRef.DEFAULT_URL_KEY + "'")));
        return errors;
    }
}
