package io.nightshift.operator.cache;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The CronJob informer's cache: each CronJob's spec kept as its JSON, deflated ({@link SpecCompression}),
 * read back into objects only when the operator asks for that CronJob (once a reconcile). As model
 * objects a CronJob's spec (the whole pod template) takes several times the memory of its JSON, and the
 * operator reads it only to compare it with what it renders. Metadata (without managedFields) and status stay as objects.
 */
public final class CompactCronJobStore implements ItemStore<CronJob> {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private record Compact(ObjectMeta metadata, CronJobStatus status, byte[] spec, int specLength) {
    }

    private final Map<String, Compact> items = new ConcurrentHashMap<>();
    private final SpecCompression compression = new SpecCompression();

    @Override
    public String getKey(CronJob cronJob) {
        return Cache.metaNamespaceKeyFunc(cronJob);
    }

    @Override
    public CronJob put(String key, CronJob cronJob) {
        CronJob pruned = CachePruning.withoutBookkeeping(cronJob);
        byte[] spec = pruned.getSpec() == null ? null : JSON.asJson(pruned.getSpec()).getBytes(StandardCharsets.UTF_8);
        Compact compact = spec == null ? new Compact(pruned.getMetadata(), pruned.getStatus(), null, 0)
                : new Compact(pruned.getMetadata(), pruned.getStatus(), compression.compress(spec), spec.length);
        return whole(items.put(key, compact));
    }

    @Override
    public CronJob remove(String key) {
        return whole(items.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<CronJob> values() {
        return items.values().stream().map(this::whole);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public CronJob get(String key) {
        return whole(items.get(key));
    }

    /** Not the objects as the server sent them: managedFields are gone. */
    @Override
    public boolean isFullState() {
        return false;
    }

    private CronJob whole(Compact compact) {
        if (compact == null) {
            return null;
        }
        CronJob cronJob = new CronJob();
        cronJob.setMetadata(compact.metadata());
        cronJob.setStatus(compact.status());
        if (compact.spec() != null) {
            byte[] json = compression.expand(compact.spec(), compact.specLength());
            cronJob.setSpec(JSON.unmarshal(new String(json, StandardCharsets.UTF_8), CronJobSpec.class));
        }
        return cronJob;
    }
}
