#!/bin/sh
# Cross-builds the Windows app into dist/: Selfservice.exe with its icon
# and manifest (fyne package, mingw-w64), and its installer (NSIS,
# packaging/windows/selfservice.nsi) with the libfido2 DLLs the exe loads.
# Usage: scripts/package-windows.sh   (from the repository root)
set -eu
GO=${GO:-go}
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
build=$(sed -n 's/^ *Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
website=$(sed -n 's/^ *Website *= *"\(.*\)"/\1/p' FyneApp.toml)
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

# The installer. The exe loads fido2.dll, which loads crypto-45.dll:
# go-libfido2's prebuilt DLLs, linked against above.
dlls=$($GO list -m -f '{{.Dir}}' github.com/keys-pub/go-libfido2)/windows/lib
stage=dist/windows
rm -rf "$stage" && mkdir -p "$stage"
convert resources/icon.png -define icon:auto-resize=256,64,48,32,16 "$stage/selfservice.ico"
setup=dist/Selfservice-$version-windows-amd64-setup.exe
# -WX: a warning (a missing file, an unknown define) fails the build.
makensis -V2 -WX -DVERSION="$version" -DBUILD="$build" -DWEBSITE="$website" \
	-DEXE="$PWD/$exe" -DDLLDIR="$dlls" -DICON="$PWD/$stage/selfservice.ico" \
	-DOUTFILE="$PWD/$setup" packaging/windows/selfservice.nsi
rm -rf "$stage"

# Cheap checks that Windows can run both: a 64-bit GUI exe, an NSIS
# installer 7-Zip reads, holding the exe, the uninstaller and every DLL of
# go-libfido2 the exe imports, directly or through another of them.
file -b "$exe" | grep -q '^PE32+ executable (GUI) x86-64' ||
	{ echo "$exe: not a 64-bit Windows GUI program: $(file -b "$exe")" >&2; exit 1; }
file -b "$setup" | grep -q 'Nullsoft Installer' ||
	{ echo "$setup: not an NSIS installer: $(file -b "$setup")" >&2; exit 1; }
imports() { x86_64-w64-mingw32-objdump -p "$1" | sed -n 's/^\tDLL Name: //p'; }
loaded="" new=$exe
while [ -n "$new" ]; do
	next=""
	for d in $(for f in $new; do imports "$f"; done); do
		[ -f "$dlls/$d" ] || continue
		case " $loaded " in *" $d "*) continue ;; esac
		loaded="$loaded $d" next="$next $dlls/$d"
	done
	new=$next
done
listing=$(7z l "$setup") || { echo "$setup: 7-Zip cannot read it" >&2; exit 1; }
for f in Selfservice.exe Uninstall.exe $loaded; do
	echo "$listing" | grep -q " $f\$" || { echo "$setup: $f is missing" >&2; exit 1; }
done
ls -l "$exe" "$setup"
