#!/usr/bin/env bash
# The job without R (issue 15): a second virtual environment, .venv-nor, with statprune installed WITHOUT
# the [r] extra (so no rpy2), and R hidden from PATH (R_HOME unset), running the non-R test tier
# (`-m "not against_r"`: every test and doctest that needs R carries that marker, tests/conftest.py).
# It proves that a Python-only colleague can install statprune and use everything that does not need R.
# Usage: scripts/ci_without_r.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
VENV=.venv-nor
stamp="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if ! { [ -x "$VENV/bin/python" ] && [ -f "$VENV/.statprune-stamp" ] && grep -qx "$stamp" "$VENV/.statprune-stamp"; }; then
  echo "==> setting up $VENV (statprune[test,keras], without the [r] extra)" >&2
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test,keras]" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  printf '%s\n' "$stamp" > "$VENV/.statprune-stamp"
fi
if "$VENV/bin/python" -c "import rpy2" 2>/dev/null; then
  echo "error: rpy2 is installed in $VENV; the job without R must not have it" >&2
  exit 1
fi

# PATH without R: a directory of links to every program on PATH except R and Rscript
shadow="$(mktemp -d)"
trap 'rm -rf "$shadow"' EXIT
IFS=: read -r -a dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    name="${f##*/}"
    case "$name" in R|Rscript) continue ;; esac
    [ -x "$f" ] && [ ! -e "$shadow/$name" ] && ln -s "$f" "$shadow/$name"
  done
done
if PATH="$shadow" command -v Rscript >/dev/null 2>&1 || PATH="$shadow" command -v R >/dev/null 2>&1; then
  echo "error: R is still on the filtered PATH" >&2
  exit 1
fi

echo "==> the non-R tier, without R on PATH" >&2
export MPLBACKEND=Agg OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
export TF_USE_LEGACY_KERAS=1 TF_CPP_MIN_LOG_LEVEL=2 SCIPY_ARRAY_API=1
set +e
# STATPRUNE_NO_R_TIER: a test that finds out at run time that it needs R (tests/helpers.require_r) skips
# here instead of failing; the full suite (CI=true, with R) still fails on any such skip.
env -u R_HOME PATH="$shadow" STATPRUNE_NO_R_TIER=1 "$VENV/bin/python" -m pytest -m "not against_r" -p no:cacheprovider -rs "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
