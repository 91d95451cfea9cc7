#!/usr/bin/env bash
# Runs the whole-server adversarial test (AdversarialServerTest) with fresh seeds until a time budget
# is spent, loopback only. Each run lasts CHUNK seconds; a failing seed's report is kept and the next
# seed starts. Replay a failure with the command printed for it.
#   core/adversarial.sh            # 1 hour, 300 s per seed
#   core/adversarial.sh 6h 600     # 6 hours, 600 s per seed
# Extra Maven flags go in ADV_MAVEN_FLAGS, e.g. ADV_MAVEN_FLAGS=-Dringhttp.adversarial.without=long-pipelines
set -uo pipefail
cd "$(dirname "$0")/.."
budget="${1:-1h}"
chunk="${2:-300}"
to_seconds() {
  local v="$1"
  case "$v" in
    *h) echo $(( ${v%h} * 3600 )) ;;
    *m) echo $(( ${v%m} * 60 )) ;;
    *s) echo "${v%s}" ;;
    *) echo "$v" ;;
  esac
}
end=$(( $(date +%s) + $(to_seconds "$budget") ))
logs="core/target/adversarial"
mkdir -p "$logs"
mvn -q -B -pl core test-compile || exit 2
runs=0
failed=()
while (( $(date +%s) + chunk < end )); do
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
  seed=$(( seed % 9000000000000000000 ))
  runs=$((runs + 1))
  echo "== seed $seed for ${chunk}s"
  # Only the default surefire execution: with -Dtest the fuzz execution would run the test a second time.
  if mvn -q -B -pl core surefire:test -Dtest=AdversarialServerTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dringhttp.adversarial.seed="$seed" -Dringhttp.adversarial.seconds="$chunk" ${ADV_MAVEN_FLAGS:-} \
      >"$logs/seed-$seed.log" 2>&1; then
    rm -f "$logs/seed-$seed.log"
  else
    failed+=("$seed")
    echo "   FAILED: see $logs/seed-$seed.log; replay: mvn -pl core surefire:test -Dtest=AdversarialServerTest" \
         "-Dringhttp.adversarial.seed=$seed -Dringhttp.adversarial.seconds=$chunk ${ADV_MAVEN_FLAGS:-}"
  fi
done
echo "== $runs runs, ${#failed[@]} failed${failed:+: ${failed[*]}}"
(( ${#failed[@]} == 0 ))
