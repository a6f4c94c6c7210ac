package io.nightshift.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.IOException;
import java.io.UncheckedIOException;

/** MaintenanceJobs written as a user would write them, in YAML. */
public final class Fixtures {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Fixtures() {
    }

    public static MaintenanceJob job(String yaml) {
        try {
            return YAML.readValue(yaml, MaintenanceJob.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DESIGN example: log cleanup, retention of public.system_logs. */
    public static MaintenanceJob logCleanup(String namespace, String name) {
        return job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  schedule: "0 3 * * *"
                  timeZone: UTC
                  timeout: 30m
                  retries: 2
                  database:
                    secretName: app-db
                    urlKey: uri
                  task:
                    retention:
                      table: public.system_logs
                      timestampColumn: timestamp
                      olderThan: 2d
                      batchSize: 5000
                """.formatted(name, namespace));
    }
}
