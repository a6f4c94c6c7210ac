package io.nightshift.runner.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void fourteenToEighteenAndLaterPass() {
        assertThat(ServerVersion.problem(140000, "db")).isEmpty();
        assertThat(ServerVersion.problem(150014, "db")).isEmpty();
        assertThat(ServerVersion.problem(180007, "db")).isEmpty();
        assertThat(ServerVersion.problem(190000, "db")).isEmpty();
    }

    @Test
    void anOlderServerIsNamedWithItsVersionAndTheSupportedRange() {
        assertThat(ServerVersion.problem(130023, "app@db.internal:5432/app")).contains("PostgreSQL 13.23 at app@db.internal:5432/app is not "
                + "supported: the runner needs PostgreSQL 14 or later (it is tested on 14 to 18)");
        assertThat(ServerVersion.problem(139999, "db")).isPresent();
    }

    @Test
    void versionsBeforeTenReadAsTheyWereWritten() {
        assertThat(ServerVersion.readable(90624)).isEqualTo("9.6.24");
        assertThat(ServerVersion.readable(100023)).isEqualTo("10.23");
        assertThat(ServerVersion.readable(130000)).isEqualTo("13.0");
    }
}
