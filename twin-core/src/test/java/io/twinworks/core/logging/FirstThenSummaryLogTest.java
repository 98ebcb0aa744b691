package io.twinworks.core.logging;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The first refusal per key is logged in full, the rest only counted and summarized once per interval. */
class FirstThenSummaryLogTest {

    private final AtomicLong clock = new AtomicLong();
    private final List<Map<String, Long>> summaries = new ArrayList<>();
    private final List<Long> summarySeconds = new ArrayList<>();
    private final FirstThenSummaryLog log = new FirstThenSummaryLog(TimeUnit.SECONDS.toNanos(10), clock::get,
            (seconds, counts) -> {
                summarySeconds.add(seconds);
                summaries.add(counts);
            });

    @Test
    void onlyTheFirstRefusalOfEachKeyIsLoggedInFull() {
        assertThat(log.first("t/a/bad", "t bad")).isTrue();
        assertThat(log.first("t/a/bad", "t bad")).isFalse();
        assertThat(log.first("t/b/bad", "t bad")).isTrue();
        assertThat(log.first("t/a/other", "t other")).isTrue();
        assertThat(log.first("t/a/bad", "t bad")).isFalse();
        assertThat(summaries).isEmpty();
    }

    @Test
    void suppressedRefusalsAreSummarizedExactlyOncePerIntervalByTheirSummaryKey() {
        log.first("t/a/bad", "t bad");
        for (int i = 0; i < 999; i++) {
            log.first("t/a/bad", "t bad");
        }
        log.first("u/a/bad", "u bad");
        log.first("u/a/bad", "u bad");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(9));
        log.summarizeIfDue();
        assertThat(summaries).as("not before the interval").isEmpty();

        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        log.summarizeIfDue();
        log.summarizeIfDue();

        assertThat(summaries).containsExactly(Map.of("t bad", 999L, "u bad", 1L));
        assertThat(summarySeconds).containsExactly(10L);
        assertThat(FirstThenSummaryLog.total(summaries.get(0))).isEqualTo(1000L);
    }

    @Test
    void aQuietIntervalWritesNoSummaryAndTheNextOneCountsOnlyItsOwnRefusals() {
        log.first("t/a/bad", "t bad");
        log.first("t/a/bad", "t bad");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.summarizeIfDue();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.summarizeIfDue();
        log.first("t/a/bad", "t bad");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.first("t/a/bad", "t bad");

        assertThat(summaries).containsExactly(Map.of("t bad", 1L), Map.of("t bad", 2L));
    }
}
