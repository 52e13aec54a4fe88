#!/bin/sh
# Starts the real desktop app in demo mode on a virtual X display, waits for
# its window and captures it: proves that what `make run` starts opens a
# window with the demo server behind it.
# Usage: scripts/smoke-app.sh APP_BINARY [SCREENSHOT.png]
set -eu
app=$1
shot=${2:-}

tmp=$(mktemp -d)
cleanup() {
	# The app and Xvfb must have exited before their files are removed:
	# an app still writing its settings makes rm fail.
	[ -n "${app_pid:-}" ] && { kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null; } || true
	[ -n "${x_pid:-}" ] && { kill "$x_pid" 2>/dev/null; wait "$x_pid" 2>/dev/null; } || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Xvfb picks a free display itself and writes its number (-displayfd):
# a number of our own choosing may belong to another X server. -noreset:
# by default the server resets when its last client (the xdpyinfo probe)
# disconnects, and an app connecting during the reset finds no display.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
x_pid=$!
i=0
until [ -s "$tmp/display" ] && display=:$(cat "$tmp/display") && xdpyinfo -display "$display" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "Xvfb did not start:" >&2; cat "$tmp/xvfb.log" >&2; exit 1; }
	sleep 0.1
done

# A fresh home: no saved server, so the app starts its embedded demo server.
mkdir -p "$tmp/home/.config" "$tmp/home/.cache" && mkdir -m 700 "$tmp/runtime"
HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache" XDG_RUNTIME_DIR="$tmp/runtime" \
	DISPLAY="$display" LANG=en_US.UTF-8 DBUS_SESSION_BUS_ADDRESS=disabled: \
	"$app" --demo >"$tmp/app.log" 2>&1 &
app_pid=$!

i=0
until DISPLAY="$display" xdotool search --onlyvisible --name '^Selfservice' >/dev/null 2>&1; do
	i=$((i + 1))
	if ! kill -0 "$app_pid" 2>/dev/null || [ $i -gt 300 ]; then
		echo "The app window did not appear. App output:" >&2
		cat "$tmp/app.log" >&2
		exit 1
	fi
	sleep 0.1
done
if [ -n "$shot" ]; then
	# The window maps before its first frame is drawn: capture until it shows something.
	i=0
	until import -display "$display" -window root "$shot" 2>/dev/null &&
		[ "$(convert "$shot" -format %k info:)" -gt 16 ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && { echo "The window stayed blank." >&2; exit 1; }
		sleep 0.2
	done
fi
if [ -f "$tmp/home/.cache/selfservice/demo.db" ]; then
	echo "app window up, demo database created"
else
	echo "app window up but no demo database in the cache directory" >&2
	exit 1
fi
