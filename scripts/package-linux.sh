#!/bin/sh
# Builds the Linux packages into dist/: a tarball made by the fyne CLI
# (binary, .desktop file and icon under usr/local, with a Makefile that
# installs them) and a .deb of the same files under /usr, which depends on
# the libraries the app loads at run time.
# Usage: scripts/package-linux.sh   (from the repository root; GO may name
# the go command)
set -eu
GO=${GO:-go}
name=selfservice
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
build=$(sed -n 's/^ *Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
# The libraries GLFW and libfido2 load; GLFW opens several with dlopen, so
# ldd does not list them all.
depends="libfido2-1, libgl1, libx11-6, libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1"

stage=dist/linux
rm -rf "$stage" && mkdir -p "$stage"
# fyne package rewrites FyneApp.toml (reformatted, Build bumped): keep ours.
cp FyneApp.toml "$stage/FyneApp.toml"
trap 'cp "$stage/FyneApp.toml" FyneApp.toml 2>/dev/null || :' EXIT
# The same flags as every other go build of the Makefile (the build cache
# is shared); -s -w only strips the symbol tables at link time.
$GO build -tags migrated_fynedo,accessibility -ldflags='-s -w' -o "$stage/$name" .

# fyne package writes Selfservice.tar.xz next to FyneApp.toml.
$GO tool fyne package -os linux --executable "$stage/$name" --app-build "$build" >"$stage/fyne.log" 2>&1 ||
	{ cat "$stage/fyne.log" >&2; exit 1; }
tarball=dist/$name-$version-linux-$arch.tar.xz
mv Selfservice.tar.xz "$tarball"

# The .deb: the tarball's files moved from /usr/local to /usr (Debian
# packages never install into /usr/local), the managed configuration's
# directory and an example of the file.
root=$stage/deb
mkdir -p "$root"
tar -xJf "$tarball" -C "$root" --strip-components=1 selfservice/usr
mv "$root/usr/local"/* "$root/usr/" && rmdir "$root/usr/local"
sed -i 's#/usr/local/#/usr/#g' "$root"/usr/share/applications/*.desktop
mkdir -p "$root/etc/selfservice" "$root/usr/share/doc/$name" "$root/DEBIAN"
cp packaging/config.json.example "$root/usr/share/doc/$name/config.json.example"
cat >"$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version-$build
Architecture: $arch
Maintainer: Selfservice <selfservice@example.com>
Depends: $depends
Section: utils
Priority: optional
Homepage: https://selfservice.example.com
Description: manage your own sign-in methods, contact details and password
 Selfservice is the desktop app with which employees manage their own
 identity: sign-in methods and security keys, contact details, password,
 verification questions, documents and approvals.
 .
 IT presets the server, CA bundle, proxy and idle sign-out in
 /etc/selfservice/config.json; see /usr/share/doc/$name/config.json.example.
CONTROL
deb=dist/${name}_$version-${build}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
cp "$stage/FyneApp.toml" FyneApp.toml
rm -rf "$stage"
ls -l "$tarball" "$deb"
