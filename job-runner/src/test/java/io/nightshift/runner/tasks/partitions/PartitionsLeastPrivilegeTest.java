package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task as the table's owner, a role that is no superuser and has no extension: it makes and drops partitions;
 * a member of the owner role may too (its partitions belong to the owner); a role that may only read and write the
 * rows is refused before anything changes, told what it lacks.
 */
@DatabaseFacing
class PartitionsLeastPrivilegeTest {

    private static final Path LEDGER_SQL = Path.of("../examples/runner/ledger.sql");
    private static final String TASK = "{\"partitions\":{\"table\":\"app.events\",\"interval\":\"1d\",\"premake\":4,\"olderThan\":\"30d\"}}";

    @TempDir
    Path dir;

    TestDatabase db;
    String owner;

    @BeforeEach
    void theOwnerMadeItsTableInItsSchema() throws Exception {
        db = TestDatabase.create();
        owner = "owner_" + db.database();
        db.execute("CREATE ROLE " + owner + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'owner-pw';"
                + "CREATE ROLE member_" + db.database() + " LOGIN NOSUPERUSER PASSWORD 'member-pw' IN ROLE " + owner + ";"
                + "CREATE ROLE writer_" + db.database() + " LOGIN NOSUPERUSER PASSWORD 'writer-pw';"
                + "CREATE SCHEMA app AUTHORIZATION " + owner + ";"
                + "SET ROLE " + owner + "; SET TimeZone = 'UTC';"
                + "CREATE TABLE app.events (id bigserial, created_at timestamptz NOT NULL, kind text, PRIMARY KEY (id, created_at))"
                + " PARTITION BY RANGE (created_at);"
                + "CREATE TABLE app.events_old PARTITION OF app.events FOR VALUES FROM (current_date - 60) TO (current_date - 59);"
                + "GRANT USAGE ON SCHEMA app TO writer_" + db.database() + ";"
                + "GRANT SELECT, INSERT ON app.events TO writer_" + db.database() + "; RESET ROLE");
        String ledger = Files.readString(LEDGER_SQL);
        for (String role : List.of(owner, "member_" + db.database(), "writer_" + db.database())) {
            db.execute(ledger.replace("nightshift_runner", role));
        }
    }

    private RunnerHarness.Outcome runAs(String role, String password) {
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("events-partitions", TASK);
        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://" + role + ":" + password + "@127.0.0.1:" + db.port() + "/" + db.database());
        return runner.run(env);
    }

    @Test
    void theTablesOwnerMakesAndDropsPartitions() throws Exception {
        RunnerHarness.Outcome out = runAs(owner, "owner-pw");

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(out.result().path("stats").path("created").asLong()).isEqualTo(5);
        assertThat(out.result().path("stats").path("dropped").asLong()).isEqualTo(1);
        assertThat(db.column("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_inherits JOIN pg_class ON oid = inhrelid"
                + " WHERE inhparent = 'app.events'::regclass")).containsExactly(owner);
        assertThat(db.column("SELECT rolsuper FROM pg_roles WHERE rolname = '" + owner + "'")).containsExactly("f");
        assertThat(db.column("SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'")).containsExactly("0");
    }

    @Test
    void aMemberOfTheOwnerRoleMakesPartitionsTheOwnerOwns() throws Exception {
        RunnerHarness.Outcome out = runAs("member_" + db.database(), "member-pw");

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(db.column("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_inherits JOIN pg_class ON oid = inhrelid"
                + " WHERE inhparent = 'app.events'::regclass")).containsExactly(owner);
    }

    @Test
    void aRoleThatMayOnlyWriteRowsIsRefusedAndToldWhatItTakes() throws Exception {
        RunnerHarness.Outcome out = runAs("writer_" + db.database(), "writer-pw");

        assertThat(out.exitCode()).as(out.log()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).contains("task.partitions.table: role writer_" + db.database()
                + " may not change the partitions of app.events: that takes the table's owner (" + owner + ") or a member of that role");
        assertThat(db.column("SELECT relname FROM pg_inherits JOIN pg_class ON oid = inhrelid WHERE inhparent = 'app.events'::regclass"))
                .containsExactly("events_old");
    }
}
