package io.nightshift.operator.harvest;

import io.nightshift.operator.resource.MaintenanceJobStatus;
import java.util.List;

/**
 * The runs of a job that are really in progress: the Jobs in {@code status.active} whose run is not
 * recorded yet. A run whose pod cannot start (a missing Secret or key, an image that cannot be pulled) is
 * recorded as failed at once, while its Job stays active until its deadline: it is not running, and the
 * status API and the running gauge say so, as {@code status.lastRun} does.
 */
public final class RunsInProgress {

    private RunsInProgress() {
    }

    public static List<String> of(MaintenanceJobStatus status) {
        if (status == null || status.getActive() == null) {
            return List.of();
        }
        return status.getActive().stream().filter(name -> !RunStatus.recorded(status, name)).toList();
    }
}
