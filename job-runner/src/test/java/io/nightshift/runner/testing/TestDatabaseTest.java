package io.nightshift.runner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

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
}
