package io.nightshift.runner.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class FailureCausesTest {

    @Test
    void oneCauseIsNamedWithHowOftenItHappened() {
        FailureCauses causes = new FailureCauses();
        assertThat(causes.describe()).isEmpty();
        for (int i = 0; i < 50; i++) {
            causes.add(FailureCauses.of(new UnknownHostException("api.deepgram.com")) + " after 5 attempts");
        }
        assertThat(causes.describe()).isEqualTo("UnknownHostException: api.deepgram.com after 5 attempts (all 50)");
    }

    @Test
    void severalCausesNameTheMostCommonAndTheFirst() {
        FailureCauses causes = new FailureCauses();
        causes.add("answered 400");
        causes.add("answered 503 after 5 attempts");
        causes.add("answered 503 after 5 attempts");
        assertThat(causes.describe()).isEqualTo("most often answered 503 after 5 attempts (2 of 3); first answered 400 (1 of 3)");

        causes.add("answered 400");
        causes.add("answered 400");
        causes.add("answered 502 after 5 attempts");
        assertThat(causes.describe()).isEqualTo("most often answered 400 (3 of 6); 2 other causes");
    }

    @Test
    void aLongCauseIsCut() {
        FailureCauses causes = new FailureCauses();
        causes.add("answered 400: " + "x".repeat(5000));
        causes.add("y".repeat(5000));
        assertThat(causes.describe().length()).isLessThan(2 * FailureCauses.CAUSE_LIMIT + 60);
    }
}
