#!/usr/bin/env bash
# The two set-up commands of the README, on a fresh Debian 12 machine:
#   bash scripts/dev.sh run    install what is missing, build Release, run the quick suite
#   bash scripts/dev.sh test   install what is missing, build Release, run the whole test suite
# Missing Debian packages are installed with apt-get when run as root; otherwise the exact
# command is printed and the script stops. SYSBENCH_WERROR=ON turns warnings into errors (CI).
set -euo pipefail

cd "$(dirname "$0")/.."

readonly PACKAGES=(build-essential cmake libcli11-dev libfmt-dev nlohmann-json3-dev
                   libgtest-dev libbenchmark-dev libeigen3-dev
                   pkg-config liburing-dev)
# Only the tests need these: Google Benchmark's compare.py reads our gbench-json in a test.
readonly TEST_PACKAGES=(libbenchmark-tools python3-scipy fio)

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_packages() {
  local missing
  missing=$(missing_packages "$@" | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "dev.sh: installing: $missing" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2 ||
      { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >&2; }
  else
    echo "dev.sh: missing Debian packages; run this, then this script again:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 2
  fi
}

build_release() {
  cmake --preset release -DSYSBENCH_WERROR="${SYSBENCH_WERROR:-OFF}" >/dev/null
  cmake --build --preset release -j "$(nproc)"
}

case "${1:-}" in
  run)
    install_packages "${PACKAGES[@]}"
    build_release
    build/release/sysbench all --quick
    ;;
  test)
    install_packages "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    build_release
    ctest --preset release -j "$(nproc)"
    ;;
  *)
    echo "usage: bash scripts/dev.sh run|test" >&2
    exit 2
    ;;
esac
