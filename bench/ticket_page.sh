#!/usr/bin/env bash
# The QR ticket page of a real mpp-central under load on loopback (wrk, one valid ticket URL,
# 10 s at 200 and at 1,000 connections), 50 kiosks pushing events at once while the page is
# under load, and the server's memory at rest and under load. Everything stays on 127.0.0.1.
#   bash bench/ticket_page.sh                 this tree's server
#   bash bench/ticket_page.sh --before REV    also REV's server, built in target/before (5342050
#                                             is the server before the timeouts and read connections)
# Needs wrk (apt-get install -y wrk). Not run in CI. The server gets LimitNOFILE=8192 as in its
# unit; the load tool runs on the same cores as the server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
cd "$root"
if [ "${1:-}" = "--before" ]; then
  rev=${2:?a revision, e.g. main}
  src=$(mktemp -d); trap 'rm -rf "$src"' EXIT
  git archive "$rev" | tar -x -C "$src"
  (cd "$src" && CARGO_TARGET_DIR="$root/target/before" cargo build --release --quiet -p mpp-central --bin mpp-central)
  echo "== before ($rev)"
  MPP_CENTRAL_BINARY="$root/target/before/release/mpp-central" cargo bench --quiet -p mpp-central --bench ticket_page
  echo "== after (this tree)"
fi
cargo bench --quiet -p mpp-central --bench ticket_page
