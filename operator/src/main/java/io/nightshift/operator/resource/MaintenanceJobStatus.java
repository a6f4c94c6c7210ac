package io.nightshift.operator.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed. The reconciler owns the scheduling fields and the Ready condition;
 * run harvesting owns the run fields and the LastRunSucceeded and Overdue conditions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceJobStatus {

    @JsonPropertyDescription("The last metadata.generation whose CronJob is in the cluster as that generation asks (see condition Ready for the current one).")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready (the CronJob matches the spec), LastRunSucceeded and Overdue (a run did not start or finish when due).")
    private List<Condition> conditions = new ArrayList<>();

    // Described, with the list of kinds, by TaskKindsInSchema.
    private String task;

    @JsonPropertyDescription("Name of the CronJob that runs this job.")
    private String cronJobName;

    @JsonPropertyDescription("When the CronJob last started a run (RFC 3339).")
    private String lastScheduleTime;

    @JsonPropertyDescription("When the schedule next starts a run, in the job's time zone, written in UTC (RFC 3339).")
    private String nextScheduleTime;

    @JsonPropertyDescription("When a run last succeeded (RFC 3339).")
    private String lastSuccessfulTime;

    @JsonPropertyDescription("When a run last failed (RFC 3339).")
    private String lastFailureTime;

    @JsonPropertyDescription("Runs that failed in a row since the last success.")
    private Integer consecutiveFailures;

    @JsonPropertyDescription("Names of the Jobs of this MaintenanceJob that are running now.")
    private List<String> active;

    @JsonPropertyDescription("The runs in progress (result running): the Jobs in active whose run is not recorded yet, with when each started.")
    private List<RunRecord> activeRuns;

    @JsonPropertyDescription("The most recent finished run.")
    private RunRecord lastRun;

    @JsonPropertyDescription("The last 10 finished runs, newest first.")
    private List<RunRecord> recentRuns;

    @JsonPropertyDescription("The last value of the nightshift.io/run-now annotation that started a run.")
    private String lastRunNow;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getTask() {
        return task;
    }

    public void setTask(String task) {
        this.task = task;
    }

    public String getCronJobName() {
        return cronJobName;
    }

    public void setCronJobName(String cronJobName) {
        this.cronJobName = cronJobName;
    }

    public String getLastScheduleTime() {
        return lastScheduleTime;
    }

    public void setLastScheduleTime(String lastScheduleTime) {
        this.lastScheduleTime = lastScheduleTime;
    }

    public String getNextScheduleTime() {
        return nextScheduleTime;
    }

    public void setNextScheduleTime(String nextScheduleTime) {
        this.nextScheduleTime = nextScheduleTime;
    }

    public String getLastSuccessfulTime() {
        return lastSuccessfulTime;
    }

    public void setLastSuccessfulTime(String lastSuccessfulTime) {
        this.lastSuccessfulTime = lastSuccessfulTime;
    }

    public String getLastFailureTime() {
        return lastFailureTime;
    }

    public void setLastFailureTime(String lastFailureTime) {
        this.lastFailureTime = lastFailureTime;
    }

    public Integer getConsecutiveFailures() {
        return consecutiveFailures;
    }

    public void setConsecutiveFailures(Integer consecutiveFailures) {
        this.consecutiveFailures = consecutiveFailures;
    }

    public List<String> getActive() {
        return active;
    }

    public void setActive(List<String> active) {
        this.active = active;
    }

    public List<RunRecord> getActiveRuns() {
        return activeRuns;
    }

    public void setActiveRuns(List<RunRecord> activeRuns) {
        this.activeRuns = activeRuns;
    }

    public RunRecord getLastRun() {
        return lastRun;
    }

    public void setLastRun(RunRecord lastRun) {
        this.lastRun = lastRun;
    }

    public List<RunRecord> getRecentRuns() {
        return recentRuns;
    }

    public void setRecentRuns(List<RunRecord> recentRuns) {
        this.recentRuns = recentRuns;
    }

    public String getLastRunNow() {
        return lastRunNow;
    }

    public void setLastRunNow(String lastRunNow) {
        this.lastRunNow = lastRunNow;
    }
}
