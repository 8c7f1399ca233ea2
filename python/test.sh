#!/usr/bin/env bash
# Builds the newsx wheel and runs the Python tests (python/tests, the Spark
# recipe's among them) in a virtual environment with pinned tools.
#   bash python/test.sh [pytest arguments...]
# NEWSX_VENV: the venv folder (default target/python-venv);
# NEWSX_WHEEL_PROFILE=release: build the wheel optimised (default: the dev
# profile, which compiles faster and gives the same records).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${NEWSX_VENV:-target/python-venv}"
if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian's python3 has venv in a package of its own.
    rm -rf "$venv"
    export DEBIAN_FRONTEND=noninteractive
    timeout 900 apt-get update -qq
    timeout 900 apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
fi
# Spark runs on Java (17 here; installed from Debian when missing).
if ! command -v java >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 apt-get update -qq
  timeout 900 apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
timeout 1800 "$venv/bin/python" -m pip install -q --disable-pip-version-check \
  maturin==1.16.0 pytest==9.2.0 pyspark==4.3.0

profile=()
[ "${NEWSX_WHEEL_PROFILE:-dev}" = release ] && profile=(--release)
wheels="target/wheels/test"
rm -rf "$wheels"
timeout 2400 "$venv/bin/maturin" build "${profile[@]}" -m python/Cargo.toml \
  -i "$venv/bin/python" --out "$wheels"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall \
  --no-deps "$wheels"/newsx-*.whl

# The tests compare with the command line's records: its binary is built
# here (a no-op after `cargo test`).
cargo build --quiet --bin newsx
NEWSX_BIN="$PWD/target/debug/newsx" NEWSX_REQUIRE_SPARK=1 \
  timeout 1200 "$venv/bin/python" -m pytest python/tests -q -p no:cacheprovider "$@"
