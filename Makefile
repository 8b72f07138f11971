# The two everyday commands: `make demo` and `make test` (see README.md).
RELEASE := build/release
SANITIZE := build/sanitize
JOBS ?= $(shell nproc)

.PHONY: all setup build build-sanitize test test-release test-sanitize demo bench clean

all: build

setup:
	@scripts/setup

$(RELEASE)/build.ninja:
	cmake -G Ninja -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=RelWithDebInfo

$(SANITIZE)/build.ninja:
	cmake -G Ninja -S . -B $(SANITIZE) -DCMAKE_BUILD_TYPE=Debug -DSTRATA_SANITIZE=ON

build: setup $(RELEASE)/build.ninja
	ninja -C $(RELEASE) -j$(JOBS)

build-sanitize: setup $(SANITIZE)/build.ninja
	ninja -C $(SANITIZE) -j$(JOBS)

# The boot tests need the guest images (cached: instant when their inputs are unchanged).
test-release: build guest
	cd $(RELEASE) && ctest --output-on-failure -j$(JOBS)

test-sanitize: build-sanitize
	cd $(SANITIZE) && ctest --output-on-failure -j$(JOBS)

# Release first (fast feedback), then the same suite under ASan+UBSan.
test: test-release test-sanitize

# scripts/demo installs, builds and makes the guest images it needs (quietly), then boots.
demo:
	@scripts/demo

bench: build guest
	@for b in bench/*/run; do echo "== $$b"; $$b $(RELEASE) || exit 1; done

clean:
	rm -rf $(RELEASE) $(SANITIZE)

-include guest/guest.mk
