#!/bin/sh
# Installs the .deb in dist/ with dpkg into a throw-away root that has its
# own package database (the system's is never touched: other builds may
# hold its lock, and a test must not install for real), checks that
# every package it depends on is installed on this system, that its files
# are where Debian expects them and that the binary it installed opens
# its window (scripts/smoke-app.sh), then purges it and checks that it
# leaves nothing behind.
# Usage: scripts/check-deb.sh
set -eu
deb=$(ls dist/selfservice_*.deb)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

for dep in $(dpkg-deb --field "$deb" Depends | tr -d ' ' | tr ',' ' '); do
	dpkg-query -W -f='${Status}\n' "$dep" 2>/dev/null | grep -q '^install ok installed$' ||
		{ echo "check-deb: $deb depends on $dep, which is not installed here" >&2; exit 1; }
done

# The throw-away root's database knows none of the dependencies (checked
# above against this system's), hence --force-depends.
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info"
touch "$root/var/lib/dpkg/status"
dpkg_root() { dpkg --root="$root" --force-not-root --force-depends --log=/dev/null "$@"; }
dpkg_root --install "$deb" >/dev/null 2>&1 ||
	{ dpkg_root --install "$deb" >&2; echo "check-deb: dpkg could not install $deb" >&2; exit 1; }
dpkg --root="$root" --status selfservice | grep -q '^Status: install ok installed$' ||
	{ echo "check-deb: dpkg does not list selfservice as installed" >&2; exit 1; }
for f in usr/bin/selfservice usr/share/applications/io.selfservice.desktop.desktop \
	usr/share/pixmaps/io.selfservice.desktop.png usr/share/doc/selfservice/config.json.example etc/selfservice; do
	[ -e "$root/$f" ] || { echo "check-deb: $deb installed no /$f" >&2; exit 1; }
done
scripts/smoke-app.sh "$root/usr/bin/selfservice"

dpkg_root --purge selfservice >/dev/null 2>&1 ||
	{ echo "check-deb: dpkg could not remove selfservice" >&2; exit 1; }
left=$(cd "$root" && find usr etc -mindepth 1 ! -type d 2>/dev/null || true)
[ -z "$left" ] || { echo "check-deb: removing selfservice left: $left" >&2; exit 1; }
echo "check-deb: installed, opened its window and purged cleanly"
