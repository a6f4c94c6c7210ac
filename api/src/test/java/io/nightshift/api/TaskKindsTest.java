package io.nightshift.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A task kind is one component of the task record: the list of kinds, validation and the Secrets a task reads follow from it. */
class TaskKindsTest {

    /** A kind registered only here, in {@link ProbeTask}: one required field and a Secret whose key {@code token} becomes PROBE_TOKEN. */
    record Probe(String target, String secretName) implements TaskParameters {

        @Override
        public List<FieldError> validate(String prefix) {
            Checks c = new Checks(prefix);
            c.required("target", target);
            return c.errors();
        }

        @Override
        public List<SecretReference> secrets() {
            return List.of(SecretReference.keys("secretName", secretName, new SecretReference.Key("token", "PROBE_TOKEN")));
        }
    }

    /** A task language with one kind more than nothing else knows. */
    record ProbeTask(SqlTask sql, Probe probe) {
    }

    record NotATask(SqlTask sql, String name) {
    }

    record TwiceTheSameKind(SqlTask sql, SqlTask otherSql) {
    }

    private static final TaskKinds<ProbeTask> KINDS = TaskKinds.of(ProbeTask.class);
    private static final SqlTask SQL = new SqlTask("SELECT 1", null, null, null, null, null);

    @Test
    void aKindRegisteredInOnePlaceIsListedAndNamedInTheRule() {
        assertThat(KINDS.names()).containsExactly("sql", "probe");
        assertThat(KINDS.all()).extracting(TaskKind::parameters).containsExactly(SqlTask.class, Probe.class);
        assertThat(KINDS.exactlyOne()).isEqualTo("set exactly one of sql, probe");
    }

    @Test
    void aKindRegisteredInOnePlaceIsValidatedUnderItsName() {
        assertThat(KINDS.validate(new ProbeTask(null, new Probe(" ", "probe-secret")), "spec.task"))
                .containsExactly(new FieldError("spec.task.probe.target", "is required"));
        assertThat(KINDS.validate(new ProbeTask(null, new Probe("x", "probe-secret")), "spec.task")).isEmpty();
        assertThat(KINDS.validate(new ProbeTask(SQL, new Probe("x", null)), "spec.task"))
                .containsExactly(new FieldError("spec.task", "set exactly one of sql, probe (found sql, probe)"));
        assertThat(KINDS.validate(new ProbeTask(null, null), "spec.task"))
                .containsExactly(new FieldError("spec.task", "set exactly one of sql, probe (found none)"));
    }

    @Test
    void theSecretsOfAKindRegisteredInOnePlaceAreFound() {
        Probe probe = new Probe("x", "probe-secret");
        assertThat(KINDS.secrets(new ProbeTask(null, probe))).containsExactly(
                new SecretReference("probe.secretName", "probe-secret", List.of(new SecretReference.Key("token", "PROBE_TOKEN"))));
        assertThat(KINDS.secrets(new ProbeTask(SQL, null))).isEmpty();
        assertThat(KINDS.kind(new ProbeTask(null, probe)).map(TaskKind::name)).contains("probe");
        assertThat(KINDS.parameters(new ProbeTask(null, probe))).contains(probe);
        assertThat(KINDS.of(probe)).isEqualTo(new ProbeTask(null, probe));
    }

    @Test
    void aComponentThatIsNotAKindIsRefusedWhenTheKindsAreRead() {
        assertThatThrownBy(() -> TaskKinds.of(NotATask.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NotATask.name").hasMessageContaining("TaskParameters");
        assertThatThrownBy(() -> TaskKinds.of(TwiceTheSameKind.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TwiceTheSameKind.otherSql").hasMessageContaining("another kind");
    }

    @Test
    void theTaskLanguageHasItsKindsAndTheirSecrets() {
        assertThat(Task.KINDS.names()).containsExactly("sql", "retention", "storageCleanup", "deepgramCostSync", "http", "partitions");
        StorageCleanupTask storage = new StorageCleanupTask("supabase", "audio", "transcriptions", "audio_path", "created_at",
                null, null, null, null, null);
        assertThat(Task.of(storage).secrets()).containsExactly(new SecretReference("storageCleanup.secretName", "supabase", List.of(
                new SecretReference.Key("url", "SUPABASE_URL"), new SecretReference.Key("serviceKey", "SUPABASE_SERVICE_KEY"))));
        assertThat(Task.of(new DeepgramCostSyncTask("deepgram", null, null, null, null, null, null, null, null, null)).secrets())
                .containsExactly(new SecretReference("deepgramCostSync.secretName", "deepgram",
                        List.of(new SecretReference.Key("apiKey", "DEEPGRAM_API_KEY"))));
        HttpTask http = new HttpTask(null, "https://admin.example.com/cleanup", null, "admin-api", null, null, null, null, null);
        assertThat(Task.of(http).secrets()).singleElement()
                .satisfies(s -> assertThat(s.field()).isEqualTo("http.headersSecretName"))
                .satisfies(s -> assertThat(s.everyKey()).isTrue());
        assertThat(Task.of(SQL).secrets()).isEmpty();
        assertThat(Task.of(SQL)).isEqualTo(new Task(SQL, null, null, null, null, null));
    }
}
