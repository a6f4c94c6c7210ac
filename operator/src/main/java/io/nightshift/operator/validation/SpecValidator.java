package io.nightshift.operator.validation;

import io.nightshift.api.FieldError;
import io.nightshift.api.SecretReference;
import io.nightshift.api.Task;
import io.nightshift.operator.resource.DatabaseRef;
import io.nightshift.operator.resource.K8sNames;
import io.nightshift.operator.resource.LedgerRef;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import io.nightshift.operator.schedule.CronSchedule;
import io.nightshift.api.Identifiers;
import io.nightshift.api.LedgerKeep;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the CRD schema cannot check: the schedule, the time zone, durations, the task's parameters
 * and the Secret references. An empty list means the spec can be turned into a CronJob.
 */
public final class SpecValidator {

    /** The JDK copies its set of zone IDs on every call. */
    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final Pattern SECRET_NAME = Pattern.compile(K8sNames.DNS_SUBDOMAIN_PATTERN);
    private static final Pattern SECRET_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");

    /**
     * The longest MaintenanceJob name: each run is recorded under it in the ledger's {@code job_name
     * VARCHAR(100)}, and the runner refuses a longer one (exit code 2) rather than cut it.
     */
    public static final int MAX_NAME_LENGTH = 100;

    private SpecValidator() {
    }

    /** The resource: its name (which the runner records runs under) and its spec. */
    public static List<FieldError> validate(MaintenanceJob job) {
        List<FieldError> errors = new ArrayList<>();
        String name = job.getMetadata() == null ? null : job.getMetadata().getName();
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("metadata.name", "is " + name.length() + " characters long, at most " + MAX_NAME_LENGTH
                    + " are allowed: each run is recorded under this name in the ledger's job_name (VARCHAR(" + MAX_NAME_LENGTH
                    + ")), and the runner refuses a longer one; give the MaintenanceJob a shorter name"));
        }
        errors.addAll(validate(job.getSpec()));
        return errors;
    }

    public static List<FieldError> validate(MaintenanceJobSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec == null) {
            errors.add(new FieldError("spec", "is required"));
            return errors;
        }
        try {
            CronSchedule.parse(spec.schedule());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("spec.schedule", e.getMessage()));
        }
        if (spec.timeZone() != null) {
            try {
                ZoneId zone = ZoneId.of(spec.timeZone());
                if (!ZONES.contains(zone.getId()) && !"UTC".equals(zone.getId())) {
                    errors.add(new FieldError("spec.timeZone", "'" + spec.timeZone() + "' is not an IANA time zone such as Europe/Berlin"));
                }
            } catch (DateTimeException e) {
                errors.add(new FieldError("spec.timeZone", "'" + spec.timeZone() + "' is not an IANA time zone such as Europe/Berlin"));
            }
        }
        try {
            spec.timeoutOrDefault();
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("spec.timeout", e.getMessage() + " (or \"0\" for no deadline)"));
        }
        nonNegative(errors, "spec.startingDeadlineSeconds", spec.startingDeadlineSeconds());
        nonNegative(errors, "spec.retries", spec.retries() == null ? null : spec.retries().longValue());
        nonNegative(errors, "spec.successfulJobsHistoryLimit", spec.successfulJobsHistoryLimit() == null ? null : spec.successfulJobsHistoryLimit().longValue());
        nonNegative(errors, "spec.failedJobsHistoryLimit", spec.failedJobsHistoryLimit() == null ? null : spec.failedJobsHistoryLimit().longValue());
        database(errors, spec.database());
        ledger(errors, spec.ledger());
        if (spec.task() == null) {
            errors.add(new FieldError("spec.task", "is required: one of " + String.join(", ", Task.KINDS.names())));
        } else {
            errors.addAll(spec.task().validate("spec.task"));
            secrets(errors, spec.task());
        }
        return errors;
    }

    private static void database(List<FieldError> errors, DatabaseRef db) {
        if (db == null) {
            errors.add(new FieldError("spec.database", "is required: the Secret with the connection"));
            return;
        }
        secretName(errors, "spec.database.secretName", db.secretName());
        key(errors, "spec.database.urlKey", db.urlKey());
        db.discreteKeys().forEach((field, key) -> key(errors, "spec.database." + field, key));
        errors.addAll(DatabaseKeys.check(db));
    }

    private static void ledger(List<FieldError> errors, LedgerRef ledger) {
        if (ledger == null) {
            return;
        }
        if (ledger.schema() != null && !Identifiers.isName(ledger.schema())) {
            errors.add(new FieldError("spec.ledger.schema", "'" + ledger.schema() + "' is not a schema name"));
        }
        if (ledger.table() != null && !Identifiers.isName(ledger.table())) {
            errors.add(new FieldError("spec.ledger.table", "'" + ledger.table() + "' is not a table name"));
        }
        if (ledger.keep() != null) {
            try {
                LedgerKeep.parse(ledger.keep());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("spec.ledger.keep", e.getMessage()));
            }
        }
    }

    private static void secrets(List<FieldError> errors, Task task) {
        for (SecretReference secret : task.secrets()) {
            secretName(errors, "spec.task." + secret.field(), secret.secretName());
        }
    }

    private static void secretName(List<FieldError> errors, String field, String name) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError(field, "is required: the name of a Secret in the same namespace"));
        } else if (name.length() > 253 || !SECRET_NAME.matcher(name).matches()) {
            errors.add(new FieldError(field, "'" + name + "' is not a valid Secret name (lower-case letters, digits, '-' and '.')"));
        }
    }

    private static void key(List<FieldError> errors, String field, String key) {
        if (key != null && (key.length() > 253 || !SECRET_KEY.matcher(key).matches())) {
            errors.add(new FieldError(field, "'" + key + "' is not a valid Secret key (letters, digits, '-', '_' and '.')"));
        }
    }

    private static void nonNegative(List<FieldError> errors, String field, Long value) {
        if (value != null && value < 0) {
            errors.add(new FieldError(field, "must be 0 or more, got " + value));
        }
    }
}
