#!/usr/bin/env bash
# Idempotent set-up used by `make demo` and `make test` (and so by .ci/run):
#   1. the Debian packages (R, glmnet, ...) when any is missing (as root; otherwise
#      print the exact apt line and stop);
#   2. a virtual environment in .venv with statprune installed (editable) and its
#      extras; redone only when pyproject.toml or the extras change.
# Usage: scripts/setup.sh [demo|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-demo}"

APT_PKGS="gcc libc6-dev r-base-core r-cran-glmnet r-cran-mass r-cran-jsonlite r-cran-survival r-cran-randomforest r-cran-leaps r-cran-car"
# optparse: the command lines of the pure-R reference scripts (r_scripts/_args.R, step_reference.R)
APT_PKGS="$APT_PKGS r-cran-optparse"
# PyICU (collation="locale": factor levels sorted by ICU as R does) builds against the system ICU
APT_PKGS="$APT_PKGS libicu-dev pkg-config g++"
EXTRAS="r,test,crosscheck"
if [ "$mode" = "test" ]; then
  # locales: the collation tests run R under LC_COLLATE=en_US.UTF-8 (generated below)
  APT_PKGS="$APT_PKGS chromium locales"
  EXTRAS="r,test,keras,crosscheck"
fi

missing=""
for p in $APT_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  line="apt-get update && apt-get install -y --no-install-recommends$missing"
  if [ "$(id -u)" != "0" ]; then
    echo "statprune needs these Debian packages:$missing" >&2
    echo "Run as root:  $line" >&2
    exit 1
  fi
  echo "==> installing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "$mode" = "test" ] && ! locale -a 2>/dev/null | grep -qi '^en_US\.utf-\?8$'; then
  if [ "$(id -u)" = "0" ]; then
    echo "==> generating the en_US.UTF-8 locale (R's English-locale collation in the tests)" >&2
    sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen
    grep -q '^en_US.UTF-8 UTF-8' /etc/locale.gen || echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen
    locale-gen >/dev/null
  else
    echo "the collation tests need the en_US.UTF-8 locale; as root: locale-gen en_US.UTF-8" >&2
  fi
fi

PY="${PYTHON:-python3}"
stamp="$( (cat pyproject.toml; Rscript -e 'cat(R.version.string)' 2>/dev/null) | sha256sum | cut -d' ' -f1)"
# Up to date when the stamp matches and every requested extra is already installed.
if [ -x .venv/bin/python ] && [ -f .venv/.statprune-stamp ] && grep -qx "$stamp" .venv/.statprune-stamp; then
  have="$(cat .venv/.statprune-extras 2>/dev/null || true)"
  need_more=""
  for e in ${EXTRAS//,/ }; do
    case ",$have," in *",$e,"*) ;; *) need_more=1 ;; esac
  done
  [ -z "$need_more" ] && exit 0
fi
echo "==> setting up the virtual environment .venv (extras: $EXTRAS)" >&2
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$EXTRAS]" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
# the gram engine's C kernels, compiled once here (not per process); numba is the fallback
.venv/bin/python -m statprune.engines._native >/dev/null || true
printf '%s\n' "$stamp" > .venv/.statprune-stamp
printf '%s\n' "$EXTRAS" > .venv/.statprune-extras
