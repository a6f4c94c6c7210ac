package io.nightshift.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nightshift.api.contract.RunResult;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobsStatusApiMessagesTest {

    private static MaintenanceJob failedWith(String message) {
        MaintenanceJob job = new MaintenanceJob();
        job.setMetadata(new ObjectMetaBuilder().withNamespace("app").withName("log-cleanup").build());
        MaintenanceJobStatus status = new MaintenanceJobStatus();
        status.setRecentRuns(List.of(new RunRecord("log-cleanup-1", "schedule", null, 3L, RunResult.FAILED.value(), "Error", "2026-12-01T03:00:00Z",
                "2026-12-01T03:00:02Z", 2000L, Map.of(), message)));
        job.setStatus(status);
        return job;
    }

    @Test
    void aLongErrorMessageIsCutToTheDocumentedLength() throws Exception {
        String sqlError = "ERROR: permission denied for table system_logs " + "x".repeat(5000);
        JsonNode row = new ObjectMapper().readTree(JobsStatusApi.render(List.of(failedWith(sqlError)), null)).at("/data/0");

        String answered = row.path("error_message").asText();
        assertThat(answered).hasSize(JobsStatusApi.MAX_ERROR_MESSAGE).startsWith("ERROR: permission denied for table system_logs").endsWith("…");
    }

    @Test
    void aShortErrorMessageIsAnsweredAsItIs() throws Exception {
        JsonNode row = new ObjectMapper().readTree(JobsStatusApi.render(List.of(failedWith("relation \"logs\" does not exist")), "app")).at("/data/0");

        assertThat(row.path("error_message").asText()).isEqualTo("relation \"logs\" does not exist");
    }
}
