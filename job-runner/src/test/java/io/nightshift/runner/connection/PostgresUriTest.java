package io.nightshift.runner.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** postgresql:// URIs read as libpq reads them; no part of the user name or password in any message. */
@DatabaseFacing
class PostgresUriTest {

    @TempDir
    Path dir;

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc@def", "Xk9@fR2#qL7z", "a:b:c", "pa/ss?word", "100%sure", "plus+sign", "ünïcødé €", "#hash"})
    void aPercentEncodedPasswordIsReadBack(String password) {
        ConnectionSettings s = ConnectionSettings.parseUrl("postgresql://app:" + encode(password) + "@db.internal:5432/app");
        assertThat(s.password()).isEqualTo(password);
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.host()).isEqualTo("db.internal");
        assertThat(s.port()).isEqualTo(5432);
        assertThat(s.database()).isEqualTo("app");
        assertThat(s.toString()).doesNotContain(password);
    }

    @Test
    void likeLibpqTheFirstColonEndsTheUserNameAndPlusAndHashAreLiteral() {
        ConnectionSettings s = ConnectionSettings.parseUrl("postgresql://app:a:b+c#d@db/app?sslmode=require&application_name=x");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("a:b+c#d");
        assertThat(s.driverProperties()).containsEntry("sslmode", "require");
        ConnectionSettings v6 = ConnectionSettings.parseUrl("postgresql://u:p@[::1]:6543/d");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(6543);
        assertThat(v6.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6543/d");
        ConnectionSettings user = ConnectionSettings.parseUrl("postgresql://myuser%40myserver:pw@db.postgres.database.azure.com/d");
        assertThat(user.user()).isEqualTo("myuser@myserver");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://app:abc@def@db.internal:5432/app",
        "postgresql://app:Xk9@fR2#qL7z@db.internal:5432/app",
        "postgresql://app:kq/zv@db.internal:5432/app",
        "postgresql://app:50%off@db.internal:5432/app",
        "postgresql://app:kq?zv@db.internal:5432/app",
        "postgresql://app:secretpw@:5432/app",
    })
    void anAmbiguousUriIsRefusedSayingHowToEncodeWithoutShowingAnyOfTheUserInfo(String uri) {
        assertThatThrownBy(() -> ConnectionSettings.parseUrl(uri))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("NIGHTSHIFT_DATABASE_URL")
                .satisfies(e -> {
                    String userInfo = uri.substring("postgresql://".length(), uri.lastIndexOf('@'));
                    for (String part : userInfo.split("[:@/?#%]")) {
                        if (part.length() >= 2) {
                            assertThat(e.getMessage()).doesNotContain(part);
                        }
                    }
                });
    }

    @Test
    void theAmbiguousAtSaysToWriteItAsPercent40() {
        assertThatThrownBy(() -> ConnectionSettings.parseUrl("postgresql://app:abc@def@db.internal:5432/app"))
                .hasMessageContaining("'@' as %40");
        assertThatThrownBy(() -> ConnectionSettings.parseUrl("postgresql://app:50%off@db/app")).hasMessageContaining("'%' as %25");
    }

    @Test
    void theRunnerConnectsWithAPasswordFullOfSpecialCharactersAndNeverPrintsIt() {
        TestDatabase db = TestDatabase.create();
        String password = "Xk9@fR2#q:L7/z%41?";
        db.execute("DROP ROLE IF EXISTS odd_password; CREATE ROLE odd_password LOGIN PASSWORD '" + password + "';"
                + "GRANT CREATE ON SCHEMA public TO odd_password; GRANT CREATE ON DATABASE " + db.database() + " TO odd_password");
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("odd-password", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        String base = "@127.0.0.1:" + db.port() + "/" + db.database();
        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://odd_password:" + encode(password) + base);

        RunnerHarness.Outcome ok = runner.run(env);

        assertThat(ok.exitCode()).isZero();
        assertThat(ok.log() + ok.resultText()).doesNotContain("Xk9").doesNotContain("fR2").doesNotContain("L7");

        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://odd_password:" + password + base);
        RunnerHarness.Outcome refused = runner.run(env);

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.result().path("error").asText()).contains("%40");
        assertThat(refused.log() + refused.resultText()).doesNotContain("Xk9").doesNotContain("fR2").doesNotContain("L7");
    }
}
