# Selfservice — desktop app and reference backend.
#   make run          the app with an embedded demo server
#   make test         every test (installs what the tests need)
#   make package      dist/: Linux tarball and .deb, Windows exe and installer
# Every go command gets the same flags so the build cache is shared.

GO ?= go
TAGS := -tags migrated_fynedo
# Fyne's screen-reader support (Windows, macOS) is built in with the
# accessibility tag: release builds use it, and the tests check it builds.
A11Y_TAGS := -tags migrated_fynedo,accessibility
# The packages whose tests also run on PostgreSQL: everything that talks
# to a real server store (the desktop UI runs the embedded SQLite one).
STORE_PKGS := ./server/... ./client/... ./cmd/... ./app/... ./authenticator/...

.PHONY: package run test smoke bench screenshots build server authenticator vet packages-build packages-test clean

run: packages-build
	$(GO) run $(TAGS) . --demo

test: packages-test
	$(GO) vet $(TAGS) ./...
	$(GO) build $(A11Y_TAGS) -o /dev/null .
	scripts/with-test-services.sh sh -c '$(GO) test $(TAGS) -timeout 15m ./... && \
		SELFSERVICE_TEST_STORE=postgres $(GO) test $(TAGS) -timeout 15m $(STORE_PKGS)'
	$(GO) build $(TAGS) -o bin/selfservice .
	scripts/smoke-app.sh bin/selfservice
	GO=$(GO) scripts/package-linux.sh
	scripts/check-deb.sh

# Packages into dist/. The Linux build uses the flags of every other target
# (shared build cache); the Windows cross-build (mingw-w64) has its own,
# and its installer is made with NSIS. Not part of `make test`: too slow.
package: packages-package
	GO=$(GO) scripts/package-linux.sh
	GO=$(GO) scripts/package-windows.sh

# Starts the real app window on a virtual display (what `make run` opens) and captures it.
smoke: packages-test
	$(GO) build $(TAGS) -o bin/selfservice .
	scripts/smoke-app.sh bin/selfservice bin/smoke.png

bench: packages-test
	scripts/with-test-services.sh $(GO) test $(TAGS) -run '^$$' -bench . -benchmem ./...

screenshots: packages-test
	$(GO) run $(TAGS) ./cmd/selfservice-screenshots -out docs/screenshots

build: packages-build
	$(GO) build $(TAGS) -o bin/selfservice .
	$(GO) build $(TAGS) -o bin/selfservice-server ./cmd/selfservice-server
	$(GO) build $(TAGS) -o bin/selfservice-authenticator ./cmd/selfservice-authenticator

server:
	$(GO) run $(TAGS) ./cmd/selfservice-server serve --db selfservice.db --listen 127.0.0.1:8443 --demo

# The command-line stand-in for the authenticator app on the phone.
authenticator:
	$(GO) build $(TAGS) -o bin/selfservice-authenticator ./cmd/selfservice-authenticator

vet:
	$(GO) vet $(TAGS) ./...

packages-build:
	@scripts/system-packages.sh build

packages-test:
	@scripts/system-packages.sh test

packages-package:
	@scripts/system-packages.sh package

clean:
	rm -rf bin dist
