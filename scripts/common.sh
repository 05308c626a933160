# scripts/common.sh: sourced by scripts/play, scripts/test and scripts/fuzz.
# Installs the Debian packages Skirmish needs, only those missing, with apt-get
# as root or through sudo otherwise, and configures/builds a CMake preset.
set -euo pipefail

SKIRMISH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SKIRMISH_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libenet-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libsdl2-mixer-dev
  flatbuffers-compiler libflatbuffers-dev
  libasio-dev libsodium-dev libzstd-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  libtomlplusplus-dev libcpp-httplib-dev libsqlitecpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  xvfb xauth xdotool fonts-dejavu-core
  clang libfuzzer-14-dev lld
)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_packages() {
  local missing=()
  for pkg in "${SKIRMISH_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "skirmish: these packages are missing and I am not root and there is no sudo: ${missing[*]}" >&2
      echo "skirmish: install them as root (apt-get install ${missing[*]}) and run this again." >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only if an install fails without it (fresh
  # machines often have none).
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# build_preset <preset> [targets...]: configure once, then an incremental build.
build_preset() {
  local preset="$1"; shift
  cd "$SKIRMISH_ROOT"
  if [ ! -f "build/$preset/build.ninja" ]; then
    say "configuring ($preset)"
    cmake --preset "$preset" >/dev/null
  fi
  say "building ($preset)"
  local args=(--build --preset "$preset" --parallel "$(nproc 2>/dev/null || echo 2)")
  [ $# -gt 0 ] && args+=(--target "$@")
  cmake "${args[@]}"
}

# run_fuzzers <seconds> [harness...]: runs each libFuzzer harness of the fuzz
# preset (all of tests/fuzz/corpus/* by default) for <seconds>, prints a line
# of executions per harness and the path of any crash file, and returns 1 if
# any harness found something. New inputs go to $SKIRMISH_FUZZ_WORK/<harness>
# (default build/fuzz/corpus), logs and crash files to $SKIRMISH_FUZZ_RUNS
# (default build/fuzz/runs); the committed seeds are only read.
run_fuzzers() {
  local seconds="$1"; shift
  cd "$SKIRMISH_ROOT"
  local harnesses=("$@")
  if [ ${#harnesses[@]} -eq 0 ]; then
    for dir in tests/fuzz/corpus/*/; do harnesses+=("$(basename "$dir")"); done
  fi
  local out="${SKIRMISH_FUZZ_RUNS:-build/fuzz/runs}" work="${SKIRMISH_FUZZ_WORK:-build/fuzz/corpus}"
  local failed=0 total=0
  mkdir -p "$out"
  for h in "${harnesses[@]}"; do
    local bin="build/fuzz/tests/fuzz/fuzz_$h"
    if [ ! -x "$bin" ]; then
      echo "fuzz: no harness named '$h' (built ones: $(ls build/fuzz/tests/fuzz | sed -n 's/^fuzz_//p' | tr '\n' ' '))" >&2
      return 2
    fi
    mkdir -p "$work/$h" "$out/$h"
    local log="$out/$h.log" rc=0
    # -rss_limit_mb / -malloc_limit_mb: a decoder that allocates without bound is a finding too.
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 \
      -print_final_stats=1 -artifact_prefix="$out/$h/" ${SKIRMISH_FUZZ_FLAGS:-} \
      "$work/$h" "tests/fuzz/corpus/$h" >"$log" 2>&1 || rc=$?
    local runs
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    runs="${runs:-0}"
    total=$((total + runs))
    if [ "$rc" -eq 0 ]; then
      printf 'fuzz: %-22s %12s executions in %ss, nothing found\n' "$h" "$runs" "$seconds"
    else
      failed=1
      printf 'fuzz: %-22s %12s executions, FAILED (exit %s); log: %s\n' "$h" "$runs" "$rc" "$log"
      grep -E 'fuzz check failed|ERROR: |SUMMARY: |runtime error' "$log" | head -5 | sed 's/^/fuzz:   /'
      for crash in "$out/$h"/crash-* "$out/$h"/leak-* "$out/$h"/timeout-* "$out/$h"/oom-*; do
        if [ -e "$crash" ]; then echo "fuzz:   crash file: $crash (replay: $bin $crash)"; fi
      done
    fi
  done
  printf 'fuzz: %s executions in total over %s harnesses\n' "$total" "${#harnesses[@]}"
  return "$failed"
}
