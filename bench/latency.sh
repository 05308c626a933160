#!/usr/bin/env bash
# bench/latency.sh: issue 12's latency table. Runs skirmish-bots through the
# named latency profiles (P0-P4, shared/net/latency_profiles.hpp) against a
# release skirmish-server, each with lag compensation on and then off, RUNS
# times over, and prints one table of medians: hit agreement (and why hits
# seen were refused), server-confirmed hits, corrections and their size,
# extrapolation and snaps of remote players, inputs applied, RTT, snapshot
# loss and bytes per second each way. Writes OUT/latency.md (the table, with
# how it was measured) and OUT/latency.png (gnuplot), and keeps every report
# under OUT/runs/PROFILE.on|off/.
#   bench/latency.sh [--bots 16] [--seconds 40] [--runs 3] [--profiles "P0 P1 P2 P3 P4"] [--out build/latency]
# Needs the release preset built:
#   cmake --preset release && cmake --build --preset release
# A bench, not a test: the figures depend on the machine's load, which the
# table's note states (load average before and after).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bots=16; seconds=40; runs=3; profiles="P0 P1 P2 P3 P4"; out="$root/build/latency"
while [ $# -gt 0 ]; do
  case "$1" in
    --bots) bots="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --profiles) profiles="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/latency.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bin="$root/build/release"
for tool in server/skirmish-server client/bots/skirmish-bots bench/skirmish-latency-table; do
  if [ ! -x "$bin/$tool" ]; then
    echo "bench/latency.sh: $bin/$tool is missing: build the release preset first" >&2
    echo "  (cmake --preset release && cmake --build --preset release)" >&2
    exit 1
  fi
done
plot=1
if ! command -v gnuplot >/dev/null; then
  echo "bench/latency.sh: gnuplot is not installed, so there will be no plot (the table is written anyway);" >&2
  echo "  install it with: sudo apt-get install gnuplot-nox" >&2
  plot=0
fi
mkdir -p "$out"
rm -rf "$out/runs"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u +%Y-%m-%dT%H:%MZ)"

server=""
stop_server() {
  if [ -n "$server" ]; then kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
trap stop_server EXIT

# run_one PROFILE on|off RUN: one server, one fleet, one report.
run_one() {
  local profile="$1" lag="$2" run="$3" dir="$out/runs/$1.$2"
  mkdir -p "$dir"
  "$bin/server/skirmish-server" --port 0 --bind 127.0.0.1 --discovery off --log-level warn --lag-compensation "$lag" >"$dir/server-$run.log" 2>&1 &
  server=$!
  local port=""
  for _ in $(seq 1 100); do
    port="$(grep -o 'game on UDP port [0-9]*' "$dir/server-$run.log" | head -1 | grep -o '[0-9]*$' || true)"
    [ -n "$port" ] && break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "bench/latency.sh: the server did not start; its log:" >&2
    cat "$dir/server-$run.log" >&2
    exit 1
  fi
  "$bin/client/bots/skirmish-bots" --server "127.0.0.1:$port" --bots "$bots" --room-size 8 --ramp-per-s 50 \
    --duration "$seconds" --profile "$profile" --report "$dir/run-$run.json" >"$dir/bots-$run.log" 2>&1 || true
  stop_server
  if [ ! -s "$dir/run-$run.json" ]; then
    echo "bench/latency.sh: $profile, lag compensation $lag, run $run wrote no report; its log:" >&2
    tail -5 "$dir/bots-$run.log" >&2
    exit 1
  fi
  printf '  %s lag compensation %-3s run %s: done\n' "$profile" "$lag" "$run" >&2
}

echo "bench/latency.sh: $bots bots in rooms of 8, $seconds s per run, $runs runs of profiles $profiles," \
     "lag compensation on and off (load average $load_before)" >&2
for run in $(seq 1 "$runs"); do
  for profile in $profiles; do
    for lag in on off; do run_one "$profile" "$lag" "$run"; done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

note="Medians of $runs runs, $bots bots in rooms of 8 for $seconds s each, release build, 60 Hz ticks and 30 Hz \
snapshots, on $(nproc) cores ($started; load average $load_before before and $load_after after). \
\`bench/latency.sh --bots $bots --seconds $seconds --runs $runs\`."
dirs=()
for profile in $profiles; do dirs+=("$out/runs/$profile.on" "$out/runs/$profile.off"); done
"$bin/bench/skirmish-latency-table" --markdown "$out/latency.md" --plot-data "$out/latency.dat" --note "$note" "${dirs[@]}"

if [ "$plot" = 1 ]; then
  gnuplot <<GNUPLOT
set terminal pngcairo size 1100,420 font ",10" noenhanced
set output "$out/latency.png"
set multiplot layout 1,2 title "Skirmish latency profiles: $bots bots, medians of $runs runs"
set style data linespoints
set grid ytics
set key bottom left
set xtics rotate by 0
set yrange [0:105]
set title "Hit agreement: shots seen to hit that the server confirmed (%)"
plot "$out/latency.dat" using 1:3:xtic(2) title "lag compensation on" lw 2 pt 7 lc rgb "#1b7837", \
     "" using 1:5:xtic(2) title "on, kill races left out" lw 2 pt 6 dt 2 lc rgb "#5aae61", \
     "" using 1:4:xtic(2) title "lag compensation off" lw 2 pt 5 lc rgb "#b2182b"
set title "Server-confirmed hits (% of shots)"
set yrange [0:*]
plot "$out/latency.dat" using 1:7:xtic(2) title "lag compensation on" lw 2 pt 7 lc rgb "#1b7837", \
     "" using 1:8:xtic(2) title "lag compensation off" lw 2 pt 5 lc rgb "#b2182b"
unset multiplot
GNUPLOT
  echo "bench/latency.sh: wrote $out/latency.md and $out/latency.png" >&2
else
  echo "bench/latency.sh: wrote $out/latency.md" >&2
fi
