#!/usr/bin/env bash
# bench/gameport_flood.sh: issue 10's spoofed-CONNECT flood against a release
# skirmish-server on this machine. Eight bots play in one room (skirmish-bots,
# the real client core) for the whole run; after a few seconds
# skirmish-gameport-flood sends RATE CONNECTs a second with guessed cookies
# (and a Hello a second per source) from SOURCES loopback addresses for
# SECONDS; halfway through, two new players join a room of their own. Prints
# the eight bots' report, the newcomers' report, the flood's per-source reply
# bytes and the server's RSS before and after.
#   bench/gameport_flood.sh [SECONDS=60] [RATE=10000] [SOURCES=1000]
# Needs the release preset built (cmake --build --preset release).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"; rate="${2:-10000}"; sources="${3:-1000}"
bin="$root/build/release"
out="$(mktemp -d)"
"$bin/server/skirmish-server" --port 0 --bind 127.0.0.1 --discovery off --log-level info >"$out/server.log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "game on UDP port" "$out/server.log" && break; sleep 0.1; done
port="$(grep -o 'game on UDP port [0-9]*' "$out/server.log" | head -1 | grep -o '[0-9]*$')"
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }

"$bin/client/bots/skirmish-bots" --server "127.0.0.1:$port" --bots 8 --room-size 8 --duration $((seconds + 10)) \
  --report "$out/players.json" >"$out/players.log" 2>&1 &
players=$!
sleep 5 # the eight are in their match
rss_before="$(rss)"
"$bin/bench/skirmish-gameport-flood" --port "$port" --sources "$sources" --rate "$rate" --seconds "$seconds" \
  >"$out/flood.json" &
flood=$!
flood_started="$(date +%s)"
sleep $((seconds / 2))
newcomers_started="$(date +%s)"
"$bin/client/bots/skirmish-bots" --server "127.0.0.1:$port" --bots 2 --room-size 2 --duration 10 \
  --name-prefix new --report "$out/newcomers.json" >"$out/newcomers.log" 2>&1 || true
flood_status=0
wait "$flood" || flood_status=$?
rss_after="$(rss)"
peak="$(awk '/VmHWM/ {print $2}' "/proc/$server/status")"
wait "$players" || true
kill -INT "$server"
wait "$server" || true
trap - EXIT
echo "== eight players (skirmish-bots --bots 8, the whole run)"
cat "$out/players.json"
echo "== two newcomers (skirmish-bots --bots 2 --room-size 2), started $((newcomers_started - flood_started)) s into the flood"
cat "$out/newcomers.json"
echo "== flood (exit $flood_status: 0 means no source got more bytes back than it sent)"
cat "$out/flood.json"
echo "== server RSS: ${rss_before} KiB before the flood, ${rss_after} KiB at its end ($(( rss_after - rss_before )) KiB), peak ${peak} KiB"
echo "== server: $(grep -o 'game port admission.*' "$out/server.log")"
