package io.nightshift.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.api.FieldError;
import io.nightshift.operator.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    private static List<String> problems(String spec) {
        return SpecValidator.validate(Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: x, namespace: y}
                spec:
                %s
                """.formatted(spec.indent(2))).getSpec()).stream().map(FieldError::toString).toList();
    }

    @Test
    void theDesignExampleIsValid() {
        assertThat(SpecValidator.validate(Fixtures.logCleanup("app", "log-cleanup").getSpec())).isEmpty();
    }

    @Test
    void eachProblemNamesItsField() {
        assertThat(problems("""
                schedule: "0 3 * * *"
                timeZone: Europe/Atlantis
                database: {secretName: app-db}
                task: {sql: {statement: "SELECT 1"}}""")).containsExactly("spec.timeZone: 'Europe/Atlantis' is not an IANA time zone such as Europe/Berlin");
        assertThat(problems("""
                schedule: "0 3 * * *"
                timeout: 1 hour
                database: {secretName: app-db}
                task: {sql: {statement: "SELECT 1"}}""")).containsExactly("spec.timeout: '1 hour' is not a duration: write it like 90s, 30m, "
                + "36h, 2d or 1h30m (or \"0\" for no deadline)");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: App_DB, urlKey: uri, hostKey: host}
                task: {sql: {statement: "SELECT 1"}}"""))
                .anySatisfy(p -> assertThat(p).startsWith("spec.database.secretName: 'App_DB' is not a valid Secret name"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.database.urlKey: set either urlKey or the discrete keys"));
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: app-db}
                task: {storageCleanup: {bucket: audio, table: transcriptions, pathColumn: audio_path, timestampColumn: created_at}}"""))
                .containsExactly("spec.task.storageCleanup.secretName: is required: the name of a Secret in the same namespace");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: app-db}
                task: {}""")).singleElement().asString().startsWith("spec.task: set exactly one of");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: app-db}
                ledger: {schema: "ops; DROP", table: runs}
                task: {sql: {statement: "SELECT 1"}}""")).containsExactly("spec.ledger.schema: 'ops; DROP' is not a schema name");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: app-db}
                ledger: {keep: 12h}
                task: {sql: {statement: "SELECT 1"}}""")).containsExactly("spec.ledger.keep: '12h' is shorter than 1d: the ledger must "
                + "remember at least a day of runs (which scheduled slots are done)");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: app-db}
                ledger: {keep: 3 months}
                task: {sql: {statement: "SELECT 1"}}""")).containsExactly("spec.ledger.keep: '3 months' is not a duration: write it like "
                + "90s, 30m, 36h, 2d or 1h30m, or forever");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: app-db}
                ledger: {keep: forever}
                task: {sql: {statement: "SELECT 1"}}""")).isEmpty();
    }

    @Test
    void aPartitionsTasksStaticFieldsAreCheckedBeforeAnyRun() {
        assertThat(problems("""
                schedule: "30 0 * * *"
                database: {secretName: app-db}
                task: {partitions: {table: public.events, interval: 1d, premake: 7, olderThan: 30d, timeZone: Europe/Berlin}}""")).isEmpty();
        assertThat(problems("""
                schedule: "30 0 * * *"
                database: {secretName: app-db}
                task: {partitions: {table: public.events, interval: 2d, olderThan: 3m, detach: true, timeZone: CEST}}""")).containsExactly(
                "spec.task.partitions.interval: '2d' is not one of 1h, 1d, 1w, 1mo",
                "spec.task.partitions.olderThan: '3m' is shorter than 1h: partitions go whole, so write at least 1h (months are written "
                        + "in days, e.g. 90d, not 3m)",
                "spec.task.partitions.timeZone: 'CEST' is not an IANA time zone such as Europe/Berlin or UTC");
    }

    @Test
    void aDatabaseFieldTheRunnerWouldNotReadIsRefused() {
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: pgd, sslMode: require}
                task: {sql: {statement: "SELECT 1"}}""")).singleElement().asString()
                .startsWith("spec.database.sslMode: applies only to the discrete keys (PGSSLMODE); the connection comes from the URL in key 'uri'")
                .endsWith("?sslmode=require");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: pgd, urlKey: DATABASE_URL, sslMode: verify-full}
                task: {sql: {statement: "SELECT 1"}}""")).singleElement().asString().startsWith("spec.database.sslMode:")
                .contains("key 'DATABASE_URL'");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: pgd, urlKey: uri, hostKey: host, portKey: port, dbnameKey: dbname, userKey: user, passwordKey: password}
                task: {sql: {statement: "SELECT 1"}}""")).singleElement().asString()
                .startsWith("spec.database.urlKey: set either urlKey or the discrete keys");
    }

    @Test
    void aPartialSetOfDiscreteKeysIsRefusedNamingEachMissingOne() {
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: pgd, hostKey: PGHOST, userKey: user}
                task: {sql: {statement: "SELECT 1"}}""")).extracting(p -> p.substring(0, p.indexOf(':')))
                .containsExactly("spec.database.portKey", "spec.database.dbnameKey", "spec.database.passwordKey");
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: pgd, userKey: user}
                task: {sql: {statement: "SELECT 1"}}""")).first().asString().isEqualTo("spec.database.hostKey: is required with the other "
                + "discrete keys (userKey set): set all five of hostKey, portKey, dbnameKey, userKey and passwordKey, or none to read a URL "
                + "from key 'uri'");
    }

    @Test
    void aUrlOrAllFiveDiscreteKeysWork() {
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: pgd}
                task: {sql: {statement: "SELECT 1"}}""")).isEmpty();
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: pgd, urlKey: jdbc-uri}
                task: {sql: {statement: "SELECT 1"}}""")).isEmpty();
        assertThat(problems("""
                schedule: "0 3 * * *"
                database: {secretName: cluster-app, hostKey: host, portKey: port, dbnameKey: dbname, userKey: username, passwordKey: password,
                  sslMode: verify-full}
                task: {sql: {statement: "SELECT 1"}}""")).isEmpty();
    }

    @Test
    void aNameTheLedgerCannotHoldIsRefusedWithTheLimit() {
        assertThat(SpecValidator.validate(Fixtures.logCleanup("app", "a".repeat(100)))).isEmpty();
        assertThat(SpecValidator.validate(Fixtures.logCleanup("app", "a".repeat(101)))).singleElement().asString()
                .startsWith("metadata.name: is 101 characters long, at most 100 are allowed: each run is recorded under this name "
                        + "in the ledger's job_name (VARCHAR(100))");
    }

    @Test
    void aZeroTimeoutAsksForNoDeadline() {
        assertThat(problems("""
                schedule: "0 3 * * *"
                timeout: "0"
                database: {secretName: app-db}
                task: {sql: {statement: "SELECT 1"}}""")).isEmpty();
    }

    @Test
    void requiredPartsMissing() {
        assertThat(problems("""
                schedule: "0 3 * * *\"""")).contains("spec.database: is required: the Secret with the connection")
                .anySatisfy(p -> assertThat(p).startsWith("spec.task: is required"));
    }
}
