package io.nightshift.runner.tasks.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * In a database whose timezone is not UTC, a retention deletes exactly what the plain statement a DBA
 * would write in a psql session deletes, for every timestamp type and precision ORMs create.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class TimeZoneCutoffTest {

    @Parameter
    ConnectionTarget target;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeParameterizedClassInvocation
    static void database() {
        db = TestDatabase.create();
        db.execute("ALTER DATABASE " + db.database() + " SET timezone = 'America/New_York';"
                + "CREATE DOMAIN created_time AS timestamp(3) NOT NULL");
    }

    /** A count in a session like psql's: the database's zone, not the JVM's. */
    private static long plainCount(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'America/New_York'");
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * One row every 10 minutes over 10 days, written as the app would write them in the database's zone.
     * Five minutes off the marks, so no row sits at the 5-day boundary: a type rounded to whole seconds
     * would move such a row across it between the expected count and the run.
     */
    private static void table(String name, String type) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'America/New_York'");
            st.execute("CREATE TABLE " + name + " (id serial PRIMARY KEY, at " + type + ");"
                    + "INSERT INTO " + name + " (at) SELECT (now() - interval '5 minutes' - g * interval '10 minutes')::" + type
                    + " FROM generate_series(0, 1439) g");
        }
    }

    @ParameterizedTest
    @CsvSource({
            "ts_plain, timestamp",
            "ts_zero, timestamp(0)",
            "ts_prisma, timestamp(3)",
            "ts_rails, timestamp(6)",
            "tstz, timestamptz",
            "tstz_zero, timestamptz(0)",
            "ts_domain, created_time"})
    void deletesWhatThePlainDeleteWouldDelete(String name, String type) throws Exception {
        table(name, type);
        long expectedLeft = plainCount("SELECT count(*) FROM " + name + " WHERE NOT (at < now() - interval '5 days')");
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        RunnerHarness.Outcome out = runner.run(runner.env("tz-" + name.replace('_', '-'),
                "{\"retention\":{\"table\":\"" + name + "\",\"timestampColumn\":\"at\",\"olderThan\":\"5d\"}}"));

        assertThat(out.exitCode()).isZero();
        assertThat(plainCount("SELECT count(*) FROM " + name)).isEqualTo(expectedLeft);
        assertThat(plainCount("SELECT count(*) FROM " + name + " WHERE at < now() - interval '5 days'")).isZero();
    }

    @ParameterizedTest
    @CsvSource({"days, date"})
    void aDateColumnKeepsTheCutoffDay(String name, String type) throws Exception {
        table(name, type);
        long expectedLeft = plainCount("SELECT count(*) FROM " + name + " WHERE at >= (now() - interval '5 days')::date");
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        RunnerHarness.Outcome out = runner.run(runner.env("dates",
                "{\"retention\":{\"table\":\"" + name + "\",\"timestampColumn\":\"at\",\"olderThan\":\"5d\"}}"));

        assertThat(out.exitCode()).isZero();
        assertThat(plainCount("SELECT count(*) FROM " + name)).isEqualTo(expectedLeft);
        assertThat(plainCount("SELECT count(*) FROM " + name + " WHERE at = (now() - interval '5 days')::date")).as("the cutoff day stays")
                .isPositive();
    }

    @ParameterizedTest
    @CsvSource({"ts_tokyo, timestamp(3)"})
    void aTaskMayNameTheZoneOfItsWallClockValues(String name, String type) throws Exception {
        db.execute("CREATE TABLE " + name + " (id serial PRIMARY KEY, at " + type + ");"
                + "INSERT INTO " + name + " (at) SELECT ((now() - g * interval '10 minutes') AT TIME ZONE 'Asia/Tokyo')::" + type
                + " FROM generate_series(0, 1439) g");
        long expectedLeft = plainCount("SELECT count(*) FROM " + name + " WHERE NOT (at < (now() - interval '5 days') AT TIME ZONE 'Asia/Tokyo')");
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        RunnerHarness.Outcome out = runner.run(runner.env("tokyo",
                "{\"retention\":{\"table\":\"" + name + "\",\"timestampColumn\":\"at\",\"olderThan\":\"5d\",\"timeZone\":\"Asia/Tokyo\"}}"));

        assertThat(out.exitCode()).isZero();
        assertThat(plainCount("SELECT count(*) FROM " + name)).isEqualTo(expectedLeft);
    }
}
