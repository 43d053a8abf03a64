#!/usr/bin/env bash
# Runs before `npm test`: the tests need the Debian packages in
# scripts/test-deps.txt (which says why each). Installs them when one is
# missing and we are root; otherwise says exactly what to run.
set -euo pipefail
LIST="$(dirname "$0")/test-deps.txt"
PY=/usr/bin/python3
# `package probe` pairs, comments and blank lines left out.
entries() { sed -e 's/#.*//' "$LIST" | awk 'NF { print $1, ($2 == "" ? "-" : $2) }'; }
# Every probe answers: commands on PATH, executables, and one python3 run for the modules.
have() {
  local pkg probe mods=()
  while read -r pkg probe; do
    case "$probe" in
      -) ;;
      py:*) mods+=("${probe#py:}") ;;
      /*) [ -x "$probe" ] || return 1 ;;
      *) command -v "$probe" >/dev/null || return 1 ;;
    esac
  done < <(entries)
  [ ${#mods[@]} -eq 0 ] || { [ -x "$PY" ] && "$PY" -c "import $(IFS=,; echo "${mods[*]}")" >/dev/null 2>&1; }
}
if have; then exit 0; fi
PKGS="$(entries | awk '{ print $1 }' | paste -sd ' ')"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "botstack tests: installing $PKGS (Debian packages the integration tests run)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
  have && exit 0
fi
echo "botstack tests need these Debian packages: sudo apt-get install -y $PKGS" >&2
exit 2
