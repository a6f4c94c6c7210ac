package io.nightshift.operator.resource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A scheduled maintenance task for a team's PostgreSQL, run as a CronJob of the job-runner image. */
@Group("nightshift.io")
@Version("v1alpha1")
@ShortNames("mj")
// Columns as kubectl get cronjob shows them: NEXT RUN is a string (a date column shows future times as <invalid>),
// AGE last. The generator sorts columns by jsonPath; the operator POM puts them in this order afterwards.
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Suspended", jsonPath = ".spec.suspend", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Task", jsonPath = ".status.task", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Result", jsonPath = ".status.lastRun.result", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Run", jsonPath = ".status.lastRun.startedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Next Run", jsonPath = ".status.nextScheduleTime", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(TaskKindsInSchema.class)
public class MaintenanceJob extends CustomResource<MaintenanceJobSpec, MaintenanceJobStatus> implements Namespaced {
}
