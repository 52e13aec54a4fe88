#!/bin/sh
# Checks the .deb in dist/ without touching the system's package database
# (other builds may hold its lock, and a test must not install for real):
# every package it depends on is installed here, its files are where
# Debian expects them, and the binary it installs, unpacked into a
# throw-away root, opens its window (scripts/smoke-app.sh).
# Usage: scripts/check-deb.sh
set -eu
deb=$(ls dist/selfservice_*.deb)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

for dep in $(dpkg-deb --field "$deb" Depends | tr -d ' ' | tr ',' ' '); do
	dpkg-query -W -f='${Status}\n' "$dep" 2>/dev/null | grep -q '^install ok installed$' ||
		{ echo "check-deb: $deb depends on $dep, which is not installed here" >&2; exit 1; }
done
dpkg-deb --extract "$deb" "$root"
for f in usr/bin/selfservice usr/share/applications/io.selfservice.desktop.desktop \
	usr/share/pixmaps/io.selfservice.desktop.png usr/share/doc/selfservice/config.json.example etc/selfservice; do
	[ -e "$root/$f" ] || { echo "check-deb: $deb has no /$f" >&2; exit 1; }
done
scripts/smoke-app.sh "$root/usr/bin/selfservice"
