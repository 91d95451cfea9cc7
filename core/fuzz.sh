#!/usr/bin/env bash
# Runs each Jazzer fuzz test for a bounded time (default 60s each), one after the other.
#   core/fuzz.sh            # all three, 60s each
#   core/fuzz.sh 10m Frame  # only FrameDecoderFuzzTest, ten minutes
# New crashing inputs land in src/test/resources/dev/ringhttp/core/fuzz/<Test>Inputs/<method>/,
# which the normal `mvn test` replays (regression mode); the growing corpus stays in .cifuzz-corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60s}"
filter="${2:-}"
for test in RequestParserFuzzTest FrameDecoderFuzzTest OutgoingRingFuzzTest ServerActionsFuzzTest; do
  [[ -n "$filter" && "$test" != *"$filter"* ]] && continue
  echo "== fuzzing $test for $duration"
  # Only the fuzz execution: with -Dtest the default execution would run (and fuzz) the same test again.
  JAZZER_FUZZ=1 mvn -q -pl core test-compile surefire:test@fuzz-regression -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="$duration" -DtrimStackTrace=false
done
