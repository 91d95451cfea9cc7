package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    @Test
    void keepsEachListInTheOrderClocksStarted() {
        Deadlines d = new Deadlines(8, 2);
        d.append(0, 3, 10);
        d.append(0, 5, 11);
        d.append(1, 6, 12);
        d.append(0, 1, 13);
        assertThat(d.head(0)).isEqualTo(3);
        d.append(0, 3, 20);
        assertThat(d.head(0)).isEqualTo(5);
        d.remove(5);
        assertThat(d.head(0)).isEqualTo(1);
        d.append(1, 1, 21);
        assertThat(d.head(0)).isEqualTo(3);
        assertThat(d.head(1)).isEqualTo(6);
        assertThat(d.in(1, 1)).isTrue();
        assertThat(d.in(0, 1)).isFalse();
        d.remove(3);
        assertThat(d.head(0)).isEqualTo(Deadlines.NONE);
        d.remove(3);
        assertThat(d.since(6)).isEqualTo(12);
    }

    @Test
    void matchesAQueueModelUnderRandomOperations() {
        int ids = 64;
        Deadlines d = new Deadlines(ids, 3);
        @SuppressWarnings("unchecked")
        Deque<Integer>[] model = new Deque[] {new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>()};
        Random random = new Random(42);
        for (int step = 0; step < 100_000; step++) {
            int id = random.nextInt(ids);
            for (Deque<Integer> q : model) {
                q.remove(id);
            }
            if (random.nextInt(4) == 0) {
                d.remove(id);
            } else {
                int list = random.nextInt(3);
                d.append(list, id, step);
                model[list].addLast(id);
            }
            for (int list = 0; list < 3; list++) {
                Integer expected = model[list].peekFirst();
                assertThat(d.head(list)).isEqualTo(expected == null ? Deadlines.NONE : expected);
            }
        }
    }
}
