package io.nightshift.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schedule in {@code real-apiserver/cronjob-schedules.tsv}, with the verdict a real Kubernetes API
 * server (v1.32) gave when a CronJob was created with it: the operator accepts and refuses the same ones,
 * and its message carries the server's reason.
 */
class KubernetesVerdictTest {

    record Row(String schedule, boolean accepted, String serverMessage) {
        @Override
        public String toString() {
            return "\"" + schedule + "\"";
        }
    }

    static Stream<Row> rows() throws IOException {
        try (InputStream in = KubernetesVerdictTest.class.getResourceAsStream("/real-apiserver/cronjob-schedules.tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            return lines.stream().filter(l -> !l.isEmpty()).map(l -> l.split("\t", -1))
                    .map(c -> new Row(c[0], c[1].equals("yes"), c.length > 2 ? c[2] : ""));
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theOperatorsVerdictIsTheApiServers(Row row) {
        Throwable refusal = catchThrowable(() -> CronSchedule.parse(row.schedule()));
        if (row.accepted()) {
            assertThat(refusal).as(row.schedule()).isNull();
            return;
        }
        assertThat(refusal).as(row.schedule()).isInstanceOf(IllegalArgumentException.class);
        // the server says: Invalid value: "<schedule>": <reason>
        String reason = row.serverMessage().substring(("Invalid value: \"" + row.schedule() + "\": ").length());
        if (reason.startsWith("cannot use TZ or CRON_TZ in schedule")) {
            assertThat(refusal.getMessage()).contains("cannot use TZ or CRON_TZ in schedule").contains("spec.timeZone");
        } else {
            assertThat(refusal.getMessage()).startsWith("'" + row.schedule() + "' is not a valid cron schedule: " + reason);
        }
    }
}
