package io.nightshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.resource.MaintenanceJob;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronJobDependentTest {

    /** The CronJob the SDK looks up for a MaintenanceJob is the one the operator renders for it, long names included. */
    @ParameterizedTest
    @ValueSource(strings = {"log-cleanup", "a", "nightly-rollup-of-every-tenant-s-usage-counters-into-the-monthly-table-x",
            "a-name-of-one-hundred-and-ten-characters-which-is-allowed-for-a-maintenancejob-but-far-too-long-for-a-cronjob-x"})
    void looksUpTheCronJobItRenders(String name) {
        MaintenanceJob job = Fixtures.logCleanup("team-a", name);
        CronJobDependent dependent = new CronJobDependent("runner:1");

        ResourceID target = dependent.targetSecondaryResourceID(job, null);

        assertThat(target).isEqualTo(ResourceID.fromResource(CronJobRenderer.render(job, "runner:1")));
        assertThat(target.getName()).hasSizeLessThanOrEqualTo(Names.CRONJOB_NAME_LIMIT);
    }
}
