#!/bin/sh
# Runs a command with the services the tests use: a private D-Bus session bus
# and an unlocked gnome-keyring providing the Secret Service, in throw-away
# data directories so no real keyring is touched.
# Usage: scripts/with-test-services.sh COMMAND [ARGS...]
set -eu

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -m 700 "$tmp/runtime" "$tmp/data"
export XDG_RUNTIME_DIR="$tmp/runtime" XDG_DATA_HOME="$tmp/data"
export LANG=en_US.UTF-8
export SELFSERVICE_KEYRING_TEST=1
unset DISPLAY # a locked keyring with a display would open a password prompt

exec dbus-run-session -- sh -c '
	printf %s test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	exec "$@"' sh "$@"
