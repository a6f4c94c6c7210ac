package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;

/** Runs of a task in this JVM, as a pod runs them, that must succeed; a failure shows the run's log. */
final class PartitionRuns {

    private PartitionRuns() {
    }

    static RunnerHarness.Outcome succeeded(TestDatabase db, Path dir, String job, String task) {
        return succeeded(db, dir, ConnectionTarget.DIRECT, job, task);
    }

    /** The same, the runner reaching the database as {@code target} says. */
    static RunnerHarness.Outcome succeeded(TestDatabase db, Path dir, ConnectionTarget target, String job, String task) {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        RunnerHarness.Outcome out = runner.run(runner.env(job, task));
        assertThat(out.exitCode()).as(out.log()).isZero();
        return out;
    }
}
