#!/usr/bin/env bash
# Builds the risksheet Python module (an abi3 wheel for CPython >= 3.9) with maturin and installs
# it into a Python interpreter, replacing any installed risksheet.
#
#   python/build.sh                      # debug build, into `python3`
#   RELEASE=1 python/build.sh            # optimized build
#   PYTHON=/usr/bin/python3 PIP_BREAK_SYSTEM_PACKAGES=1 python/build.sh   # Debian's system Python
#
# Cargo's target dir is $CARGO_TARGET_DIR when set (cargo's default otherwise); the wheel is left
# in $WHEEL_DIR (default: <target>/wheels). Needs maturin; installs it with pip when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
py="${PYTHON:-python3}"

if [[ ! -f "$root/README.md" ]]; then
  echo "python/build.sh: maturin needs $root/README.md (the readme named in Cargo.toml)" >&2
  exit 1
fi

if ! command -v maturin >/dev/null 2>&1; then
  "$py" -m pip install --quiet --disable-pip-version-check 'maturin>=1.5,<2' ||
    python3 -m pip install --quiet --disable-pip-version-check 'maturin>=1.5,<2'
fi
maturin="$(command -v maturin || echo "$py -m maturin")"

out="${WHEEL_DIR:-${CARGO_TARGET_DIR:-$root/target}/wheels}"
mkdir -p "$out"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

profile=()
[[ "${RELEASE:-}" == 1 ]] && profile=(--release)
(cd "$here" && $maturin build --quiet "${profile[@]}" --out "$stage")
wheel="$(ls "$stage"/risksheet-*-abi3-*.whl)"
cp "$wheel" "$out/"
wheel="$out/$(basename "$wheel")"

"$py" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --force-reinstall --no-deps "$wheel"
# Import from outside the source tree, so that python/risksheet (no compiled module) is not picked up.
(cd / && "$py" -c 'import risksheet, sys; print("risksheet", risksheet.__version__, "installed for", sys.executable, "from", risksheet.__file__)')
echo "$wheel"
