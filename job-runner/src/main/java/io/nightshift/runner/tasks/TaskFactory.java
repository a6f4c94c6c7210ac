package io.nightshift.runner.tasks;

import io.nightshift.api.Task;
import io.nightshift.runner.tasks.deepgram.DeepgramCostSyncRunner;
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
        if (task.deepgramCostSync() != null) {
            return new DeepgramCostSyncRunner(task.deepgramCostSync());
        }
        if (task.http() != null) {
            return new HttpRunner(task.http());
        }
        throw new ConfigurationException("task: no task kind set");
    }
}
