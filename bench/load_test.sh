#!/usr/bin/env bash
# bench/load_test.sh: a load-test scenario of issue 4 on this machine.
# Starts a release skirmish-server on a free port, runs skirmish-bots against
# it (rooms of 8, 60 Hz ticks, 30 Hz snapshots), and prints the bots' JSON
# report plus the server's memory and CPU.
#   bench/load_test.sh BOTS SECONDS [extra server flags...]
#   e.g. bench/load_test.sh 256 60
#        bench/load_test.sh 8 60 --delta off
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bots="${1:?bots}"; seconds="${2:?seconds}"; shift 2
bin="$root/build/release"
out="$(mktemp -d)"
"$bin/server/skirmish-server" --port 0 --log-level warn --max-per-address 8192 --max-connections 8192 \
  --challenges-per-address 10000 --challenges-per-second 10000 "$@" \
  >"$out/server.log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "UDP port" "$out/server.log" && break; sleep 0.1; done
port="$(grep -o 'UDP port [0-9]*' "$out/server.log" | grep -o '[0-9]*$')"
idle_kb="$(awk '/VmRSS/ {print $2}' /proc/$server/status)"
"$bin/client/bots/skirmish-bots" --server "127.0.0.1:$port" --bots "$bots" --duration "$seconds" \
  --room-size 8 --ramp-per-s 100 --report "$out/report.json" >"$out/bots.log"
peak_kb="$(awk '/VmHWM/ {print $2}' /proc/$server/status)"
cpu_s="$(awk '{printf "%.1f", ($14 + $15) / 100}' /proc/$server/stat)"
cat "$out/report.json"
echo "server: idle RSS ${idle_kb} KiB, peak RSS ${peak_kb} KiB, $(( (peak_kb - idle_kb) / bots )) KiB per player, CPU ${cpu_s} s"
