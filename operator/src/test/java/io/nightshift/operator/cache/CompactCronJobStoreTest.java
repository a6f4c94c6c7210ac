package io.nightshift.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CronJob cache keeps every spec deflated; what comes back out is what the server sent. */
class CompactCronJobStoreTest {

    private static List<CronJob> realCronJobs() throws Exception {
        try (InputStream in = CompactCronJobStoreTest.class.getResourceAsStream("/real-apiserver/cronjobs.json")) {
            return Serialization.unmarshal(in, CronJobList.class).getItems();
        }
    }

    private static CronJob copy(CronJob cronJob) {
        return new CronJobBuilder(cronJob).build();
    }

    @Test
    void everySpecComesBackAsTheServerSentIt() throws Exception {
        CompactCronJobStore store = new CompactCronJobStore();
        List<CronJob> real = realCronJobs();
        real.forEach(c -> store.put(store.getKey(c), copy(c)));

        for (CronJob sent : real) {
            CronJob kept = store.get(store.getKey(sent));
            assertThat(kept.getSpec()).as(sent.getMetadata().getName()).isEqualTo(sent.getSpec());
            assertThat(kept.getStatus()).isEqualTo(sent.getStatus());
        }
        assertThat(store.values()).hasSize(real.size());
    }

    @Test
    void aSpecUnlikeTheFirstStillComesBackWhole() throws Exception {
        CompactCronJobStore store = new CompactCronJobStore();
        CronJob first = realCronJobs().get(0);
        store.put(store.getKey(first), copy(first));
        CronJob bare = new CronJobBuilder().withNewMetadata().withName("bare").withNamespace("elsewhere").endMetadata()
                .withNewSpec().withSchedule("@weekly").withSuspend(true).endSpec().build();
        CronJob noSpec = new CronJobBuilder().withNewMetadata().withName("no-spec").withNamespace("elsewhere").endMetadata().build();

        store.put(store.getKey(bare), copy(bare));
        store.put(store.getKey(noSpec), copy(noSpec));

        assertThat(store.get("elsewhere/bare").getSpec()).isEqualTo(bare.getSpec());
        assertThat(store.get("elsewhere/no-spec").getSpec()).isNull();
    }

    @Test
    void specsLikeTheFirstTakeAFractionOfTheirJson() throws Exception {
        SpecCompression compression = new SpecCompression();
        List<CronJob> real = realCronJobs();
        compression.compress(json(real.get(0)));

        for (CronJob other : real.subList(1, real.size())) {
            byte[] json = json(other);
            byte[] compressed = compression.compress(json);
            assertThat(compressed.length).as(other.getMetadata().getName()).isLessThan(json.length / 5);
            assertThat(compression.expand(compressed, json.length)).isEqualTo(json);
        }
    }

    private static byte[] json(CronJob cronJob) {
        return Serialization.asJson(cronJob.getSpec()).getBytes(StandardCharsets.UTF_8);
    }
}
