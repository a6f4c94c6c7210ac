package io.nightshift.operator.harvest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.api.contract.RunResult;
import io.nightshift.api.contract.SkipReason;
import io.nightshift.api.contract.Termination;
import io.nightshift.operator.reconcile.CronJobRenderer;
import io.nightshift.operator.resource.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Job and its pods the way a person would with {@code kubectl describe}: is it running, stuck,
 * or finished, and if finished, what did the runner report (its result document, the pod's termination
 * message) or, when the runner could not report, what Kubernetes said. A pure function: objects in,
 * observation out.
 */
public final class RunHarvester {

    /** Waiting reasons of a container that will not start without someone changing something. */
    static final Set<String> BLOCKING_REASONS = Set.of("CreateContainerConfigError", "CreateContainerError", "ErrImagePull",
            "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    /** The Job's Failed reason when it ran past activeDeadlineSeconds (the MaintenanceJob's timeout). */
    static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunHarvester() {
    }

    public static RunObservation observe(Job job, List<Pod> pods) {
        String name = job.getMetadata().getName();
        Optional<JobCondition> end = finished(job);
        Optional<Pod> latest = pods.stream().max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                : p.getMetadata().getCreationTimestamp()));
        if (end.isEmpty()) {
            Optional<ContainerStateWaiting> blocked = latest.flatMap(RunHarvester::runner).map(s -> s.getState().getWaiting())
                    .filter(w -> w != null && BLOCKING_REASONS.contains(w.getReason()));
            if (blocked.isPresent()) {
                return new RunObservation.Blocked(name, blocked.get().getReason(), blocked.get().getMessage());
            }
            return new RunObservation.Running(name, trigger(job), job.getStatus() == null ? null : job.getStatus().getStartTime());
        }
        if ("Complete".equals(end.get().getType()) && !pods.isEmpty() && pods.stream().noneMatch(RunHarvester::ended)) {
            // The Job controller saw a pod succeed, the operator's cache of pods not yet: the pod's update is on its way
            // (after an API server outage the Jobs' watch may be open again before the pods'). Recorded now, the run
            // would lose its result document; once the cache has the ended pod, or no pod at all, it is recorded.
            return new RunObservation.Running(name, trigger(job), job.getStatus().getStartTime());
        }
        return new RunObservation.Finished(name, record(job, end.get(), deciding(end.get(), pods).or(() -> latest)));
    }

    /**
     * The pods of a Complete Job, besides the one whose run it recorded, that found the Job's run already
     * done and did nothing (Kubernetes may start a Job's pod again): each is a skipped run of its own,
     * named after its pod.
     */
    public static List<RunRecord> repeats(Job job, List<Pod> pods) {
        Optional<JobCondition> end = finished(job);
        Optional<Pod> deciding = end.flatMap(e -> deciding(e, pods));
        if (deciding.isEmpty()) {
            return List.of();
        }
        return pods.stream().filter(p -> p != deciding.get())
                .filter(p -> document(p).filter(d -> RunResult.SKIPPED.is(d.path("status").asText())
                        && SkipReason.JOB_ALREADY_SUCCEEDED.text().equals(d.path("reason").asText())).isPresent())
                .map(p -> {
                    RunRecord r = record(job, end.get(), Optional.of(p));
                    return new RunRecord(p.getMetadata().getName(), r.trigger(), r.scheduledTime(), r.executionId(), r.result(), r.reason(),
                            r.startedAt(), r.completedAt(), r.durationMs(), r.stats(), r.message());
                }).toList();
    }

    /** For a Complete Job, the first pod whose runner reported success: the run that did the Job's work. */
    private static Optional<Pod> deciding(JobCondition end, List<Pod> pods) {
        if (!"Complete".equals(end.getType())) {
            return Optional.empty();
        }
        return pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                : p.getMetadata().getCreationTimestamp()))
                .filter(p -> document(p).filter(d -> RunResult.SUCCESS.is(d.path("status").asText())).isPresent()).findFirst();
    }

    private static Optional<JsonNode> document(Pod pod) {
        return runner(pod).map(s -> s.getState().getTerminated()).map(ContainerStateTerminated::getMessage).flatMap(RunHarvester::parse);
    }

    /** The pod's runner container has ended, or the pod has (its phase says so even where its container statuses are gone). */
    static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase)
                || runner(pod).map(s -> s.getState() != null && s.getState().getTerminated() != null).orElse(false);
    }

    /** The Job's final condition: {@code Complete} or {@code Failed} with status True (not {@code failed > 0}). */
    static Optional<JobCondition> finished(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .findFirst();
    }

    public static String trigger(Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        String trigger = labels == null ? null : labels.get(MetadataKeys.TRIGGER_LABEL);
        return trigger == null ? MetadataKeys.TRIGGER_SCHEDULE : trigger;
    }

    /** The schedule slot the CronJob controller started this Job for; null for a run-now Job. */
    public static String scheduledTime(Job job) {
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(MetadataKeys.CRONJOB_SCHEDULED_TIMESTAMP);
    }

    private static RunRecord record(Job job, JobCondition end, Optional<Pod> pod) {
        boolean complete = "Complete".equals(end.getType());
        Optional<ContainerStateTerminated> terminated = pod.flatMap(RunHarvester::runner).map(s -> s.getState().getTerminated());
        Optional<JsonNode> document = terminated.map(ContainerStateTerminated::getMessage).flatMap(RunHarvester::parse);
        String started = job.getStatus().getStartTime();
        String completed = job.getStatus().getCompletionTime() != null ? job.getStatus().getCompletionTime() : end.getLastTransitionTime();
        String scheduled = scheduledTime(job);
        if (document.isPresent()) {
            JsonNode doc = document.get();
            String status = doc.path("status").asText((complete ? RunResult.SUCCESS : RunResult.FAILED).value());
            if (!complete && RunResult.SUCCESS.is(status)) {
                status = RunResult.FAILED.value();
            }
            boolean pastDeadline = !complete && DEADLINE_EXCEEDED.equals(end.getReason());
            String reason = RunResult.SUCCESS.is(status) || RunResult.SKIPPED.is(status) ? null
                    : complete ? null : Optional.ofNullable(terminated.get().getReason()).filter(r -> !"Error".equals(r) && !"Completed".equals(r))
                            .orElse(pastDeadline ? DEADLINE_EXCEEDED
                                    : Termination.stopped(doc.path("error").asText("")) ? "Terminated" : "TaskFailed");
            String error = doc.hasNonNull("error") ? doc.get("error").asText() : null;
            if (RunResult.SKIPPED.is(status)) {
                String why = doc.path("reason").asText(null);
                reason = SkipReason.of(why).map(SkipReason::statusReason).orElse(null);
                error = error != null ? error : skipMessage(why, doc.path("slot").asText(null));
            }
            // The runner only saw a SIGTERM; Kubernetes says why it came: the job's timeout.
            String message = pastDeadline ? end.getReason() + ": " + end.getMessage() + (error == null ? "" : "; " + error)
                    : error != null ? error : complete ? null : end.getMessage();
            return new RunRecord(job.getMetadata().getName(), trigger(job), scheduled,
                    doc.hasNonNull("executionId") ? doc.get("executionId").asLong() : null, status, reason,
                    text(doc, "startedAt", started), text(doc, "completedAt", completed),
                    doc.hasNonNull("durationMs") ? doc.get("durationMs").asLong() : duration(started, completed), stats(doc.path("stats")),
                    message);
        }
        if (complete) {
            return new RunRecord(job.getMetadata().getName(), trigger(job), scheduled, null, RunResult.SUCCESS.value(), null, started, completed,
                    duration(started, completed), null, "the run succeeded but left no result document");
        }
        String reason = terminated.map(ContainerStateTerminated::getReason).filter(r -> !"Error".equals(r) && !"Completed".equals(r))
                .orElse(end.getReason() == null ? "Failed" : end.getReason());
        String message = terminated.map(t -> "container " + CronJobRenderer.CONTAINER + " ended with exit code " + t.getExitCode()
                        + (t.getReason() == null ? "" : " (" + t.getReason() + ")")
                        + (t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + tail(t.getMessage())))
                .orElse(end.getMessage() == null ? reason : end.getMessage());
        if (terminated.isPresent() && end.getMessage() != null && !"OOMKilled".equals(reason)) {
            message = end.getReason() + ": " + end.getMessage() + "; " + message;
        }
        return new RunRecord(job.getMetadata().getName(), trigger(job), scheduled, null, RunResult.FAILED.value(), reason, started, completed,
                duration(started, completed), null, message);
    }

    /** E.g. {@code slot already done (slot 2026-12-02T06:44:00Z)}; null without a reason. */
    private static String skipMessage(String reason, String slot) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        return reason + (slot == null || slot.isBlank() ? "" : " (slot " + slot + ")");
    }

    static Optional<ContainerStatus> runner(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().filter(s -> CronJobRenderer.CONTAINER.equals(s.getName())).findFirst();
    }

    private static Optional<JsonNode> parse(String message) {
        if (message == null || !message.trim().startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(message);
            return node.isObject() && node.has("status") ? Optional.of(node) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Map<String, JsonNode> stats(JsonNode stats) {
        if (!stats.isObject() || stats.isEmpty()) {
            return null;
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        stats.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String text(JsonNode doc, String field, String fallback) {
        return doc.hasNonNull(field) ? doc.get(field).asText() : fallback;
    }

    private static Long duration(String started, String completed) {
        if (started == null || completed == null) {
            return null;
        }
        try {
            return Duration.between(Instant.parse(started), Instant.parse(completed)).toMillis();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String tail(String logs) {
        String oneLine = logs.strip().replaceAll("\\s*\\n\\s*", " | ");
        return oneLine.length() <= 300 ? oneLine : "…" + oneLine.substring(oneLine.length() - 300);
    }
}
