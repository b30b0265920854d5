#!/usr/bin/env bash
# Pictures of mpp-central's survey pages as a person sees them: the phone survey form at a
# phone's width and the staff's IKM report, from the pages the survey page tests read.
#   bash tools/page_screenshots.sh docs/screenshots/survey
# Needs: apt-get install chromium imagemagick.
set -euo pipefail
out=${1:-docs/screenshots/survey}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"; out=$(cd "$out" && pwd)
pages=$(mktemp -d); trap 'rm -rf "$pages"' EXIT
(cd "$root" && MPP_PAGE_SNAPSHOTS="$pages" cargo test -q -p mpp-central --test central -- survey_pages:: >/dev/null)
shoot() {  # page, width, height, picture
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2,$3" \
    --screenshot="$4" "file://$pages/$1.html" >/dev/null 2>&1
  convert "$4" -trim +repage -bordercolor '#F4F5F7' -border 8 "$4"
}
shoot phone-survey-form 390 7000 "$out/phone-form-390.png"
shoot ticket-page-served 390 900 "$out/phone-ticket-served-390.png"
shoot ticket-page-rated 390 900 "$out/phone-ticket-rated-390.png"
shoot ticket-page-rated 1366 900 "$out/ticket-rated-1366.png"
shoot ikm-report 1366 2600 "$out/ikm-report-1366.png"
echo "pictures in $out"
