#!/usr/bin/env bash
# System calls per request of a running server, counted with perf on its system-call tracepoints (strace would
# slow the server enough that every request already waits when its connection is accepted, and hide the rest).
#   benchmarks/syscalls-per-request.sh PORT close|keep-alive PID...
# Runs wrk on CPU 0 (3 s warm-up, then 5 s counted) against http://127.0.0.1:PORT/hello; start the server pinned
# to CPU 1 first, e.g. taskset -c 1 java ... dev.ringhttp.bench.peers.RingHttpCorePeer -Dbench.port=18090.
# Needs perf (Debian: linux-perf) and root, or perf_event_paranoid <= -1.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 PORT close|keep-alive PID..." >&2; exit 2; }
port=$1; mode=$2; shift 2
hdr=(); [ "$mode" = close ] && hdr=(-H 'Connection: close')
pids=$(IFS=,; echo "$*")
events=raw_syscalls:sys_enter
for s in accept accept4 read recvfrom write writev sendto epoll_ctl epoll_wait ppoll poll close shutdown \
         setsockopt getsockopt fcntl getsockname futex; do
  events="$events,syscalls:sys_enter_$s"
done
counts=$(mktemp)
trap 'rm -f "$counts"' EXIT
taskset -c 0 wrk -t1 -c64 -d3s "${hdr[@]}" "http://127.0.0.1:$port/hello" > /dev/null
perf stat -x, -e "$events" -p "$pids" -- sleep 6 2> "$counts" &
sleep 0.2
requests=$(taskset -c 0 wrk -t1 -c64 -d5s "${hdr[@]}" "http://127.0.0.1:$port/hello" | awk '/requests in/ {print $1}')
wait
python3 - "$mode" "$requests" "$counts" <<'PY'
import sys
mode, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for line in open(path):
    f = line.strip().split(',')
    if len(f) > 2 and f[0].isdigit():
        rows.append((f[2].split(':')[-1].replace('sys_enter_', ''), int(f[0])))
total = dict(rows).get('sys_enter', 0)
parts = ', '.join(f'{k} {v / n:.2f}' for k, v in rows if k != 'sys_enter' and v / n >= 0.005)
print(f'{mode}: {n} requests counted; {total / n:.2f} system calls per request: {parts}')
PY
