import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The fixture objects, renamed for MaintenanceJob i: fresh uids, owner references and labels that point at each other. */
final class Templates {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The MaintenanceJobs are spread over this many namespaces. */
    private static final int NAMESPACES = 20;

    /** Where a rendered object goes: the mock's store or its API. */
    interface Sink {
        void accept(String json) throws Exception;
    }

    private final String mj;
    private final String cronJob;
    private final String job;
    private final String pod;

    Templates(Path dir) throws Exception {
        mj = Files.readString(dir.resolve("maintenancejob.json"));
        cronJob = Files.readString(dir.resolve("cronjob.json"));
        job = Files.readString(dir.resolve("job.json"));
        pod = Files.readString(dir.resolve("pod.json"));
    }

    void create(Sink sink, int i, boolean withChildren) throws Exception {
        String name = "job-" + i;
        String namespace = "ns-" + (i % NAMESPACES);
        String mjUid = UUID.randomUUID().toString();
        // The namespace appears in the objects' env (NIGHTSHIFT_NAMESPACE) too: a copy left at the fixture's would
        // make the operator update every CronJob.
        String ns = "\"" + namespace + "\"";
        String mj = this.mj.replace("\"fixtures\"", ns);
        String cronJob = this.cronJob.replace("\"fixtures\"", ns);
        String job = this.job.replace("\"fixtures\"", ns);
        String pod = this.pod.replace("\"fixtures\"", ns);
        ObjectNode m = fresh(mj.replace("log-cleanup", name), name, namespace, mjUid);
        ((ObjectNode) m.path("spec")).put("schedule", (i % 60) + " 3 * * *");
        // The operator is to write the status: Ready=True must be its answer, not the fixture's.
        m.remove("status");
        if (withChildren) {
            sink.accept(JSON.writeValueAsString(m));
            String cronUid = UUID.randomUUID().toString();
            ObjectNode c = fresh(cronJob.replace("log-cleanup", name).replace("a300b7fa-2061-481a-9006-34e144eab954", mjUid), name, namespace, cronUid);
            ((ObjectNode) c.path("spec")).put("schedule", (i % 60) + " 3 * * *");
            c.remove("status");
            sink.accept(JSON.writeValueAsString(c));
            if (i % 10 == 0) {
                String jobName = name + "-29936564";
                String jobUid = UUID.randomUUID().toString();
                sink.accept(JSON.writeValueAsString(fresh(job.replace("quantities-29936564", jobName).replace("quantities", name)
                        .replace("15678cee-fafd-4113-8cb6-3d5d91dad2de", cronUid), jobName, namespace, jobUid)));
                sink.accept(JSON.writeValueAsString(fresh(pod.replace("quantities-29936564", jobName).replace("quantities", name)
                        .replace("636c09d1-b5e3-4b5f-95fb-e35587c2510a", jobUid), jobName + "-8pkt8", namespace, UUID.randomUUID().toString())));
            }
        } else {
            sink.accept(JSON.writeValueAsString(m));
        }
    }

    private static ObjectNode fresh(String json, String name, String namespace, String uid) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(json);
        ObjectNode meta = (ObjectNode) o.path("metadata");
        meta.put("name", name).put("namespace", namespace).put("uid", uid);
        meta.remove("resourceVersion");
        return o;
    }
}
