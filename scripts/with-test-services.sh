#!/bin/sh
# Runs a command with the services the tests use: a private D-Bus session bus,
# an unlocked gnome-keyring providing the Secret Service, and a PostgreSQL
# server on a Unix socket only, all in throw-away directories so no real
# keyring or database is touched.
# Usage: scripts/with-test-services.sh COMMAND [ARGS...]
set -eu

tmp=$(mktemp -d)
pg="$tmp/pg" pgbin=""
cleanup() {
	[ -z "$pgbin" ] || as_pg "$pgbin/pg_ctl" stop -D "$pg/data" -m immediate -s >/dev/null 2>&1 || :
	rm -rf "$tmp"
}
# No exec below: the EXIT trap must run to stop PostgreSQL. A signal exits,
# which runs it too (while a command runs, only once that command ends).
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m 700 "$tmp/runtime" "$tmp/data" "$pg"

# PostgreSQL: Debian keeps initdb and pg_ctl in /usr/lib/postgresql/VER/bin.
as_pg() { "$@"; }
for d in "$(pg_config --bindir 2>/dev/null || :)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
	if [ -x "$d/initdb" ]; then pgbin=$d; break; fi
done
if [ -z "$pgbin" ]; then
	echo "with-test-services: PostgreSQL not found (initdb), its tests will be skipped" >&2
else
	if [ "$(id -u)" -eq 0 ]; then # initdb and pg_ctl refuse to run as root
		u=postgres
		id -u "$u" >/dev/null 2>&1 || u=nobody
		as_pg() { setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "$@"; }
		chmod 711 "$tmp" # let $u reach $pg; root reaches the socket anyway
		chown "$u" "$pg"
	fi
	as_pg "$pgbin/initdb" -D "$pg/data" -U selfservice -A trust -E UTF8 --locale=C.UTF-8 \
		--no-sync --no-instructions >/dev/null
	# Socket only, in $pg; durability off for speed; many pooled connections.
	cat >>"$pg/data/postgresql.conf" <<-EOF
		listen_addresses = ''
		unix_socket_directories = '$pg'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		shared_buffers = 32MB
		max_connections = 300
	EOF
	as_pg "$pgbin/pg_ctl" start -D "$pg/data" -l "$pg/log" -w -s >/dev/null ||
		{ cat "$pg/log" >&2; exit 1; }
	"$pgbin/createdb" -h "$pg" -U selfservice -O selfservice selfservice
	export SELFSERVICE_TEST_POSTGRES="postgres://selfservice@/selfservice?host=$pg"
fi

export XDG_RUNTIME_DIR="$tmp/runtime" XDG_DATA_HOME="$tmp/data"
export LANG=en_US.UTF-8
export SELFSERVICE_KEYRING_TEST=1
unset DISPLAY # a locked keyring with a display would open a password prompt

status=0
dbus-run-session -- sh -c '
	printf %s test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	exec "$@"' sh "$@" || status=$?
exit "$status"
