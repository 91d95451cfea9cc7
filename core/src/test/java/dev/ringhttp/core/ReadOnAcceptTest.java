package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadOnAcceptTest {

    @Test
    void readsAtOnceUntilReadsFindNothingThenProbesOneConnectionInEight() {
        ReadOnAccept policy = new ReadOnAccept();
        assertThat(policy.readNow()).isTrue();
        policy.record(false);
        assertThat(policy.paying()).isFalse();
        int reads = 0;
        for (int i = 0; i < 8 * ReadOnAccept.PROBE; i++) {
            if (policy.readNow()) {
                reads++;
                policy.record(false);
            }
        }
        assertThat(reads).isEqualTo(8);
    }

    @Test
    void aReadThatFindsItsRequestOutweighsSixThatFindNothing() {
        ReadOnAccept policy = new ReadOnAccept();
        for (int i = 0; i < ReadOnAccept.HIT; i++) {
            policy.record(false);
        }
        policy.record(true);
        assertThat(policy.paying()).isTrue();
        policy.record(false);
        assertThat(policy.paying()).isFalse();
    }

    @Test
    void theScoreIsBoundedSoEitherWayItTurnsWithinAFewDozenConnections() {
        ReadOnAccept policy = new ReadOnAccept();
        for (int i = 0; i < 10_000; i++) {
            policy.record(false);
        }
        for (int i = 0; i < -ReadOnAccept.FLOOR / ReadOnAccept.HIT; i++) {
            policy.record(true);
        }
        assertThat(policy.paying()).isTrue();
        for (int i = 0; i < 10_000; i++) {
            policy.record(true);
        }
        for (int i = 0; i <= ReadOnAccept.CEILING; i++) {
            policy.record(false);
        }
        assertThat(policy.paying()).isFalse();
    }
}
