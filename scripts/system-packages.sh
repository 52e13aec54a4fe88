#!/bin/sh
# Installs the Debian packages a target needs, or, when not root, prints the
# command that does. Usage: scripts/system-packages.sh build|test|package
set -eu

build="gcc pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev libfido2-dev"
# dbus + gnome-keyring: a real Secret Service for the keyring tests;
# oathtool and zbar-tools: reference TOTP codes and QR decoding;
# xvfb, xdotool, imagemagick: start the real app window and capture it;
# postgresql: initdb/pg_ctl (in /usr/lib/postgresql/*/bin) for the throw-away
# server scripts/with-test-services.sh starts for the PostgreSQL store tests.
test="$build dbus gnome-keyring libsecret-tools oathtool zbar-tools xvfb xdotool x11-utils imagemagick postgresql"

# xz-utils: the fyne CLI's tarball; mingw-w64: the Windows cross-build;
# nsis: its installer, imagemagick: the installer's icon, p7zip-full: the
# installer's check.
package="$build xz-utils gcc-mingw-w64-x86-64 nsis imagemagick p7zip-full"

case "${1:-}" in
build) want=$build ;;
test) want="$test xz-utils" ;;
package) want=$package ;;
*) echo "usage: $0 build|test|package" >&2; exit 2 ;;
esac

if ! command -v go >/dev/null 2>&1; then
	echo "Go is not installed. Install Go 1.26 or newer from https://go.dev/dl/ and add it to PATH." >&2
	exit 1
fi

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "These packages are missing:$missing" >&2
	echo "This is not a Debian-like system: install their equivalents with your package manager." >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "These packages are missing:$missing" >&2
	echo "Install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh postgresql-NN install creates and starts a "main" cluster on port
# 5432; the tests run their own, so ask postgresql-common's postinst not to
# (createcluster.conf includes this directory; the file is not a conffile).
case " $missing " in *" postgresql "*)
	mkdir -p /etc/postgresql-common/createcluster.d
	echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/selfservice-tests.conf ;;
esac
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
