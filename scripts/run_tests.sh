#!/usr/bin/env bash
# Runs the whole test suite in .venv. pytest's exit code 5 (no test collected) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" TF_USE_LEGACY_KERAS=1 TF_CPP_MIN_LOG_LEVEL=2
# scikit-learn runs its array-API estimator checks only with this set (otherwise they skip)
export SCIPY_ARRAY_API=1
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
