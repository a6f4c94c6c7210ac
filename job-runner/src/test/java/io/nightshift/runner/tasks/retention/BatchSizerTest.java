package io.nightshift.runner.tasks.retention;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the next batch is sized from the last one's time: no clock involved, the times are given. */
class BatchSizerTest {

    @Test
    void aQuickBatchIsFollowedByAtMostFourTimesAsMuch() {
        BatchSizer sizer = new BatchSizer(5000);
        sizer.completed(1);
        assertThat(sizer.size()).isEqualTo(20_000);
    }

    @Test
    void theNextBatchAimsAtTheTargetTime() {
        BatchSizer sizer = new BatchSizer(5000);
        sizer.completed(BatchSizer.TARGET_MS * 2);
        assertThat(sizer.size()).as("twice the target: half as much").isEqualTo(2500);
    }

    @Test
    void aBatchThatOverranIsRetriedWithAQuarterDownToOne() {
        BatchSizer sizer = new BatchSizer(100);
        sizer.overran();
        assertThat(sizer.size()).isEqualTo(25);
        for (int i = 0; i < 5; i++) {
            sizer.overran();
        }
        assertThat(sizer.size()).isEqualTo(1);
        assertThat(sizer.atMinimum()).isTrue();
    }

    @Test
    void evenAVerySlowBatchLeavesAtLeastOneRow() {
        BatchSizer sizer = new BatchSizer(10);
        sizer.completed(60_000);
        assertThat(sizer.size()).isEqualTo(1);
    }
}
