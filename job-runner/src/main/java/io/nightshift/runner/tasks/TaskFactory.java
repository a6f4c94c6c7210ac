package io.nightshift.runner.tasks;

import io.nightshift.api.DeepgramCostSyncTask;
import io.nightshift.api.HttpTask;
import io.nightshift.api.PartitionsTask;
import io.nightshift.api.RetentionTask;
import io.nightshift.api.SqlTask;
import io.nightshift.api.StorageCleanupTask;
import io.nightshift.api.Task;
import io.nightshift.api.TaskKind;
import io.nightshift.api.TaskParameters;
import io.nightshift.runner.tasks.deepgram.DeepgramCostSyncRunner;
import io.nightshift.runner.tasks.http.HttpRunner;
import io.nightshift.runner.tasks.partitions.PartitionsRunner;
import io.nightshift.runner.tasks.retention.RetentionRunner;
import io.nightshift.runner.tasks.sql.SqlRunner;
import io.nightshift.runner.tasks.storage.StorageCleanupRunner;
import java.util.Map;
import java.util.function.Function;

/** The code that runs each task kind, found by the kind's parameters record: one entry per component of {@link Task}. */
public final class TaskFactory {

    private static final Map<Class<? extends TaskParameters>, Function<TaskParameters, MaintenanceTask>> RUNNERS = Map.ofEntries(
            runner(SqlTask.class, SqlRunner::new),
            runner(RetentionTask.class, RetentionRunner::new),
            runner(StorageCleanupTask.class, StorageCleanupRunner::new),
            runner(DeepgramCostSyncTask.class, DeepgramCostSyncRunner::new),
            runner(HttpTask.class, HttpRunner::new),
            runner(PartitionsTask.class, PartitionsRunner::new));

    private TaskFactory() {
    }

    public static MaintenanceTask create(Task task) {
        TaskParameters parameters = task.parameters();
        if (parameters == null) {
            throw new ConfigurationException("task: " + Task.KINDS.exactlyOne());
        }
        Function<TaskParameters, MaintenanceTask> runner = RUNNERS.get(parameters.getClass());
        if (runner == null) {
            throw new IllegalStateException("this runner cannot run task kind " + task.kind());
        }
        return runner.apply(parameters);
    }

    /** Whether this runner has the code for the kind. */
    public static boolean runs(TaskKind kind) {
        return RUNNERS.containsKey(kind.parameters());
    }

    private static <P extends TaskParameters> Map.Entry<Class<? extends TaskParameters>, Function<TaskParameters, MaintenanceTask>> runner(
            Class<P> kind, Function<P, MaintenanceTask> factory) {
        return Map.entry(kind, parameters -> factory.apply(kind.cast(parameters)));
    }
}
