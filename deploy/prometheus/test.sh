#!/usr/bin/env bash
# Check and unit-test the Readout alerting rules with promtool.
# Installs promtool when missing (Debian package "prometheus", as root) and
# exits non-zero when a check or a test fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

log() { printf 'prometheus/test.sh: %s\n' "$*" >&2; }

if ! command -v promtool >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "promtool not found: installing the Debian package prometheus"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends prometheus >&2
    # The package starts a server on systemd hosts; promtool is all we need.
  else
    log "promtool not found and cannot install it (need root and apt-get)"
    exit 2
  fi
fi

run() {
  log "running: $*"
  "$@"
}

run promtool --version | head -n1
if promtool check config --help 2>&1 | grep -q -- --syntax-only; then
  # Syntax only: rule_files point at the container path /etc/prometheus.
  run promtool check config --syntax-only prometheus.yml
else
  log "this promtool cannot check prometheus.yml without its rule files; skipped"
fi
run promtool check rules readout.rules.yml
run promtool test rules readout.rules.test.yml
log "all rule checks and tests passed"
