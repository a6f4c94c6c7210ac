package io.nightshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nightshift.api.contract.RunResult;
import io.nightshift.operator.events.RunEvents;
import io.nightshift.operator.harvest.Overdue;
import io.nightshift.operator.harvest.RunHarvester;
import io.nightshift.operator.harvest.RunObservation;
import io.nightshift.operator.harvest.RunSources;
import io.nightshift.operator.harvest.RunStatus;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import io.nightshift.operator.runnow.RunNow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns what the Jobs of a MaintenanceJob show into its run status, Events and run counters. */
final class RunTracker {

    static final String OVERDUE = "Overdue";

    void runNowIfAsked(MaintenanceJob job, CronJob cron, KubernetesClient client) {
        Optional<String> value = RunNow.requested(job);
        if (value.isEmpty()) {
            return;
        }
        try {
            client.batch().v1().jobs().inNamespace(cron.getMetadata().getNamespace()).resource(RunNow.job(cron, value.get())).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // 409: this value's Job exists already (an earlier attempt, another replica): the run was started once.
        }
        job.getStatus().setLastRunNow(value.get());
    }

    /**
     * A run in progress as first seen, kept as it is while it runs so that it costs no status write of its own. Its
     * start is the Job's {@code startTime}, or its creation when the Job controller has not marked it started yet (the
     * two are the same second unless the Job waits, e.g. for quota).
     */
    private static RunRecord inProgress(MaintenanceJobStatus status, Job job, RunObservation.Running running) {
        String name = job.getMetadata().getName();
        Optional<RunRecord> seen = status.getActiveRuns() == null ? Optional.empty()
                : status.getActiveRuns().stream().filter(r -> name.equals(r.jobName()) && r.startedAt() != null).findFirst();
        if (seen.isPresent()) {
            return seen.get();
        }
        String started = running.startedAt() != null ? running.startedAt() : job.getMetadata().getCreationTimestamp();
        return new RunRecord(name, running.trigger(), RunHarvester.scheduledTime(job), null, RunResult.RUNNING.value(), null, started, null, null, null, null);
    }

    /**
     * Records newly finished or blocked runs, updates active runs and the Overdue condition; returns when
     * to look again. What is news (a run started, finished or blocked) goes to {@code events}.
     */
    Optional<Instant> harvest(MaintenanceJob job, List<Job> jobs, List<Pod> pods, Instant now, Notices events) {
        MaintenanceJobStatus status = job.getStatus();
        List<String> wasActive = status.getActive() == null ? List.of() : status.getActive();
        String task = job.getSpec().task().kind();
        List<String> active = new ArrayList<>();
        List<Job> running = new ArrayList<>();
        List<RunObservation.Finished> finished = new ArrayList<>();
        List<RunRecord> inProgress = new ArrayList<>();
        jobs.sort(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp() == null ? "" : j.getMetadata().getCreationTimestamp()));
        for (Job j : jobs) {
            List<Pod> own = pods.stream().filter(p -> RunSources.belongsTo(p, j)).toList();
            RunObservation observation = RunHarvester.observe(j, own);
            String name = j.getMetadata().getName();
            if (observation instanceof RunObservation.Finished f) {
                if (!RunStatus.recorded(status, f.run())) {
                    finished.add(f);
                }
                RunHarvester.repeats(j, own).stream().filter(r -> !RunStatus.recorded(status, r))
                        .forEach(r -> finished.add(new RunObservation.Finished(r.jobName(), r)));
            } else {
                active.add(name);
                running.add(j);
                if (!wasActive.contains(name) && !RunStatus.recorded(status, name)) {
                    events.normal(job, RunEvents.RUN_STARTED, name, "run " + name + " started (" + RunHarvester.trigger(j) + ")");
                }
                if (observation instanceof RunObservation.Running r && !RunStatus.recorded(status, name)) {
                    inProgress.add(inProgress(status, j, r));
                }
                if (observation instanceof RunObservation.Blocked b && !RunStatus.recorded(status, name)) {
                    RunRecord blocked = new RunRecord(name, RunHarvester.trigger(j), null, null, RunResult.FAILED.value(), b.reason(),
                            j.getStatus() == null ? null : j.getStatus().getStartTime(), now.toString(), null, null,
                            "the run's pod cannot start: " + b.reason() + (b.message() == null ? "" : ": " + b.message()));
                    RunStatus.record(status, blocked, job.getMetadata().getGeneration(), now);
                    events.countRun(job.getMetadata().getNamespace(), job.getMetadata().getName(), task, RunResult.FAILED.value());
                    events.warning(job, RunEvents.RUN_BLOCKED, name, blocked.message());
                }
            }
        }
        finished.sort(Comparator.comparing(f -> f.run().completedAt() == null ? "" : f.run().completedAt()));
        for (RunObservation.Finished f : finished) {
            RunRecord run = f.run();
            RunStatus.record(status, run, job.getMetadata().getGeneration(), now);
            events.countRun(job.getMetadata().getNamespace(), job.getMetadata().getName(), task, run.result());
            if (RunResult.FAILED.is(run.result())) {
                events.warning(job, RunEvents.RUN_FAILED, run.jobName(), "run " + run.jobName() + " failed"
                        + (run.reason() == null ? "" : " (" + run.reason() + ")") + ": " + run.message());
            } else if (RunResult.SKIPPED.is(run.result())) {
                events.normal(job, RunEvents.RUN_SKIPPED, run.jobName(), "run " + run.jobName() + " skipped"
                        + (run.message() == null ? "" : ": " + run.message()));
            } else {
                events.normal(job, RunEvents.RUN_SUCCEEDED, run.jobName(), "run " + run.jobName() + " " + run.result()
                        + (run.stats() == null ? "" : ": " + run.stats().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(", "))));
            }
        }
        status.setActive(active.isEmpty() ? null : active);
        status.setActiveRuns(inProgress.isEmpty() ? null : inProgress);
        Instant created = job.getMetadata().getCreationTimestamp() == null ? null : Instant.parse(job.getMetadata().getCreationTimestamp());
        Overdue.Verdict verdict = Overdue.evaluate(job.getSpec(), created, jobs, running, now);
        status.setConditions(Conditions.set(status.getConditions(), OVERDUE, verdict.overdue(), verdict.reason(), verdict.message(),
                job.getMetadata().getGeneration(), now));
        return verdict.checkAgainAt();
    }
}
