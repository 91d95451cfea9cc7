package dev.ringhttp.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the link concludes from its heartbeats: working, late, or a broken subscription. */
class ClusterHeartbeatsTests {

    private static final long TIMEOUT = 3_000;

    private final Heartbeats heartbeats = new Heartbeats();

    @Test
    void aConfirmedHeartbeatThatNeverComesBackMeansTheSubscriptionIsBroken() {
        heartbeats.subscribed();
        long n = heartbeats.assign();
        heartbeats.confirmed(n, 1_000);

        assertThat(heartbeats.lostLongerThan(TIMEOUT, 1_000 + TIMEOUT)).isFalse();
        assertThat(heartbeats.lostLongerThan(TIMEOUT, 1_000 + TIMEOUT + 1)).isTrue();
    }

    @Test
    void aHeartbeatNeverConfirmedSaysNothingAgainstTheSubscription() {
        heartbeats.subscribed();
        heartbeats.assign(); // queued or published, but Redis never confirmed it: publishing fails or lags

        assertThat(heartbeats.lostLongerThan(TIMEOUT, Long.MAX_VALUE / 2)).isFalse();
        assertThat(heartbeats.backSinceSubscribing()).isFalse();
    }

    @Test
    void comingBackBeforeOrAfterItsConfirmationIsTheSame() {
        heartbeats.subscribed();
        long first = heartbeats.assign();
        heartbeats.returned(first, 10); // the subscriber can hear it before the publisher hears Redis's reply
        heartbeats.confirmed(first, 11);
        long second = heartbeats.assign();
        heartbeats.confirmed(second, 20);
        heartbeats.returned(second, 21);

        assertThat(heartbeats.lostLongerThan(TIMEOUT, 1_000_000)).isFalse();
        assertThat(heartbeats.backSinceSubscribing()).isTrue();
        assertThat(heartbeats.lastBackNanos()).isEqualTo(21);
    }

    @Test
    void aLaterHeartbeatBackCoversEarlierOnesThatWereLost() {
        heartbeats.subscribed();
        long first = heartbeats.assign();
        heartbeats.confirmed(first, 0);
        long second = heartbeats.assign();
        heartbeats.confirmed(second, 100);
        heartbeats.returned(second, 150);

        assertThat(heartbeats.lostLongerThan(TIMEOUT, 10_000)).isFalse();
    }

    @Test
    void heartbeatsFromBeforeTheSubscriptionAreNotExpectedBack() {
        long old = heartbeats.assign();
        heartbeats.subscribed();
        heartbeats.confirmed(old, 0);
        assertThat(heartbeats.lostLongerThan(TIMEOUT, 10_000)).isFalse();

        heartbeats.returned(old, 5);
        assertThat(heartbeats.anyBack()).isTrue();
        assertThat(heartbeats.backSinceSubscribing()).isFalse();
    }
}
