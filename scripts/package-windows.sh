#!/bin/sh
# Cross-builds the Windows app into dist/: Selfservice.exe with its icon
# and manifest (fyne package, mingw-w64). No installer yet: the exe runs
# as is.
# Usage: scripts/package-windows.sh   (from the repository root)
set -eu
GO=${GO:-go}
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
build=$(sed -n 's/^ *Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
mkdir -p dist
saved=$(mktemp)
cp FyneApp.toml "$saved"
# fyne package rewrites FyneApp.toml (reformatted, Build bumped): keep ours.
trap 'cp "$saved" FyneApp.toml; rm -f "$saved"' EXIT

# The fyne CLI is built for this computer first (go tool -n prints its
# path): built under CC=mingw, it would not build. libssp: mingw's stack
# protector, which fyne's hardening flags ask for.
fyne=$($GO tool -n fyne)
CC=x86_64-w64-mingw32-gcc CGO_LDFLAGS="-l:libssp.a" \
	"$fyne" package -os windows --release --app-build "$build" --tags migrated_fynedo,accessibility
exe=dist/Selfservice-$version-windows-amd64.exe
mv Selfservice.exe "$exe"
ls -l "$exe"
