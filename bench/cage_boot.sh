#!/usr/bin/env bash
# The packaged kiosk as its unit starts it, under cage's headless backend: from the start of
# `cage -s -- /usr/bin/mpp-kiosk` to READY=1 on the notify socket (store, catalog, printer
# driver and first frame up) and to the first picture grim sees with the app on it; then the
# kiosk's and cage's memory at idle and their CPU over 60 s; and the size of each package.
#   bash bench/cage_boot.sh             builds both packages first (cargo deb, release)
#   bash bench/cage_boot.sh --no-build  uses the packages in target/debian/
# The package is unpacked into a temporary root (nothing is installed on this machine); its
# production kiosk.toml is used with the data moved into the temporary folder, the virtual
# printer (no printer is attached here) and sync off (no server). Runs as root with the
# unprivileged user mpp-screen for cage (cage refuses root). Needs cage, grim, xwayland,
# python3, cargo-deb. Not run in CI; figures go in the session's note.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
user=mpp-screen
[ "$(id -u)" = 0 ] || { echo "run as root (cage then runs as $user)" >&2; exit 1; }
id "$user" >/dev/null 2>&1 || { echo "no user $user: useradd --system $user" >&2; exit 1; }
if [ "${1:-}" != "--no-build" ]; then
  (cd "$root" && cargo deb --quiet -p mpp-kiosk && cargo deb --quiet -p mpp-central)
fi
kiosk_deb=$(ls -t "$target"/debian/mpp-kiosk_*.deb | head -1)
central_deb=$(ls -t "$target"/debian/mpp-central_*.deb | head -1)

work=$(mktemp -d); chmod 755 "$work"
cleanup() { [ -n "${cage:-}" ] && kill "$cage" 2>/dev/null; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
dpkg-deb -x "$kiosk_deb" "$work/root"
mkdir -p "$work/data" "$work/run"; chmod 700 "$work/run"
sed -e "s|^database = .*|database = \"$work/data/kiosk.db\"|" \
    -e "s|^output_dir = .*|output_dir = \"$work/data/prints\"|" \
    -e 's|^transport = .*|transport = "virtual"|' \
    -e 's|^signing_key = .*|signing_key = "bench-signing-key-0123456789"|' \
    -e '/^\[sync\]/,/^\[/ s|^enabled = .*|enabled = false|' \
    "$work/root/etc/mpp-kiosk/kiosk.toml" > "$work/kiosk.toml"
chown -R "$user:" "$work/data" "$work/run" "$work/kiosk.toml"

# READY=1 arrives on a datagram socket, as systemd would take it (NotifyAccess=all).
python3 - "$work/notify" > "$work/notify.log" <<'PY' &
import socket, sys, time, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777)
s.settimeout(60)
while True:
    data = s.recv(4096).decode()
    for line in data.splitlines():
        print(f"{time.time_ns() // 1000000} {line}", flush=True)
    if "READY=1" in data:
        break
PY
listener=$!
while [ ! -S "$work/notify" ]; do sleep 0.05; done

ms() { echo $(( $(date +%s%N) / 1000000 )); }
as_user() { setpriv --reuid="$user" --regid="$user" --init-groups -- env XDG_RUNTIME_DIR="$work/run" "$@"; }
start=$(ms)
as_user env WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
  NOTIFY_SOCKET="$work/notify" MPP_KIOSK_LOG=info \
  cage -s -- "$work/root/usr/bin/mpp-kiosk" --config "$work/kiosk.toml" \
  >"$work/kiosk.log" 2>&1 &
cage=$!
# The first picture with the app's light background in its corner.
frame=
while [ -z "$frame" ]; do
  if [ -S "$work/run/wayland-0" ] &&
     as_user env WAYLAND_DISPLAY=wayland-0 grim -t ppm -g "5,5 1x1" "$work/run/pixel.ppm" 2>/dev/null &&
     [ "$(tail -c 3 "$work/run/pixel.ppm" | od -An -tx1 | tr -d ' ')" != "000000" ]; then
    frame=$(ms)
  fi
  [ $(( $(ms) - start )) -gt 60000 ] && { echo "no frame within 60 s"; tail "$work/kiosk.log"; exit 1; }
  sleep 0.02
done
wait "$listener" || { echo "no READY=1 within 60 s"; tail "$work/kiosk.log"; exit 1; }
ready=$(awk '/READY=1/ {print $1; exit}' "$work/notify.log")
echo "cage start to READY=1: $(( ready - start )) ms"
echo "cage start to the first frame on screen: $(( frame - start )) ms (grim polled every 20 ms)"

kiosk=$(pgrep -P "$cage" -f mpp-kiosk | head -1)
sleep 5
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$1/status"; }
echo "resident memory at idle: kiosk $(rss "$kiosk"), cage $(rss "$cage")"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
k0=$(ticks "$kiosk"); c0=$(ticks "$cage"); sleep 60; k1=$(ticks "$kiosk"); c1=$(ticks "$cage")
pct() { awk -v t="$1" -v hz="$hz" 'BEGIN {printf "%.2f%%", 100 * t / hz / 60}'; }
echo "CPU at idle over 60 s: kiosk $(pct $((k1 - k0))), cage $(pct $((c1 - c0)))"
for deb in "$kiosk_deb" "$central_deb"; do
  echo "$(basename "$deb"): $(( $(stat -c %s "$deb") / 1024 )) KiB, installed $(dpkg-deb -f "$deb" Installed-Size) KiB"
done
