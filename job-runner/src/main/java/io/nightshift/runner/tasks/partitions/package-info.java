/**
 * Task {@code partitions}: keeps a table range-partitioned by time. {@link io.nightshift.runner.tasks.partitions.PartitionsRunner}
 * runs it: {@code PartitionedTable} checks the table's shape, {@code PartitionCatalog} reads its partitions and their bounds,
 * {@code KeySpace} says where interval boundaries fall, {@code PartitionPlan} decides (a pure function),
 * {@code DefaultRows} finds rows of the DEFAULT partition in the ranges to make, and {@code PartitionChanges} carries the
 * plan out under {@code LockWait}. It may use the task framework ({@code io.nightshift.runner.tasks}), the key types of
 * {@code tasks.cutoff}, the run log and the api records; nothing else in the runner uses it but {@code TaskFactory}.
 */
package io.nightshift.runner.tasks.partitions;
