#!/usr/bin/env bash
# Builds the risksheet Python module (an abi3 wheel for CPython >= 3.9) with maturin and installs
# it into a Python interpreter, replacing any installed risksheet. The build is the one `pip
# install .` runs (the repository's pyproject.toml), without pip's isolated build environment and
# in the debug profile unless RELEASE=1.
#
#   python/build.sh                      # debug build, into `python3`
#   RELEASE=1 python/build.sh            # optimized build
#   PYTHON=/usr/bin/python3 PIP_BREAK_SYSTEM_PACKAGES=1 python/build.sh   # Debian's system Python
#   WHEEL=target/wheels/risksheet-….whl PYTHON=/usr/bin/python3 python/build.sh  # install a built wheel
#
# The last line printed is the wheel's path: the abi3 wheel built once installs into every CPython
# >= 3.9, so `WHEEL="$(python/build.sh | tail -n1)"` then `WHEEL=… PYTHON=other python/build.sh`
# installs the same wheel into a second interpreter without building again. An interpreter without
# pip (Debian's python3 without python3-pip) is installed into by the pip of `python3`
# (`pip --python`).
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

if [[ -n "${WHEEL:-}" ]]; then
  wheel="$(cd "$(dirname "$WHEEL")" && pwd)/$(basename "$WHEEL")"
  if [[ ! -f "$wheel" ]]; then
    echo "python/build.sh: no wheel $WHEEL" >&2
    exit 1
  fi
else
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
  (cd "$root" && $maturin build --quiet "${profile[@]}" --out "$stage" >&2)
  wheel="$(ls "$stage"/risksheet-*-abi3-*.whl)"
  cp "$wheel" "$out/"
  wheel="$out/$(basename "$wheel")"
fi

pip_args=(install --quiet --disable-pip-version-check --root-user-action=ignore --force-reinstall --no-deps "$wheel")
if "$py" -m pip --version >/dev/null 2>&1; then
  "$py" -m pip "${pip_args[@]}" >&2
else
  python3 -m pip --python "$py" "${pip_args[@]}" >&2
fi
# Import from outside the source tree, so that python/risksheet (no compiled module) is not picked up.
(cd / && "$py" -c 'import risksheet, sys; print("risksheet", risksheet.__version__, "installed for", sys.executable, "from", risksheet.__file__)' >&2)
echo "$wheel"
