package io.nightshift.runner.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightshift.api.HttpTask;
import io.nightshift.api.SqlTask;
import io.nightshift.api.Task;
import io.nightshift.runner.tasks.http.HttpRunner;
import io.nightshift.runner.tasks.sql.SqlRunner;
import org.junit.jupiter.api.Test;

class TaskFactoryTest {

    @Test
    void everyKindOfTheTaskLanguageHasItsRunner() {
        assertThat(Task.KINDS.all()).isNotEmpty().allSatisfy(kind -> assertThat(TaskFactory.runs(kind)).as(kind.name()).isTrue());
    }

    @Test
    void aTaskIsRunByItsKindsRunner() {
        assertThat(TaskFactory.create(Task.of(new SqlTask("SELECT 1", null, null, null, null, null)))).isInstanceOf(SqlRunner.class);
        assertThat(TaskFactory.create(Task.of(new HttpTask(null, "https://x.example", null, null, null, null, null, null, null))))
                .isInstanceOf(HttpRunner.class);
        assertThatThrownBy(() -> TaskFactory.create(new Task(null, null, null, null, null, null))).isInstanceOf(ConfigurationException.class)
                .hasMessage("task: set exactly one of sql, retention, storageCleanup, deepgramCostSync, http, partitions");
    }
}
