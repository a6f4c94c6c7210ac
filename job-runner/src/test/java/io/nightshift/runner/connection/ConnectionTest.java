package io.nightshift.runner.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DatabaseFacing
class ConnectionTest {

    @TempDir
    Path dir;

    @Test
    void readsSupabaseAndCloudNativePgUrisAndJdbcUrls() {
        ConnectionSettings s = ConnectionSettings.parseUrl(
                "postgresql://postgres.abcd:p%40ss%3Aword@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require");
        assertThat(s.host()).isEqualTo("aws-0-eu-central-1.pooler.supabase.com");
        assertThat(s.port()).isEqualTo(6543);
        assertThat(s.user()).isEqualTo("postgres.abcd");
        assertThat(s.password()).isEqualTo("p@ss:word");
        assertThat(s.driverProperties()).containsEntry("sslmode", "require");
        assertThat(s.toString()).doesNotContain("p@ss");

        ConnectionSettings cnpg = ConnectionSettings.parseUrl("postgresql://app:secret@cluster-rw.db.svc:5432/app");
        assertThat(cnpg.jdbcUrl()).isEqualTo("jdbc:postgresql://cluster-rw.db.svc:5432/app");

        ConnectionSettings jdbc = ConnectionSettings.parseUrl("jdbc:postgresql://db:5433/shop?user=u&password=pw");
        assertThat(jdbc.user()).isEqualTo("u");
        assertThat(jdbc.password()).isEqualTo("pw");
        assertThat(jdbc.port()).isEqualTo(5433);
    }

    @Test
    void readsTheLibpqVariables() {
        ConnectionSettings s = ConnectionSettings.fromEnvironment(Map.of("PGHOST", "db", "PGPORT", "5433", "PGDATABASE", "shop",
                "PGUSER", "app", "PGPASSWORD", "pw", "PGSSLMODE", "verify-full")::get);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/shop");
        assertThat(s.driverProperties()).containsEntry("user", "app").containsEntry("password", "pw").containsEntry("sslmode", "verify-full");
    }

    @Test
    void badSettingsAreConfigurationErrorsThatNeverShowThePassword() {
        assertThatThrownBy(() -> ConnectionSettings.fromEnvironment(Map.<String, String>of()::get))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("NIGHTSHIFT_DATABASE_URL");
        assertThatThrownBy(() -> ConnectionSettings.parseUrl("mysql://u:hunter2@db/x"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("postgresql://").hasMessageNotContaining("hunter2")
                .hasMessageContaining("scheme 'mysql'");
        assertThatThrownBy(() -> ConnectionSettings.fromEnvironment(Map.of("PGHOST", "db", "PGPORT", "99999")::get))
                .hasMessageContaining("PGPORT");
    }

    @Test
    void wrongCredentialsAreAConfigurationErrorAndThePasswordIsNeverPrinted() {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("creds", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://nobody:Sup3rSecretPw@127.0.0.1:" + db.port() + "/" + db.database());

        RunnerHarness.Outcome out = runner.run(env);

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).contains("authentication failed for user nobody");
        assertThat(out.log() + out.resultText()).doesNotContain("Sup3rSecretPw");
    }

    @Test
    void anUnreachableDatabaseIsAFailedRunWorthRetrying() {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("unreachable", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://app:Sup3rSecretPw@127.0.0.1:1/app");

        RunnerHarness.Outcome out = runner.run(env);

        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).startsWith("cannot reach the database at 127.0.0.1:1");
        assertThat(out.log() + out.resultText()).doesNotContain("Sup3rSecretPw");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("nodb", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:" + db.port() + "/no_such_db");

        RunnerHarness.Outcome out = runner.run(env);

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).contains("database \"no_such_db\" does not exist");
    }
}
