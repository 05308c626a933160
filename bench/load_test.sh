#!/usr/bin/env bash
# bench/load_test.sh: a load test of one server on this machine, with the
# figures issue 13 asks for.
# Starts a release skirmish-server on a free loopback port, runs skirmish-bots
# against it (rooms of 8, 60 Hz ticks, 30 Hz snapshots), and prints the bots'
# JSON report, the server's memory, and over a steady window after the ramp:
#   - the server's CPU per player-tick (its utime + stime from /proc, divided
#     by the players and the ticks in the window),
#   - the bots' CPU per bot-tick (the same for the skirmish-bots process).
# With --vs-floor it then runs skirmish-enet-floor (bare ENet with the match's
# traffic shape: bench/enet_floor.cpp) with the same N, the same window and
# the real run's snapshot size, and prints the floor's CPU per player-tick and
# the ratio of the two, which holds however loaded the machine is.
#
#   bench/load_test.sh BOTS SECONDS [--vs-floor] [extra server flags...]
#   e.g. bench/load_test.sh 256 60 --vs-floor
#        bench/load_test.sh 8 60 --delta off
# Environment: LOAD_TEST_BUILD (default build/release), LOAD_TEST_BOT_FLAGS
# (extra skirmish-bots flags, e.g. "--input-rate 30 --threads 2"; without
# --threads the bots get one thread fewer than the machine has cores).
# The last lines are KEY=VALUE for scripts (server_us_per_player_tick, ...).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bots="${1:?usage: bench/load_test.sh BOTS SECONDS [--vs-floor] [server flags...]}"
seconds="${2:?usage: bench/load_test.sh BOTS SECONDS [--vs-floor] [server flags...]}"
shift 2
vs_floor=0
if [[ "${1:-}" == "--vs-floor" ]]; then vs_floor=1; shift; fi
bin="${LOAD_TEST_BUILD:-$root/build/release}"
read -r -a bot_flags <<<"${LOAD_TEST_BOT_FLAGS:-}"
# The server shares this machine: the bots get the cores it does not use
# (on 2 cores, bots on both starved the server's tick: p99 14 ms instead of 9.5 at 1,000).
if [[ " ${bot_flags[*]} " != *" --threads "* && " ${bot_flags[*]} " != *" --threads="* ]]; then
  bot_flags+=(--threads "$(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))")
fi
ramp_per_s=100
tick_rate=60
args=("$@")
for i in "${!args[@]}"; do  # the server's tick rate, if the flags change it
  case "${args[$i]}" in
    --tick-rate) tick_rate="${args[$((i + 1))]:-60}" ;;
    --tick-rate=*) tick_rate="${args[$i]#--tick-rate=}" ;;
  esac
done
# The steady window: from the end of the ramp plus 8 s (rooms fill, matches
# start, clocks settle) to 3 s before the bots stop.
window_start=$(( (bots + ramp_per_s - 1) / ramp_per_s + 8 ))
window_end=$(( seconds - 3 ))
if (( window_end - window_start < 10 )); then
  echo "load_test.sh: $bots bots ramp up in $(( window_start - 8 )) s: run for at least $(( window_start + 13 )) s" >&2
  exit 2
fi
for exe in server/skirmish-server client/bots/skirmish-bots bench/skirmish-enet-floor; do
  [[ -x "$bin/$exe" ]] || { echo "load_test.sh: $bin/$exe is missing: build it (cmake --build --preset release)" >&2; exit 2; }
done
out="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
# Waits for a child and forgets it, so cleanup never signals a reused pid.
reap() { local status=0; wait "$1" || status=$?; local keep=(); for p in "${pids[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done; pids=("${keep[@]}"); return "$status"; }
# A window that could not be measured: one of the processes died.
no_window() { echo "load_test.sh: $1 ended before the window did; see the logs in $out" >&2; exit 1; }
trap cleanup EXIT

# Clock ticks of CPU (user + system) a process has used so far (its name has no spaces).
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
clk_tck="$(getconf CLK_TCK)"
# Waits until a line matching $2 is in file $1 (10 s at most).
wait_for_line() {
  for _ in $(seq 1 100); do grep -q "$2" "$1" && return 0; sleep 0.1; done
  echo "load_test.sh: no '$2' in $1:" >&2; cat "$1" >&2; exit 1
}
# Samples the CPU of the server ($1) and of the load ($2) at the window's
# start and end, counted from $3 (the load's start, date +%s.%N); prints
# "server_cpu_s load_cpu_s window_s".
sleep_until() { sleep "$(python3 -c 'import sys,time; print(max(0.0, float(sys.argv[1]) - time.time()))' "$1")"; }
measure_window() {
  local t0 s0 l0 t1 s1 l1
  sleep_until "$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "$3" "$window_start")"
  t0=$(date +%s.%N); s0=$(cpu_of "$1"); l0=$(cpu_of "$2")
  sleep_until "$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "$3" "$window_end")"
  t1=$(date +%s.%N); s1=$(cpu_of "$1"); l1=$(cpu_of "$2")
  python3 -c 'import sys; a=list(map(float,sys.argv[1:])); t=a[6]; print(f"{(a[4]-a[1])/t:.3f} {(a[5]-a[2])/t:.3f} {a[3]-a[0]:.3f}")' \
    "$t0" "$s0" "$l0" "$t1" "$s1" "$l1" "$clk_tck"
}
per_tick_us() { python3 -c 'import sys; c,n,w=map(float,sys.argv[1:]); print(f"{c/(n*w*'"$tick_rate"')*1e6:.2f}")' "$@"; }

# --- the real server ---------------------------------------------------------------
"$bin/server/skirmish-server" --port 0 --bind 127.0.0.1 --discovery off --log-level warn \
  --max-per-address 8192 --max-connections 8192 --challenges-per-address 10000 --challenges-per-second 10000 "$@" \
  >"$out/server.log" 2>&1 &
server=$!; pids+=("$server")
wait_for_line "$out/server.log" "game on UDP port"
port="$(grep -o 'game on UDP port [0-9]*' "$out/server.log" | head -1 | grep -o '[0-9]*$')"
idle_kb="$(awk '/VmRSS/ {print $2}' /proc/$server/status)"
"$bin/client/bots/skirmish-bots" --server "127.0.0.1:$port" --bots "$bots" --duration "$seconds" \
  --room-size 8 --ramp-per-s "$ramp_per_s" --report "$out/report.json" "${bot_flags[@]}" >"$out/bots.log" 2>&1 &
load=$!; pids+=("$load"); load_start="$(date +%s.%N)"
read -r server_cpu bots_cpu window_s < <(measure_window "$server" "$load" "$load_start") || no_window "skirmish-server or skirmish-bots"
reap "$load" || echo "load_test.sh: skirmish-bots exited with status $? (a threshold, or nothing connected): $out/bots.log" >&2
peak_kb="$(awk '/VmHWM/ {print $2}' /proc/$server/status)"
kill -INT "$server"; reap "$server" 2>/dev/null || true
[[ -s "$out/report.json" ]] || no_window "skirmish-bots (no report)"
cat "$out/report.json"
read -r connected snapshot_bytes tick_p50 tick_p99 overruns bot_threads < <(python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
s=r.get("server", {}); t=s.get("tick_ms", {})
print(r["connected"], max(1, round(r.get("snapshot_bytes_mean") or 27)), t.get("p50", 0), t.get("p99", 0), s.get("overruns", 0),
      r.get("threads", 1))' \
  "$out/report.json") || no_window "the report"
# How busy the bots' threads were: near 100 %, a bot does less than a tick's
# work per tick, so its CPU per bot-tick reads low and its RTT high.
bots_busy_pct="$(python3 -c 'import sys; c,w,t=map(float,sys.argv[1:]); print(f"{100*c/(w*t):.0f}")' "$bots_cpu" "$window_s" "$bot_threads")"
server_us="$(per_tick_us "$server_cpu" "$bots" "$window_s")"
bots_us="$(per_tick_us "$bots_cpu" "$bots" "$window_s")"
echo "server: idle RSS ${idle_kb} KiB, peak RSS ${peak_kb} KiB, $(( (peak_kb - idle_kb) / bots )) KiB per player"
echo "window: ${window_s} s from ${window_start} s after the bots started; server CPU ${server_cpu} s, bots CPU ${bots_cpu} s; ${connected}/${bots} bots connected at the end"
echo "server: ${server_us} µs of CPU per player-tick, tick p50 ${tick_p50} ms p99 ${tick_p99} ms, ${overruns} overruns"
echo "bots:   ${bots_us} µs of CPU per bot-tick, their ${bot_threads} thread(s) ${bots_busy_pct} % busy"
if (( bots_busy_pct >= 90 )); then
  echo "bots:   saturated: they fell behind, so their CPU per bot-tick understates what they need and their RTT and inputs suffer (more cores or fewer bots)"
fi

# --- the floor ---------------------------------------------------------------------
floor_us=""
if (( vs_floor )); then
  "$bin/bench/skirmish-enet-floor" serve --port 0 --tick-rate "$tick_rate" --snapshot-bytes "$snapshot_bytes" \
    >"$out/floor.log" 2>&1 &
  floor=$!; pids+=("$floor")
  wait_for_line "$out/floor.log" "serving on UDP port"
  floor_port="$(grep -o 'UDP port [0-9]*' "$out/floor.log" | grep -o '[0-9]*$')"
  "$bin/bench/skirmish-enet-floor" play --server "127.0.0.1:$floor_port" --peers "$bots" --duration "$seconds" \
    --ramp-per-s "$ramp_per_s" --tick-rate "$tick_rate" >"$out/floor-play.log" 2>&1 &
  play=$!; pids+=("$play"); play_start="$(date +%s.%N)"
  read -r floor_cpu play_cpu floor_window_s < <(measure_window "$floor" "$play" "$play_start") || no_window "skirmish-enet-floor"
  reap "$play" || echo "load_test.sh: not every floor peer stayed connected: $out/floor-play.log" >&2
  kill -INT "$floor"; reap "$floor" 2>/dev/null || true
  cat "$out/floor-play.log" "$out/floor.log" | grep -v "serving on"
  floor_us="$(per_tick_us "$floor_cpu" "$bots" "$floor_window_s")"
  ratio="$(python3 -c 'import sys; a,b=map(float,sys.argv[1:]); print(f"{a/b:.2f}" if b > 0 else "nan")' "$server_us" "$floor_us")"
  echo "floor:  ${floor_us} µs of CPU per player-tick (bare ENet, ${snapshot_bytes}-byte snapshots); skirmish-server is ${ratio}× the floor"
  echo "floor players: $(per_tick_us "$play_cpu" "$bots" "$floor_window_s") µs of CPU per peer-tick (one ENet host for every peer)"
fi
echo "server_us_per_player_tick=${server_us}"
echo "bots_us_per_bot_tick=${bots_us}"
echo "bots_busy_pct=${bots_busy_pct}"
echo "server_tick_p99_ms=${tick_p99}"
if (( vs_floor )); then echo "floor_us_per_player_tick=${floor_us}"; echo "server_vs_floor=${ratio}"; fi
echo "logs: $out"
