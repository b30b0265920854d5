#!/usr/bin/env bash
# The three Debian packages (the kiosk, the central server, the lobby display) as a technician's dpkg would treat them, in a throwaway root:
# install (users, modes, owners, conffiles, units enabled), upgrade to a second build (local
# edits and data kept, the kiosk neither stopped nor restarted), remove (data kept) and purge
# (data gone); systemd-analyze verify and security on the installed units.
#
#   bash packaging/test/packages.sh            builds the packages with cargo deb first
#   bash packaging/test/packages.sh --no-build uses the ones in target/debian/
#   bash packaging/test/packages.sh --from-test-build
#                                              packs the programs `cargo test` built (target/debug):
#                                              what is tested here is the package, not the compiler's
#                                              optimisations, and CI saves a 7-minute release build
#
# How: `dpkg --root=ROOT --force-script-chrootless` runs the maintainer scripts on this machine
# with DPKG_ROOT=ROOT, which systemd-sysusers (--root), deb-systemd-helper and our own
# postinst/postrm honour, so users, enablement and purge really happen inside ROOT. ROOT starts
# with this machine's passwd/group files, as a Debian system has dialout, video, input, render
# and tty already. --force-depends: cage and the libraries are not installed inside ROOT.
# Needs root, dpkg, systemd (systemd-sysusers, systemd-analyze) and init-system-helpers.
# Fails at the first wrong thing, saying what.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
target=${CARGO_TARGET_DIR:-$repo/target}

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok   $*"; }
# check DESCRIPTION COMMAND...: runs COMMAND, fails with DESCRIPTION if it fails.
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

[ "$(id -u)" = 0 ] || fail "run as root (dpkg --root must create files owned by other users)"
for tool in dpkg dpkg-deb systemd-sysusers systemd-analyze deb-systemd-helper; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install dpkg systemd init-system-helpers)"
done

# `cargo deb`'s flags for the packages built here: the release profile, or the test build's
# programs as they are (--fast: less compression, the package is thrown away).
deb_flags=()
case "${1:-}" in
    "" | --no-build) ;;
    --from-test-build) deb_flags=(--profile dev --fast) ;;
    *) fail "unknown option $1 (--no-build or --from-test-build)" ;;
esac
command -v cargo-deb >/dev/null || fail "cargo-deb is missing: cargo install cargo-deb --locked"
for program in mpp-central mpp-kiosk mpp-display; do
    case "${1:-}" in
        --no-build) ;;
        --from-test-build)
            [ -x "$target/debug/$program" ] || fail "no $target/debug/$program: run cargo test first"
            cargo deb -p "$program" --no-build "${deb_flags[@]}" ;;
        *) cargo deb -p "$program" ;;
    esac
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
deb() { echo "$target/debian/$1_${version}-$2_${arch}.deb"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Copied aside: cargo deb clears older versions out of target/debian.
mkdir -p "$work/first" "$work/upgrade"
for package in mpp-kiosk mpp-central mpp-display; do
    cp "$(deb $package 1)" "$work/first/" 2>/dev/null || fail "no package at $(deb $package 1)"
done
kiosk=$work/first/$(basename "$(deb mpp-kiosk 1)")
central=$work/first/$(basename "$(deb mpp-central 1)")
display=$work/first/$(basename "$(deb mpp-display 1)")
# The upgrade: the same programs as a second revision, as a new build would be.
cargo deb -p mpp-central --no-build "${deb_flags[@]}" --deb-revision 2 -o "$work/upgrade/" >/dev/null
cargo deb -p mpp-kiosk --no-build "${deb_flags[@]}" --deb-revision 2 -o "$work/upgrade/" >/dev/null
cargo deb -p mpp-display --no-build "${deb_flags[@]}" --deb-revision 2 -o "$work/upgrade/" >/dev/null
kiosk2=$work/upgrade/$(basename "$(deb mpp-kiosk 2)")
central2=$work/upgrade/$(basename "$(deb mpp-central 2)")
display2=$work/upgrade/$(basename "$(deb mpp-display 2)")
[ -f "$kiosk2" ] && [ -f "$central2" ] && [ -f "$display2" ] || fail "no upgrade packages in $work/upgrade"
# Leave target/debian as built.
cp "$kiosk" "$central" "$display" "$target/debian/"
echo "packages: $(du -k "$kiosk" | cut -f1) KiB $(basename "$kiosk"), $(du -k "$central" | cut -f1) KiB $(basename "$central"), $(du -k "$display" | cut -f1) KiB $(basename "$display")"

root=$work/root
mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root"/etc "$root"/usr/bin
touch "$root"/var/lib/dpkg/{status,available}
cp -p /etc/passwd /etc/group /etc/shadow /etc/gshadow "$root"/etc/ 2>/dev/null || true
export DPKG_ROOT=$root
host_users=$(md5sum </etc/passwd)
in_root() { dpkg --root="$root" --force-script-chrootless --force-depends --force-confold "$@"; }

## The control data of each package
control=$work/control; mkdir -p "$control"
dpkg-deb -e "$kiosk" "$control/kiosk"
dpkg-deb -e "$central" "$control/central"
dpkg-deb -e "$display" "$control/display"
check "kiosk conffile: its kiosk.toml" \
    grep -qx /etc/mpp-kiosk/kiosk.toml "$control/kiosk/conffiles"
check "central conffiles: its configuration and catalog" \
    sh -c "grep -qx /etc/mpp-central/mpp-central.toml '$control/central/conffiles' && grep -qx /etc/mpp-central/catalog.json '$control/central/conffiles'"
depends=$(dpkg-deb -f "$kiosk" Depends)
for needed in cage xwayland systemd libwayland-client0 libxkbcommon0 libx11-6 libx11-xcb1 libxcursor1 libxi6 libxkbcommon-x11-0 libc6; do
    check "kiosk depends on $needed" grep -qE "(^|, )$needed( |,|$)" <<<"$depends"
done
check "display conffile: its display.toml" \
    grep -qx /etc/mpp-display/display.toml "$control/display/conffiles"
depends=$(dpkg-deb -f "$display" Depends)
for needed in cage xwayland chromium kbd systemd fonts-dejavu-core; do
    check "display depends on $needed" grep -qE "(^|, )$needed( |,|$)" <<<"$depends"
done
check "the display's upgrade never stops it (prerm stops only on remove)" \
    sh -c "! grep -q 'deb-systemd-invoke' '$control/display/prerm' || grep -q '\"\$1\" = remove' '$control/display/prerm'"
check "the display's postinst never starts nor restarts it (url must be set first)" \
    sh -c "! grep -qE '(deb-systemd-invoke|systemctl).* (start|restart|try-restart|reload-or-restart) ' '$control/display/postinst'"
check "the kiosk's upgrade never stops it (prerm stops only on remove)" \
    sh -c "! grep -q 'deb-systemd-invoke' '$control/kiosk/prerm' || grep -q '\"\$1\" = remove' '$control/kiosk/prerm'"
check "the kiosk's postinst never starts nor restarts it" \
    sh -c "! grep -qE '(deb-systemd-invoke|systemctl).* (start|restart|try-restart|reload-or-restart) ' '$control/kiosk/postinst'"
check "the central's postinst restarts it after an upgrade" \
    grep -q 'deb-systemd-invoke $_dh_action' "$control/central/postinst"
check "sysusers runs before the config is given to the user" \
    sh -c "awk '/systemd-sysusers/ && !s {s=NR} /chown/ && !c {c=NR} END {exit !(s && c && s < c)}' '$control/kiosk/postinst'"

## Install
in_root -i "$kiosk" "$central" "$display" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install"; }
check "all three installed" sh -c "[ \"\$(dpkg-query --admindir='$root/var/lib/dpkg' -W -f '\${Status}' mpp-kiosk mpp-central mpp-display)\" = 'install ok installedinstall ok installedinstall ok installed' ]"

id_in_root() { awk -F: -v n="$2" '$1 == n { print $3 }' "$root/etc/$1"; }
kiosk_uid=$(id_in_root passwd mpp-kiosk); kiosk_gid=$(id_in_root group mpp-kiosk)
central_uid=$(id_in_root passwd mpp-central); central_gid=$(id_in_root group mpp-central)
display_uid=$(id_in_root passwd mpp-display); display_gid=$(id_in_root group mpp-display)
[ -n "$kiosk_uid" ] && [ -n "$central_uid" ] && [ -n "$display_uid" ] || fail "the users mpp-kiosk, mpp-central and mpp-display were not created"
pass "users mpp-kiosk ($kiosk_uid), mpp-central ($central_uid) and mpp-display ($display_uid) created"
check "this machine's own users are untouched" sh -c "[ \"\$(md5sum </etc/passwd)\" = '$host_users' ]"
for group in dialout video render input tty audio; do
    check "mpp-kiosk is in $group" \
        sh -c "awk -F: -v g=$group '\$1 == g' '$root/etc/group' | cut -d: -f4 | tr , '\n' | grep -qx mpp-kiosk"
done
for group in audio video render input tty; do
    check "mpp-display is in $group" \
        sh -c "awk -F: -v g=$group '\$1 == g' '$root/etc/group' | cut -d: -f4 | tr , '\n' | grep -qx mpp-display"
done
check "mpp-display's home is its state folder (the browser writes there)" \
    sh -c "awk -F: '\$1 == \"mpp-display\" {print \$6}' '$root/etc/passwd' | grep -qx /var/lib/mpp-display"
check "mpp-kiosk's home is its state folder" \
    sh -c "awk -F: '\$1 == \"mpp-kiosk\" {print \$6}' '$root/etc/passwd' | grep -qx /var/lib/mpp-kiosk"

# expect PATH MODE UID GID
expect() {
    local path=$root$1 got
    got=$(stat -c '%a %u %g' "$path" 2>/dev/null) || fail "$1 is missing"
    [ "$got" = "$2 $3 $4" ] || fail "$1 is $got (mode uid gid), expected $2 $3 $4"
    pass "$1 $2 $3:$4"
}
expect /usr/bin/mpp-kiosk 755 0 0
expect /usr/bin/mpp-central 755 0 0
expect /usr/bin/mpp-display 755 0 0
expect /etc/mpp-kiosk/kiosk.toml 640 0 "$kiosk_gid"
expect /etc/mpp-display/display.toml 640 0 "$display_gid"
expect /var/lib/mpp-display 700 "$display_uid" "$display_gid"
expect /usr/lib/systemd/system/mpp-display.service 644 0 0
expect /usr/lib/sysusers.d/mpp-display.conf 644 0 0
expect /etc/mpp-central/mpp-central.toml 640 0 "$central_gid"
expect /etc/mpp-central/catalog.json 644 0 0
expect /var/lib/mpp-kiosk 700 "$kiosk_uid" "$kiosk_gid"
expect /var/lib/mpp-central 700 "$central_uid" "$central_gid"
expect /usr/lib/systemd/system/mpp-kiosk.service 644 0 0
expect /usr/lib/systemd/system/mpp-central.service 644 0 0
expect /usr/lib/udev/rules.d/99-mpp-kiosk-printer.rules 644 0 0
expect /usr/share/doc/mpp-kiosk/99-mpp-kiosk-scanner.rules 644 0 0
expect /usr/lib/sysusers.d/mpp-kiosk.conf 644 0 0
expect /usr/lib/sysusers.d/mpp-central.conf 644 0 0
expect /usr/share/doc/mpp-kiosk/Inter-LICENSE.txt 644 0 0
check "the kiosk unit is enabled for graphical.target" \
    test -L "$root/etc/systemd/system/graphical.target.wants/mpp-kiosk.service"
check "the display unit is enabled for graphical.target" \
    test -L "$root/etc/systemd/system/graphical.target.wants/mpp-display.service"
check "the installed display.toml sets no url yet (the technician sets it)" \
    sh -c "! grep -q '^url' '$root/etc/mpp-display/display.toml' && grep -q '^#url = \"http' '$root/etc/mpp-display/display.toml'"
check "the central unit is enabled for multi-user.target" \
    test -L "$root/etc/systemd/system/multi-user.target.wants/mpp-central.service"
check "the installed kiosk.toml is the production one" \
    grep -q '^fullscreen = true' "$root/etc/mpp-kiosk/kiosk.toml"
check "the kiosk's database is in its state folder, not under /etc" \
    grep -qx 'database = "/var/lib/mpp-kiosk/kiosk.db"' "$root/etc/mpp-kiosk/kiosk.toml"
check "the central's database is in its state folder, not under /etc" \
    grep -qx 'database = "/var/lib/mpp-central/central.db"' "$root/etc/mpp-central/mpp-central.toml"
for unit in mpp-kiosk mpp-central; do
    check "$unit.service tells systemd when it is ready (Type=notify)" \
        grep -qx 'Type=notify' "$root/usr/lib/systemd/system/$unit.service"
done

## systemd's own checks of the installed units (the programs are where the units say, and
## systemd's own units, which ours are ordered against, are this machine's)
cp -an /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
for tool in cage chvt; do
    if [ -x "/usr/bin/$tool" ]; then cp "/usr/bin/$tool" "$root/usr/bin/"; else fail "/usr/bin/$tool is missing: apt-get install cage kbd"; fi
done
for unit in mpp-kiosk mpp-central mpp-display; do
    out=$(systemd-analyze verify --root="$root" "$root/usr/lib/systemd/system/$unit.service" 2>&1) || fail "systemd-analyze verify $unit: $out"
    [ -z "$out" ] || fail "systemd-analyze verify $unit says: $out"
    pass "systemd-analyze verify $unit.service: clean"
done
# The kiosk's unit cannot hide devices (GPU, touch panel, VT, printer) nor the network: 2.5
# is as low as it goes with cage (2.0 measured); the server's goes lower.
for unit in mpp-central mpp-kiosk; do
    security=$(systemd-analyze security --offline=true --root="$root" "$unit.service" 2>&1 | tail -1)
    echo "     systemd-analyze security $unit.service: $security"
    systemd-analyze security --offline=true --root="$root" --threshold=25 "$unit.service" >/dev/null \
        || fail "$unit.service is exposed beyond 2.5: $security"
    pass "$unit.service exposure at most 2.5"
done
# The display's cannot restrict namespaces nor mounts (Chromium's own sandbox makes them) nor
# forbid writable code (JavaScript's compiler): 3.5 at most.
security=$(systemd-analyze security --offline=true --root="$root" mpp-display.service 2>&1 | tail -1)
echo "     systemd-analyze security mpp-display.service: $security"
systemd-analyze security --offline=true --root="$root" --threshold=35 mpp-display.service >/dev/null \
    || fail "mpp-display.service is exposed beyond 3.5: $security"
pass "mpp-display.service exposure at most 3.5"

## Data and local edits, then the upgrade
echo "tickets" >"$root/var/lib/mpp-kiosk/kiosk.db"
echo "tickets" >"$root/var/lib/mpp-central/central.db"
echo "# edited by the technician" >>"$root/etc/mpp-kiosk/kiosk.toml"
echo "# edited by the administrator" >>"$root/etc/mpp-central/mpp-central.toml"
echo 'url = "http://10.0.0.2:8080/display?mpp=uji"' >>"$root/etc/mpp-display/display.toml"
in_root -i "$kiosk2" "$central2" "$display2" >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "upgrade"; }
check "upgraded to revision 2" sh -c "[ \"\$(dpkg-query --admindir='$root/var/lib/dpkg' -W -f '\${Version}' mpp-kiosk)\" = '${version}-2' ]"
check "the technician's kiosk.toml is kept" grep -q "edited by the technician" "$root/etc/mpp-kiosk/kiosk.toml"
check "the display is upgraded too" sh -c "[ \"\$(dpkg-query --admindir='$root/var/lib/dpkg' -W -f '\${Version}' mpp-display)\" = '${version}-2' ]"
check "the technician's display.toml is kept" grep -q "10.0.0.2:8080" "$root/etc/mpp-display/display.toml"
expect /etc/mpp-display/display.toml 640 0 "$display_gid"
check "the administrator's mpp-central.toml is kept" grep -q "edited by the administrator" "$root/etc/mpp-central/mpp-central.toml"
check "the kiosk's database is kept" grep -q tickets "$root/var/lib/mpp-kiosk/kiosk.db"
check "the central's database is kept" grep -q tickets "$root/var/lib/mpp-central/central.db"
expect /etc/mpp-kiosk/kiosk.toml 640 0 "$kiosk_gid"
expect /etc/mpp-central/mpp-central.toml 640 0 "$central_gid"
check "the same users after the upgrade" sh -c "[ \"\$(awk -F: '\$1 == \"mpp-kiosk\" {print \$3}' '$root/etc/passwd')\" = '$kiosk_uid' ]"

## Remove keeps the data and configuration; purge deletes them
in_root -r mpp-kiosk mpp-central mpp-display >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "remove"; }
check "remove: the programs are gone" sh -c "[ ! -e '$root/usr/bin/mpp-kiosk' ] && [ ! -e '$root/usr/bin/mpp-central' ] && [ ! -e '$root/usr/bin/mpp-display' ]"
check "remove: the data is kept" sh -c "[ -f '$root/var/lib/mpp-kiosk/kiosk.db' ] && [ -f '$root/var/lib/mpp-central/central.db' ]"
check "remove: the configuration is kept" sh -c "[ -f '$root/etc/mpp-kiosk/kiosk.toml' ] && [ -f '$root/etc/mpp-central/mpp-central.toml' ] && grep -q 10.0.0.2 '$root/etc/mpp-display/display.toml'"
in_root -P mpp-kiosk mpp-central mpp-display >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
check "purge: the data is gone" sh -c "[ ! -e '$root/var/lib/mpp-kiosk' ] && [ ! -e '$root/var/lib/mpp-central' ] && [ ! -e '$root/var/lib/mpp-display' ]"
check "purge: the configuration is gone" sh -c "[ ! -e '$root/etc/mpp-kiosk' ] && [ ! -e '$root/etc/mpp-central' ] && [ ! -e '$root/etc/mpp-display' ]"
check "purge: the units are no longer enabled" sh -c "[ ! -e '$root/etc/systemd/system/graphical.target.wants/mpp-kiosk.service' ] && [ ! -e '$root/etc/systemd/system/multi-user.target.wants/mpp-central.service' ] && [ ! -e '$root/etc/systemd/system/graphical.target.wants/mpp-display.service' ]"
check "purge: dpkg forgot all three" sh -c "! dpkg-query --admindir='$root/var/lib/dpkg' -W mpp-kiosk mpp-central mpp-display 2>/dev/null | grep -q ."
echo "all package checks passed"
