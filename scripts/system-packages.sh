#!/bin/sh
# Installs the Debian packages a target needs, or, when not root, prints the
# command that does. Usage: scripts/system-packages.sh build|test
set -eu

build="gcc pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev libfido2-dev"
# dbus + gnome-keyring: a real Secret Service for the keyring tests;
# oathtool and zbar-tools: reference TOTP codes and QR decoding;
# xvfb, xdotool, imagemagick: start the real app window and capture it.
test="$build dbus gnome-keyring libsecret-tools oathtool zbar-tools xvfb xdotool x11-utils imagemagick"

case "${1:-}" in
build) want=$build ;;
test) want=$test ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
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
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
