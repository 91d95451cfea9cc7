package dev.ringhttp.core.adversarial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every broken invariant seen during a run, from any thread. Grouped by kind, with the first few
 * details of each, so one failing run shows every distinct defect it hit, not only the first.
 */
final class Violations {

    private static final int DETAILS_PER_KIND = 3;

    private final Map<String, List<String>> byKind = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    synchronized void add(String kind, String detail) {
        counts.merge(kind, 1, Integer::sum);
        List<String> details = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
        if (details.size() < DETAILS_PER_KIND) {
            details.add(detail);
        }
    }

    synchronized boolean isEmpty() {
        return counts.isEmpty();
    }

    synchronized int kinds() {
        return counts.size();
    }

    synchronized String report() {
        StringBuilder sb = new StringBuilder();
        counts.forEach((kind, n) -> {
            sb.append("  ").append(kind).append(" (").append(n).append("x)\n");
            for (String d : byKind.get(kind)) {
                sb.append("      ").append(d.replace("\n", "\n      ")).append('\n');
            }
        });
        return sb.toString();
    }
}
