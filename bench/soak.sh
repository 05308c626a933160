#!/usr/bin/env bash
# bench/soak.sh: the soak of issue 10. An ASan + UBSan skirmish-server (the dev
# preset) plays 64 ASan bots for MINUTES while their conditioner cycles through
# bench/soak_conditions.txt (50, 100, 150 and 250 ms RTT with jitter, 1-10 %
# loss, duplication, reordering) with a 500 ms outage of both directions every
# 20 s. Reports crashes, sanitizer reports, unplanned disconnects, desyncs
# (recorded matches that do not re-simulate to the server's step hashes) and the
# server's RSS growth, as a table and as JSON. Exit 0 when all are 0 and the RSS
# grew less than 5 %; 1 when a goal is missed; 2 for bad usage or no build.
#   bench/soak.sh MINUTES [OUT_DIR]       (MINUTES may be a fraction: 0.5)
#   e.g. bench/soak.sh 1                  a quick self-check
#        bench/soak.sh 30                 the issue's run
# OUT_DIR (default build/soak/<date-time>) gets summary.json, the logs, the bots'
# report, rss.tsv (seconds, VmRSS KiB, load average, server CPU s, and the RSS
# in ASan's heap, its shadow and the rest, KiB), drops.txt
# (each bot that dropped, placed against the outages) and the demos.
# Environment: SOAK_BOTS (64); SOAK_BOT_PROCS (4 skirmish-bots processes share
# the bots: a busy machine gives each process its share of the CPU, and a stall
# in one is not a stall in all); SOAK_BOT_FLAGS (--no-prediction, see
# docs/TESTING.md); SOAK_STEP_S (60, shorter for runs under 8 minutes);
# SOAK_OUTAGE_MS (500); SOAK_OUTAGE_EVERY_S (20); SOAK_RSS_EVERY_S (5);
# SOAK_BUILD (build/dev); SOAK_WARM_S (when the RSS baseline is taken);
# SOAK_CONDITIONS (bench/soak_conditions.txt; one line for a steady network).
# Docs: docs/TESTING.md, "Soak".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
minutes="${1:-}"
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || usage
out="${2:-$root/build/soak/$(date +%Y%m%d-%H%M%S)}"
bots="${SOAK_BOTS:-64}"
procs="${SOAK_BOT_PROCS:-4}"
if ! [[ "$bots" =~ ^[0-9]+$ && "$procs" =~ ^[0-9]+$ ]] || [ "$procs" -lt 1 ] || [ "$bots" -lt "$procs" ]; then
  echo "soak: SOAK_BOTS ($bots) must be a number of at least SOAK_BOT_PROCS ($procs), itself at least 1" >&2
  exit 2
fi
bin="${SOAK_BUILD:-$root/build/dev}"
server_bin="$bin/server/skirmish-server"
bots_bin="$bin/client/bots/skirmish-bots"
replay_bin="$bin/tools/replay/skirmish-replay"
for b in "$server_bin" "$bots_bin"; do
  if [ ! -x "$b" ]; then
    echo "soak: $b is missing: build the dev preset first (cmake --preset dev && cmake --build --preset dev)" >&2
    exit 2
  fi
done
duration_s="$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 + 0.5 }')"
if [ "$duration_s" -lt 20 ]; then echo "soak: run at least 20 s (MINUTES 0.34 or more)" >&2; exit 2; fi
ramp_per_s=8 # in all, shared by the processes
ramp_s=$(( (bots + ramp_per_s - 1) / ramp_per_s ))
# Steps of 60 s; a short run cycles faster so it still meets every profile twice.
step_s="${SOAK_STEP_S:-$(awk -v d="$duration_s" 'BEGIN { s = d / 8; if (s > 60) s = 60; if (s < 3) s = 3; printf "%g", s }')}"
outage_ms="${SOAK_OUTAGE_MS:-500}"
outage_every_s="${SOAK_OUTAGE_EVERY_S:-20}"
rss_every_s="${SOAK_RSS_EVERY_S:-5}"
# The RSS baseline: after the ramp and the first matches, and after ASan's
# quarantine and the allocators' caches have filled (10 % of the run, at least
# the ramp + 30 s, at most half the run).
warm_s="${SOAK_WARM_S:-$(awk -v d="$duration_s" -v r="$ramp_s" 'BEGIN { w = d / 10; if (w < r + 30) w = r + 30; if (w > d / 2) w = d / 2; printf "%d", w }')}"

mkdir -p "$out/demos" || exit 2
awk -v s="$step_s" '/^[ \t]*(#|$)/ { print; next } { $1 = s; print }' "${SOAK_CONDITIONS:-$root/bench/soak_conditions.txt}" \
  >"$out/conditions.txt"
record_flags=()
# (The whole help read first: `grep -q` would close the pipe early, the server
# die of SIGPIPE and pipefail call the pipeline failed.)
server_help="$("$server_bin" --help 2>/dev/null)"
if [[ "$server_help" == *--record-dir* ]]; then record_flags=(--record-dir "$out/demos"); fi

# Sanitizers: report everything to stderr, leaks at exit included; UBSan is
# built not to recover (-fno-sanitize-recover), so a UB report also ends the
# process. ASan's quarantine of freed memory is 16 MiB instead of 256: the
# default takes minutes to fill and grows the RSS all that time, which would
# hide (or fake) a leak; use-after-free is still caught for the last 16 MiB freed.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:print_summary=1:quarantine_size_mb=16${SOAK_ASAN_OPTIONS:+:$SOAK_ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:print_summary=1"

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started_at="$(date -Iseconds)"
echo "soak: ${minutes} min, $bots bots in $procs processes, steps of ${step_s} s, ${outage_ms} ms outage every ${outage_every_s} s, load $load_start; output in $out"

"$server_bin" --port 0 --bind 127.0.0.1 --discovery off --log-level info --max-connections 4096 --max-per-address 4096 \
  "${record_flags[@]}" >"$out/server.log" 2>"$out/server.err" &
server=$!
bot_pids=()
cleanup() { kill -INT "$server" "${bot_pids[@]}" 2>/dev/null; kill "${sampler:-}" 2>/dev/null; }
trap cleanup EXIT
port=""
for _ in $(seq 1 300); do
  port="$(grep -o 'game on UDP port [0-9]*' "$out/server.log" 2>/dev/null | head -1 | grep -o '[0-9]*$')" && [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "soak: the server did not start; see $out/server.err" >&2
  cat "$out/server.err" >&2
  exit 1
fi

# Where the RSS lies, from /proc/PID/smaps, in KiB: "heap<TAB>shadow<TAB>other".
# heap: ASan's allocator region (0x600000000000-0x640000000000 on x86-64), the
# server's own allocations, freed ones included while they sit in the
# quarantine or in a size class's free list; shadow: ASan's shadow memory
# (0x7fff8000-0x10007fff8000), an eighth of every byte ever touched; other:
# the rest (code, stacks, ASan's own bookkeeping such as the stack depot,
# large allocations). A release build puts everything under "other".
rss_parts() {
  awk 'function pad(a) { return substr("0000000000000000", 1, 16 - length(a)) a }
    /^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); lo = pad(r[1]); next }
    /^Rss:/ { if (lo >= "0000600000000000" && lo < "0000640000000000") heap += $2
              else if (lo >= "000000007fff7000" && lo < "000010007fff8000") shadow += $2
              else other += $2 }
    END { printf "%d\t%d\t%d", heap, shadow, other }' "$1" 2>/dev/null
}

# RSS, load, the server's CPU seconds and where the RSS lies, every few seconds,
# while the server lives.
t0="$(date +%s.%N)"
(
  while kill -0 "$server" 2>/dev/null; do
    rss="$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status" 2>/dev/null)"
    cpu="$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$server/stat" 2>/dev/null)"
    parts="$(rss_parts "/proc/$server/smaps")"
    [ -n "$rss" ] && printf '%s\t%s\t%s\t%s\t%s\n' "$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.1f", a - b }')" \
      "$rss" "$(cut -d' ' -f1 /proc/loadavg)" "$cpu" "$parts" >>"$out/rss.tsv"
    sleep "$rss_every_s"
  done
) &
sampler=$!

# Each process its own share of the bots, names, seed and relay; the outages
# lie on the clock, so every relay cuts at the same moments. The monotonic
# clock at the start places each bot's drop against the outages.
bots_started_mono="$(python3 -c 'import time; print(f"{time.monotonic():.3f}")')"
for i in $(seq 1 "$procs"); do
  n=$(( bots / procs + (i <= bots % procs ? 1 : 0) ))
  "$bots_bin" --server "127.0.0.1:$port" --bots "$n" --duration "$duration_s" --room-size 8 \
    --ramp-per-s "$(awk -v r="$ramp_per_s" -v p="$procs" 'BEGIN { printf "%g", r / p }')" \
    --name-prefix "soak$i" --conditions-schedule "$out/conditions.txt" \
    --outage-ms "$outage_ms" --outage-every-s "$outage_every_s" --seed "$i" \
    ${SOAK_BOT_FLAGS---no-prediction} --report "$out/bots-$i.json" >"$out/bots-$i.log" 2>"$out/bots-$i.err" &
  bot_pids+=($!)
done
bots_rc=0
bots_exits=()
for pid in "${bot_pids[@]}"; do
  wait "$pid"; rc=$?
  bots_exits+=("$rc")
  case "$rc" in 0|3) ;; *) bots_rc="$rc" ;; esac
done
bot_pids=()

server_alive=1
kill -0 "$server" 2>/dev/null || server_alive=0
server_cpu_s="$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$server/stat" 2>/dev/null || echo null)"
kill -INT "$server" 2>/dev/null
wait "$server"
server_rc=$?
trap - EXIT
kill "$sampler" 2>/dev/null
wait "$sampler" 2>/dev/null
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- crashes and sanitizer reports -------------------------------------------------
crashes=0
crash_notes=()
if [ "$server_alive" = 0 ]; then crashes=$((crashes + 1)); crash_notes+=("the server died during the run (exit $server_rc)");
elif [ "$server_rc" != 0 ]; then crashes=$((crashes + 1)); crash_notes+=("the server exited $server_rc on SIGINT"); fi
# skirmish-bots: 0 ok, 3 a threshold missed (none are set here); 1 nothing connected; anything else a crash.
for rc in "${bots_exits[@]}"; do
  case "$rc" in
    0|3) ;;
    *) crashes=$((crashes + 1)); crash_notes+=("a skirmish-bots process exited $rc") ;;
  esac
done
sanitizer_pattern='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: (AddressSanitizer|LeakSanitizer)'
count_reports() { cat "$@" 2>/dev/null | grep -cE "$sanitizer_pattern"; }
server_reports="$(count_reports "$out/server.err" "$out/server.log")"
bots_reports="$(count_reports "$out"/bots-*.err "$out"/bots-*.log)"
sanitizer_reports=$((server_reports + bots_reports))

# --- disconnects ----------------------------------------------------------------------
# The processes' reports summed (RTT and snapshot figures: the worst process's).
reports=()
for i in $(seq 1 "$procs"); do [ -s "$out/bots-$i.json" ] && reports+=("$out/bots-$i.json"); done
if [ "${#reports[@]}" -eq "$procs" ]; then
  jq -s '{
    disconnects: (map(.disconnects) | add), lobby_disconnects: (map(.lobby_disconnects) | add),
    connected: (map(.connected) | add), matches: (map(.matches) | add),
    rtt_ms: { p50: (map(.rtt_ms.p50) | max), p99: (map(.rtt_ms.p99) | max), max: (map(.rtt_ms.max) | max) },
    snapshots_per_s: { p50: (map(.snapshots_per_s.p50) | min), min: (map(.snapshots_per_s.min) | min) },
    server: { tick_ms_p99: (map(.server.tick_ms.p99) | max), overruns: (map(.server.overruns) | max) },
    relay: (map(.relay) | { up: (map(.up) | { packets_in: (map(.packets_in) | add), dropped: (map(.dropped) | add), cut_off: (map(.cut_off) | add), duplicated: (map(.duplicated) | add), reordered: (map(.reordered) | add) }),
                            down: (map(.down) | { packets_in: (map(.packets_in) | add), dropped: (map(.dropped) | add), cut_off: (map(.cut_off) | add), duplicated: (map(.duplicated) | add), reordered: (map(.reordered) | add) }) }),
    problems: (map(.problems) | add | unique | .[:5]) }' "${reports[@]}" >"$out/bots.json"
  disconnects="$(jq '.disconnects' "$out/bots.json")"
  lobby_disconnects="$(jq '.lobby_disconnects' "$out/bots.json")"
  connected="$(jq '.connected' "$out/bots.json")"
  matches="$(jq '.matches' "$out/bots.json")"
else
  echo '{}' >"$out/bots.json"
  disconnects=null; lobby_disconnects=null; connected=0; matches=0
fi
not_connected=$((bots - connected))

# Every drop the bots logged, with where it fell against the outages.
for i in $(seq 1 "$procs"); do
  grep -hE 'game connection lost|lobby connection ended' "$out/bots-$i.err" 2>/dev/null
done | awk -v m="$bots_started_mono" -v e="$outage_every_s" -v l="$outage_ms" '{
  match($0, /\[ *[0-9.]+\]/); t = substr($0, RSTART + 1, RLENGTH - 2) + 0; phase = ((m + t) % e) * 1000
  printf "%s (%.0f ms after an outage began%s)\n", $0, phase, phase < l ? ", during it" : "" }' | sort -n -k2 >"$out/drops.txt"

# --- desyncs: every recorded match re-simulated ---------------------------------------------
demos=0; desyncs=null; desync_notes=()
if [ "${#record_flags[@]}" -gt 0 ] && [ -x "$replay_bin" ]; then
  desyncs=0
  while IFS= read -r -d '' demo; do
    demos=$((demos + 1))
    if ! "$replay_bin" verify "$demo" >>"$out/verify.log" 2>&1; then
      desyncs=$((desyncs + 1)); desync_notes+=("$(basename "$demo")")
    fi
  done < <(find "$out/demos" -name '*.skdemo' -print0 | sort -z)
fi

# --- RSS growth ---------------------------------------------------------------------------
# Baseline: the first sample at or after warm_s. Last steady state: the last
# sample taken while the bots still played (before duration_s).
read -r rss_base rss_base_t rss_last rss_last_t rss_max < <(awk -v w="$warm_s" -v d="$duration_s" '
  $1 >= w && base == "" { base = $2; bt = $1 }
  $1 <= d { last = $2; lt = $1 }
  $2 > max { max = $2 }
  END { printf "%s %s %s %s %s\n", (base == "" ? "null" : base), (bt == "" ? "null" : bt), (last == "" ? "null" : last), (lt == "" ? "null" : lt), (max == "" ? "null" : max) }' \
  "$out/rss.tsv" 2>/dev/null || echo "null null null null null")
if [ "$rss_base" != null ] && [ "$rss_last" != null ]; then
  rss_growth="$(awk -v a="$rss_base" -v b="$rss_last" 'BEGIN { printf "%.2f", (b - a) * 100 / a }')"
else
  rss_growth=null
fi
# The same two samples split by where the RSS lies (see rss_parts), as JSON.
rss_parts_json="$(awk -v bt="$rss_base_t" -v lt="$rss_last_t" '
  $1 == bt { hb = $5; sb = $6; ob = $7 } $1 == lt { hl = $5; sl = $6; ol = $7 }
  END { if (hb == "" || hl == "") { print "null"; exit }
        printf "{\"heap\":[%d,%d],\"shadow\":[%d,%d],\"other\":[%d,%d]}", hb, hl, sb, sl, ob, ol }' "$out/rss.tsv" 2>/dev/null)"
[ -n "$rss_parts_json" ] || rss_parts_json=null
load_mean="$(awk '{ s += $3; n++ } END { if (n) printf "%.2f", s / n; else print "null" }' "$out/rss.tsv" 2>/dev/null)"

# --- verdict ----------------------------------------------------------------------------------
problems=()
[ "$crashes" -eq 0 ] || problems+=("crashes: ${crash_notes[*]}")
[ "$sanitizer_reports" -eq 0 ] || problems+=("$sanitizer_reports sanitizer report lines (server $server_reports, bots $bots_reports)")
[ "$disconnects" = 0 ] || problems+=("unplanned disconnects: $disconnects")
[ "$not_connected" -eq 0 ] || problems+=("$not_connected bots not connected at the end")
[ "$desyncs" = 0 ] || [ "$desyncs" = null ] || problems+=("desyncs in ${desync_notes[*]}")
[ "$desyncs" != null ] || problems+=("desyncs not checked: the server has no --record-dir or skirmish-replay is missing")
awk -v g="$rss_growth" 'BEGIN { exit !(g != "null" && g < 5) }' || problems+=("RSS growth ${rss_growth} % (goal under 5 %)")

jq -n --arg started "$started_at" --argjson minutes "$minutes" --argjson bots "$bots" --argjson duration_s "$duration_s" \
  --argjson step_s "$step_s" --argjson outage_ms "$outage_ms" --argjson outage_every_s "$outage_every_s" \
  --argjson crashes "$crashes" --argjson sanitizer_reports "$sanitizer_reports" \
  --argjson server_reports "$server_reports" --argjson bots_reports "$bots_reports" \
  --argjson disconnects "$disconnects" --argjson lobby_disconnects "$lobby_disconnects" \
  --argjson connected "$connected" --argjson matches "$matches" --argjson demos "$demos" --argjson desyncs "$desyncs" \
  --argjson rss_base "$rss_base" --argjson rss_base_t "$rss_base_t" --argjson rss_last "$rss_last" \
  --argjson rss_last_t "$rss_last_t" --argjson rss_max "$rss_max" --argjson rss_growth "$rss_growth" \
  --argjson rss_parts "$rss_parts_json" \
  --arg load_start "$load_start" --arg load_end "$load_end" --argjson load_mean "$load_mean" \
  --argjson server_rc "$server_rc" --argjson bots_rc "$bots_rc" --argjson procs "$procs" \
  --argjson server_cpu_s "$server_cpu_s" --slurpfile bots_report "$out/bots.json" \
  --arg out "$out" --argjson ok "$([ "${#problems[@]}" -eq 0 ] && echo true || echo false)" \
  --args '{
    started: $started, minutes: $minutes, bots: $bots, bot_processes: $procs, duration_s: $duration_s,
    conditions: { step_s: $step_s, outage_ms: $outage_ms, outage_every_s: $outage_every_s },
    crashes: $crashes, server_exit: $server_rc, bots_exit: $bots_rc,
    sanitizer_reports: $sanitizer_reports, sanitizer_reports_server: $server_reports, sanitizer_reports_bots: $bots_reports,
    unplanned_disconnects: $disconnects, lobby_disconnects: $lobby_disconnects, connected_at_end: $connected,
    matches_played_by_bots: $matches, demos_verified: $demos, desyncs: $desyncs,
    rss_kib: { baseline: $rss_base, baseline_at_s: $rss_base_t, last: $rss_last, last_at_s: $rss_last_t, max: $rss_max },
    rss_parts_kib: $rss_parts,
    rss_growth_pct: $rss_growth, server_cpu_s: $server_cpu_s, bots_report: $bots_report[0],
    load_average: { start: $load_start, end: $load_end, mean_1min: $load_mean },
    output: $out, goals_met: $ok, problems: $ARGS.positional }' "${problems[@]}" >"$out/summary.json"

relay="$(jq -r 'if .relay then "up \(.relay.up.packets_in) in, \(.relay.up.dropped) dropped (\(.relay.up.cut_off) by outages), \(.relay.up.duplicated) dup, \(.relay.up.reordered) reordered; down \(.relay.down.packets_in) in, \(.relay.down.dropped) dropped (\(.relay.down.cut_off) by outages), \(.relay.down.duplicated) dup, \(.relay.down.reordered) reordered" else "-" end' "$out/bots.json" 2>/dev/null)"
rtt="$(jq -r '"p50 \(.rtt_ms.p50) p99 \(.rtt_ms.p99) max \(.rtt_ms.max) ms; snapshots/s p50 \(.snapshots_per_s.p50) min \(.snapshots_per_s.min); server tick p99 \(.server.tick_ms_p99) ms, \(.server.overruns) overruns"' "$out/bots.json" 2>/dev/null)"
{
  printf '%-24s %s\n' "soak" "$minutes min ($duration_s s), $bots bots in $procs processes, rooms of 8, started $started_at"
  printf '%-24s %s\n' "network" "4 profiles of ${step_s} s (50/100/150/250 ms RTT), ${outage_ms} ms outage every ${outage_every_s} s"
  printf '%-24s %s\n' "crashes" "$crashes${crash_notes:+ (${crash_notes[*]})}"
  printf '%-24s %s\n' "sanitizer reports" "$sanitizer_reports (server $server_reports, bots $bots_reports)"
  printf '%-24s %s\n' "unplanned disconnects" "$disconnects (lobby $lobby_disconnects); $connected of $bots connected at the end"
  sed -n '1,5p' "$out/drops.txt" | cut -c1-200 | while IFS= read -r line; do printf '%-24s %s\n' "  drop" "$line"; done
  printf '%-24s %s\n' "desyncs" "$desyncs of $demos recorded matches"
  printf '%-24s %s\n' "server RSS" "baseline ${rss_base} KiB at ${rss_base_t} s, last ${rss_last} KiB at ${rss_last_t} s, max ${rss_max} KiB"
  printf '%-24s %s\n' "RSS growth" "${rss_growth} %"
  jq -r 'if . then to_entries[] | "\(.key) \(.value[0]) -> \(.value[1]) KiB (\(.value[1] - .value[0] | if . >= 0 then "+\(.)" else "\(.)" end))" else empty end' \
    <<<"$rss_parts_json" 2>/dev/null | while IFS= read -r line; do printf '%-24s %s\n' "  of which" "$line"; done
  printf '%-24s %s\n' "server CPU" "${server_cpu_s} s over the run"
  printf '%-24s %s\n' "bots' figures" "$matches matches; rtt $rtt"
  printf '%-24s %s\n' "relay" "$relay"
  printf '%-24s %s\n' "load average" "start $load_start, end $load_end, mean 1-min $load_mean (2 cores)"
  if [ "${#problems[@]}" -eq 0 ]; then printf '%-24s %s\n' "verdict" "all goals met"
  else for p in "${problems[@]}"; do printf '%-24s %s\n' "goal missed" "$p"; done; fi
  printf '%-24s %s\n' "summary" "$out/summary.json"
} | tee "$out/summary.txt"
[ "${#problems[@]}" -eq 0 ]
