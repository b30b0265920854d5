#!/usr/bin/env bash
# Health checks of a real mpp-central while 500 sockets trickle request bodies into it (the
# phone survey form, a byte every 2 s, each socket coming back as soon as it is closed), on
# loopback only: how many health checks are answered and how fast, and how long the server held
# each trickling connection. One Python process (asyncio, bench/slow_bodies.py) holds the
# sockets, another asks for the health check every 250 ms on a new connection.
#   bash bench/slow_bodies.sh                         target/release (else target/debug) server
#   MPP_CENTRAL_BINARY=path bash bench/slow_bodies.sh another build (e.g. main's, to compare)
#   SOCKETS=500 SECONDS_=30 CAP=189 bash bench/slow_bodies.sh
# CAP is `[http] max_connections` (default 189, as in issue #23's measurement); CAP=derived
# leaves it to the descriptor limit. Not run in CI. Needs python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sockets=${SOCKETS:-500}
seconds=${SECONDS_:-30}
cap=${CAP:-189}
binary=${MPP_CENTRAL_BINARY:-}
if [ -z "$binary" ]; then
  for profile in release debug; do
    if [ -x "$root/target/$profile/mpp-central" ]; then binary="$root/target/$profile/mpp-central"; break; fi
  done
fi
[ -x "${binary:-}" ] || { echo "no mpp-central built: cargo build -p mpp-central" >&2; exit 1; }
binary=$(realpath "$binary")
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
[ "$sockets" -le 2000 ] || { echo "at most 2000 sockets" >&2; exit 1; }

work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp "$root/assets/catalog.json" "$work/catalog.json"
{
  echo "listen = \"127.0.0.1:$port\""
  echo 'database = "central.db"'
  echo 'catalog = "catalog.json"'
  echo 'name = "MPP Bench"'
  echo '[http]'
  [ "$cap" != derived ] && echo "max_connections = $cap"
} > "$work/central.toml"
(cd "$work" && ulimit -n 4096 && MPP_CENTRAL_LOG=${MPP_CENTRAL_LOG:-info} exec "$binary" --config central.toml) 2> "$work/server.log" &
server=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
echo "== $binary"
echo "== $sockets trickling sockets for $seconds s, max_connections = $cap"

python3 "$root/bench/slow_bodies.py" flood "$port" "$sockets" "$seconds" > "$work/flood.out" &
flood=$!
python3 "$root/bench/slow_bodies.py" health "$port" "$sockets" "$seconds"
wait "$flood"
cat "$work/flood.out"
echo "== the server's log at the connection cap:"
grep -c 'at the connection cap' "$work/server.log" | sed 's/^/lines: /'
grep 'at the connection cap' "$work/server.log" | head -2 | cut -c1-400
