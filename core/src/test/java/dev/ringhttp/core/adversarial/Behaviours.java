package dev.ringhttp.core.adversarial;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Triage switches: {@code -Dringhttp.adversarial.without=long-pipelines,dropped-stage} turns behaviour
 * families off, to look past a defect one of them triggers. Everything is on by default (and in CI).
 */
final class Behaviours {

    static final String LONG_PIPELINES = "long-pipelines";
    static final String DROPPED_STAGE = "dropped-stage";
    static final String THROWING_HANDLERS = "throwing-handlers";
    static final String VICTIMS = "victims";
    static final String CALLBACK_BROADCASTS = "callback-broadcasts";
    static final String STALLS = "stalls";

    private static final Set<String> OFF = Arrays.stream(System.getProperty("ringhttp.adversarial.without", "")
            .split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());

    private Behaviours() {
    }

    static boolean on(String behaviour) {
        return !OFF.contains(behaviour);
    }

    static String describeOff() {
        return OFF.isEmpty() ? "" : " -Dringhttp.adversarial.without=" + String.join(",", OFF);
    }
}
