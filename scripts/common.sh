# scripts/common.sh: sourced by scripts/play and scripts/test.
# Installs the Debian packages Skirmish needs, only those missing, with apt-get
# as root or through sudo otherwise, and configures/builds a CMake preset.
set -euo pipefail

SKIRMISH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SKIRMISH_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libenet-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
  flatbuffers-compiler libflatbuffers-dev
  libasio-dev libsodium-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  xvfb xauth xdotool fonts-dejavu-core
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
