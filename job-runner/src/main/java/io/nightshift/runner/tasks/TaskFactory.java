package io.nightshift.runner.tasks;

import io.nightshift.api.Task;
import io.nightshift.runner.tasks.http.HttpRunner;
import io.nightshift.runner.tasks.retention.RetentionRunner;
import io.nightshift.runner.tasks.sql.SqlRunner;
import io.nightshift.runner.tasks.storage.StorageCleanupRunner;

/** The task implementation for each kind of the task language. */
public final class TaskFactory {

    private TaskFactory() {
    }

    public static MaintenanceTask create(Task task) {
        if (task.sql() != null) {
            return new SqlRunner(task.sql());
        }
        if (task.retention() != null) {
            return new RetentionRunner(task.retention());
        }
        if (task.storageCleanup() != null) {
            return new StorageCleanupRunner(task.storageCleanup());
        }
        if (task.http() != null) {
            return new HttpRunner(task.http());
        }
        throw new ConfigurationException("task kind " + task.kind() + " is not supported by this runner yet");
    }
}
