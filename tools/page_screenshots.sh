#!/usr/bin/env bash
# Pictures of mpp-central's survey pages as a person sees them: the phone survey form at a
# phone's width and the staff's IKM report, from the pages the survey page tests read.
#   bash tools/page_screenshots.sh docs/screenshots/survey
#   bash tools/page_screenshots.sh docs/screenshots/staff staff   (sign-in, account, staff pages)
# Needs: apt-get install chromium imagemagick.
set -euo pipefail
out=${1:-docs/screenshots/survey}
set_=${2:-survey}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"; out=$(cd "$out" && pwd)
pages=$(mktemp -d); trap 'rm -rf "$pages"' EXIT
module=survey_pages::; [ "$set_" = staff ] && module="staff_accounts:: console::"
(cd "$root" && MPP_PAGE_SNAPSHOTS="$pages" cargo test -q -p mpp-central --test central -- $module >/dev/null)
shoot() {  # page, width, height, picture
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2,$3" \
    --screenshot="$4" "file://$pages/$1.html" >/dev/null 2>&1
  convert "$4" -trim +repage -bordercolor '#F4F5F7' -border 8 "$4"
}
if [ "$set_" = staff ]; then
  for width in 390 1366; do
    shoot login "$width" 900 "$out/login-$width.png"
    shoot account-page-counter "$width" 1200 "$out/account-$width.png"
    shoot account-password-changed "$width" 1200 "$out/account-changed-$width.png"
    shoot staff-page "$width" 1600 "$out/staff-$width.png"
    shoot console-called "$width" 1400 "$out/console-$width.png"
  done
  echo "pictures in $out"; exit 0
fi
shoot phone-survey-form 390 7000 "$out/phone-form-390.png"
shoot ticket-page-served 390 900 "$out/phone-ticket-served-390.png"
shoot ticket-page-rated 390 900 "$out/phone-ticket-rated-390.png"
shoot ticket-page-rated 1366 900 "$out/ticket-rated-1366.png"
shoot ikm-report 1366 2600 "$out/ikm-report-1366.png"
echo "pictures in $out"
