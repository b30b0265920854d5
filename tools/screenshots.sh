#!/usr/bin/env bash
# Screenshots of every screen of the real kiosk, full screen, for looking at the layout as a
# visitor would and for the README. The kiosk asks for a 1000x600 window and must fill the
# screen itself, as in the lobby.
#   bash tools/screenshots.sh 1920 1080 docs/screenshots          under Xvfb, no window manager
#   bash tools/screenshots.sh --cage 1920 1080 docs/screenshots   under cage (Wayland)
#   bash tools/screenshots.sh --maintenance 1920 1080 docs/screenshots/maintenance
#                                the technician's PIN pad and each page of the menu (under Xvfb)
#   bash tools/screenshots.sh --scan 1920 1080 docs/screenshots/survey
#                                a ticket scanner fitted (tools/scan_pty.py stands in for it): the
#                                welcome screen, a code that is not a ticket, the ticket's own code
# Under cage the output is cage's X11 backend window inside an Xvfb of that size (cage 0.1.4's
# headless backend only has 1280x720, and no input): the screen is sized and tapped through X.
# Needs: apt-get install xvfb xdotool x11-utils imagemagick, and for --cage also cage grim xwayland; as
# root, cage runs as the user in $SCREEN_USER (default mpp-screen: useradd --system mpp-screen).
set -euo pipefail
compositor=x11
flow=visitor
if [ "${1:-}" = "--cage" ]; then compositor=cage; shift; fi
if [ "${1:-}" = "--maintenance" ]; then flow=maintenance; shift; fi
if [ "${1:-}" = "--scan" ]; then flow=scan; shift; fi
width=${1:-1920}; height=${2:-1080}; out=${3:-docs/screenshots}
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${KIOSK_BINARY:-$root/target/release/mpp-kiosk}
[ -x "$binary" ] || (cd "$root" && cargo build --release)
mkdir -p "$out"; out=$(cd "$out" && pwd)
work=$(mktemp -d); chmod 755 "$work"
pids=()
# Stopped newest first: cage before the X server it draws into (else cage aborts on losing it).
stop_all() {
  local i; for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do kill "${pids[i]}" 2>/dev/null || true; sleep 0.3; done
  rm -rf "$work"
}
trap stop_all EXIT

# The demo configuration, full screen, with a window smaller than the screen on purpose.
sed -e 's/^fullscreen = .*/fullscreen = true/' -e 's/^window_width = .*/window_width = 1000/' \
  -e 's/^window_height = .*/window_height = 600/' -e "s|^database = .*|database = \"$work/kiosk.db\"|" \
  -e "s|^output_dir = .*|output_dir = \"$work/prints\"|" "$root/kiosk.toml" > "$work/kiosk.toml"
# A Monday morning in Jakarta, so services are open.
kiosk=("$binary" --config "$work/kiosk.toml" --now 2026-11-23T02:30:00Z)
# The technician's PIN, set as on a real kiosk (stdin, twice), for the menu's pictures.
pin=80514
if [ "$flow" = maintenance ]; then
  printf '%s\n%s\n' "$pin" "$pin" | "${kiosk[@]}" maintenance set-pin >/dev/null
fi
# A scanner on a pseudo-terminal, fed through a FIFO held open on descriptor 4.
if [ "$flow" = scan ]; then
  printf '\n[scanner]\nport = "%s"\n' "$work/kiosk-scanner" >> "$work/kiosk.toml"
  mkfifo "$work/scans"
  python3 "$root/tools/scan_pty.py" "$work/kiosk-scanner" < "$work/scans" &
  pids+=($!)
  exec 4>"$work/scans"
  while [ ! -e "$work/kiosk-scanner" ]; do sleep 0.1; done
fi

Xvfb -displayfd 3 -nolisten tcp -br -screen 0 "${width}x${height}x24" 3>"$work/display" 2>/dev/null &
pids+=($!)
while [ ! -s "$work/display" ]; do sleep 0.1; done
export DISPLAY=:$(cat "$work/display")
until xdotool getmouselocation >/dev/null 2>&1; do sleep 0.1; done   # the X server answers

if [ "$compositor" = cage ]; then
  user=${SCREEN_USER:-mpp-screen}
  as_user=(); [ "$(id -u)" = 0 ] && as_user=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups --)
  mkdir -m 700 "$work/run"; [ "$(id -u)" = 0 ] && chown -R "$user:" "$work"
  env XDG_RUNTIME_DIR="$work/run" HOME="$work" WLR_BACKENDS=x11 WLR_RENDERER=pixman WLR_X11_OUTPUTS=1 \
    "${as_user[@]}" cage -d -- "${kiosk[@]}" >"$work/kiosk.log" 2>&1 &
  pids+=($!)
  # cage's output is its X window (the root's only child): make it the whole X screen, as no
  # window manager places it; cage then changes its output's mode and refits the kiosk.
  window=
  for _ in $(seq 100); do
    window=$(xwininfo -root -children | awk '/^ +0x/ {print $1; exit}'); [ -n "$window" ] && break; sleep 0.1
  done
  [ -n "$window" ] || { echo "cage opened no window:"; cat "$work/kiosk.log"; exit 1; }
  xdotool windowmove "$window" 0 0 windowsize "$window" "$width" "$height"
  grab() { env XDG_RUNTIME_DIR="$work/run" WAYLAND_DISPLAY=wayland-0 "${as_user[@]}" grim - > "$1"; }
else
  "${kiosk[@]}" >"$work/kiosk.log" 2>&1 &
  pids+=($!)
  grab() { import -window root "$1"; }
fi
sleep 4

last=
shot() { sleep 1; last="$out/$1-${width}x${height}-$compositor.png"; grab "$last"; }
tap() { xdotool mousemove "$1" "$2" click 1; }
# Taps just inside the lowest, rightmost pixel of a colour in the last screenshot: the "take a
# number" button is the lowest green thing on the detail screen, wherever the layout puts it.
tap_lowest() {
  local at; at=$(convert "$last" txt:- | grep -i "$1" | tail -1 | cut -d: -f1)
  [ -n "$at" ] || { echo "no $1 on $last" >&2; return 1; }
  tap $(( ${at%,*} - 30 )) $(( ${at#*,} - 25 ))
}

# Taps the middle of the lowest button of a colour: the lowest line with a long run of it (text
# in the same colour, like the menu's closing notice, has only short runs).
tap_lowest_button() {
  local at; at=$(convert "$last" txt:- | grep -i "$1" | cut -d: -f1 | tr ',' ' ' | sort -k2,2n -k1,1n | awk '
    $2 != y { y = $2; run = 0 } $1 == x + 1 && run { run++ } $1 != x + 1 || !run { run = 1; from = $1 }
    { x = $1; if (run >= 60) { best = y; middle = int((from + x) / 2) } }
    END { if (best) printf "%d %d", middle, best - 20 }')
  [ -n "$at" ] || { echo "no $1 button on $last" >&2; return 1; }
  tap $at
}

if [ "$flow" = maintenance ]; then
  # Five quick taps on the welcome screen's top-left corner (the logo) open the PIN pad.
  xdotool mousemove 30 30 click --repeat 5 --delay 250 1; shot 1-pin-pad
  # The pad's keys are the navy boxes: 3 columns, 4 rows, 12 px apart, square where there is
  # room and shorter on a short screen; find them in the picture.
  read -r keys_w keys_h keys_x keys_y < <(convert "$last" -fill white +opaque '#0D2C54' \
    -format '%@\n' info: | tr 'x+' '  ')
  key_w=$(( (keys_w - 24) / 3 )); key_h=$(( (keys_h - 36) / 4 ))
  key() { tap $(( keys_x + key_w / 2 + $1 * (key_w + 12) )) $(( keys_y + key_h / 2 + $2 * (key_h + 12) )); sleep 0.2; }
  for digit in $(echo "$pin" | fold -w1); do
    case $digit in 0) key 1 3 ;; *) key $(( (digit - 1) % 3 )) $(( (digit - 1) / 3 )) ;; esac
  done
  key 2 3; sleep 2; shot 2-menu-printer                  # Enter: the check takes ~0.2 s
  tap_lowest_button '#555F6B'; sleep 1; shot 2-menu-printer-preview   # "Ticket preview"
  # The page buttons are under the title, each as wide as its label, in one row (two on a
  # narrow screen): find them as runs of their colours (navy: the page on show, grey: the
  # others) along a line through each row.
  runs() { convert "$last" -crop "${width}x1+0+$1" +repage txt:- | awk -F'[,:]' -v y="$1" '
    /#555F6B|#0D2C54/ { x = $1; if (x != last + 1) { if (n) printf "%d,%d ", (start + last) / 2, y; start = x; n = 1 } last = x }
    END { if (n) printf "%d,%d", (start + last) / 2, y; print "" }'; }
  read -r -a tabs < <(echo "$(runs 100) $(runs 191)")
  tab() { tap "${tabs[$1]%,*}" $(( ${tabs[$1]#*,} + 10 )); }
  tab 1; shot 3-menu-today
  tap_lowest_button '#555F6B'; shot 3-menu-today-find    # "Find another number"
  tap_lowest_button '#555F6B'; sleep 1                   # its Cancel, under the keys
  tab 2; shot 4-menu-services
  tab 3; shot 5-menu-sync
  tab 4; shot 6-menu-recovery
  tab 5; shot 7-menu-kiosk
  tap_lowest_button '#555F6B'; shot 7-menu-kiosk-new-pin # "Change the PIN"
  echo "screenshots in $out"
  exit 0
fi

if [ "$flow" = scan ]; then
  shot scan-0-welcome                                    # "scan your ticket" under the survey button
  tap $((width / 2)) $((height / 2)); sleep 1            # a visitor takes a number:
  tap 60 170; sleep 1; tap 60 170; sleep 1; shot detail  # Dukcapil, its first service
  tap_lowest '#1B6E3A'; sleep 22; rm -f "$last"          # "Take a number"; the done screen
                                                         # returns to the welcome after 20 s
  echo '00020101021126570011ID.DANA.WWW0118936009153' >&4; shot scan-1-not-a-ticket   # a payment QR
  link=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT qr_payload FROM tickets ORDER BY issued_at DESC LIMIT 1").fetchone()[0])' "$work/kiosk.db")
  digit=0; [ "${link: -1}" = 0 ] && digit=1
  echo "${link%?}$digit" >&4; shot scan-2-forged          # its signature's last digit changed
  echo "$link" >&4; shot scan-3-question                 # the ticket's own code: its survey opens
  echo "screenshots in $out"
  exit 0
fi

shot 1-welcome
mkdir -p "$out/survey"
tap_lowest '#1B6E3A'; shot survey/0-entry                # the survey button (the only green there)
tap 60 48; sleep 1                                       # its Cancel, top left: back to the welcome
tap $((width / 2)) $((height / 2)); shot 2-agencies      # anywhere on the welcome screen starts
tap 60 170; shot 3-services                              # the first agency tile (Dukcapil)
tap 60 170; shot 4-detail                                # its first service
tap_lowest '#1B6E3A'; sleep 1; shot 5-done               # "Take a number" (the theme's green)
echo "screenshots in $out"
