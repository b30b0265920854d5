#!/usr/bin/env bash
# Screenshots of every screen of the real kiosk, run under Xvfb at a given size, for looking at
# the layout as a visitor would and for the README.
#   bash tools/screenshots.sh 1920 1080 docs/screenshots
# Needs: apt-get install xvfb xdotool imagemagick (and the X11 run-time libraries).
set -euo pipefail
width=${1:-1920}; height=${2:-1080}; out=${3:-docs/screenshots}
root=$(cd "$(dirname "$0")/.." && pwd)
binary="$root/target/release/mpp-kiosk"
[ -x "$binary" ] || (cd "$root" && cargo build --release)
mkdir -p "$out"; out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'kill $kiosk $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 "${width}x${height}x24" >/dev/null 2>&1 & xvfb=$!
export DISPLAY=$display
sleep 1
# The demo configuration, with the window as large as the screen (no window manager here).
sed -e "s/^window_width = .*/window_width = $width/" -e "s/^window_height = .*/window_height = $height/" \
  "$root/kiosk.toml" > "$work/kiosk.toml"
# A Monday morning in Jakarta, so services are open.
"$binary" --config "$work/kiosk.toml" --now 2026-11-23T02:30:00Z >"$work/kiosk.log" 2>&1 & kiosk=$!
sleep 3

shot() { sleep 0.8; import -window root "$out/$1-${width}x${height}.png"; }
tap() { xdotool mousemove "$(( width * $1 / 100 ))" "$(( height * $2 / 100 ))" click 1; }
tap_at() { xdotool mousemove "$1" "$2" click 1; }

shot 1-welcome
tap 50 45; shot 2-agencies          # the "touch to start" panel
tap 12 25; shot 3-services          # the first agency tile (Dukcapil)
tap 40 22; shot 4-detail            # the first service
tap_at "$(( width / 5 ))" "$(( height - 110 ))"; sleep 1; shot 5-done   # "Take a number"
echo "screenshots in $out"
