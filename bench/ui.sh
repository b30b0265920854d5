#!/usr/bin/env bash
# Screen benchmark under Xvfb with the software renderer: start to first frame, resident
# memory at idle on the welcome screen, CPU at idle over 60 s, and the time from the tap on
# "take a number" to the job reaching the printer (file transport).
#   bash bench/ui.sh            (needs: apt-get install xvfb xdotool imagemagick)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary="$root/target/release/mpp-kiosk"
(cd "$root" && cargo build --release --quiet)
work=$(mktemp -d); trap 'kill $kiosk $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
width=1920; height=1080
display=:$((80 + RANDOM % 9))
Xvfb "$display" -screen 0 "${width}x${height}x24" >/dev/null 2>&1 & xvfb=$!
export DISPLAY=$display; sleep 1
# Full screen as in the lobby: the kiosk fits its 1000x600 window to the screen itself.
sed -e 's/^fullscreen = .*/fullscreen = true/' -e "s/^window_width = .*/window_width = 1000/" \
    -e "s/^window_height = .*/window_height = 600/" \
    -e 's/^transport = .*/transport = "file"/' "$root/kiosk.toml" > "$work/kiosk.toml"
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# First frame: the first moment the screen shows the app's light background instead of black.
start=$(ms)
"$binary" --config "$work/kiosk.toml" --now 2026-11-23T02:30:00Z >"$work/log" 2>&1 & kiosk=$!
while :; do
  pixel=$(import -window root -crop 1x1+5+5 txt:- 2>/dev/null | tail -1 | grep -o '#[0-9A-F]\{6\}' || true)
  [ "$pixel" != "" ] && [ "$pixel" != "#000000" ] && break
  [ $(( $(ms) - start )) -gt 20000 ] && { echo "no frame within 20 s"; exit 1; }
done
echo "start to first frame: $(( $(ms) - start )) ms (including the screenshot poll)"

sleep 5
echo "resident memory at idle: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$kiosk/status)"
ticks() { awk '{print $14 + $15}' /proc/$kiosk/stat; }
hz=$(getconf CLK_TCK); before=$(ticks); sleep 60; after=$(ticks)
echo "CPU at idle over 60 s: $(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN {printf "%.2f%%", 100 * t / hz / 60}')"

tap() { xdotool mousemove "$1" "$2" click 1; sleep 0.6; }
# Anywhere on the welcome screen, the first agency tile (Dukcapil), its first service.
tap $((width / 2)) $((height / 2)); tap 60 170; tap 60 170
# "Take a number" is the lowest green thing on the detail screen, wherever the layout puts it.
import -window root "$work/detail.png"
at=$(convert "$work/detail.png" txt:- | grep -i '#1B6E3A' | tail -1 | cut -d: -f1)
prints="$work/var/prints"; mkdir -p "$prints"
before_count=$(ls "$prints" | wc -l); tapped=$(ms)
xdotool mousemove $(( ${at%,*} - 30 )) $(( ${at#*,} - 25 )) click 1
while [ "$(ls "$prints" | wc -l)" -le "$before_count" ]; do
  [ $(( $(ms) - tapped )) -gt 10000 ] && { echo "no print within 10 s"; exit 1; }
done
echo "tap on 'take a number' to the job at the printer: $(( $(ms) - tapped )) ms (xdotool and polling included)"
