# ntsim: the two commands are `make demo` and `make test`. Everything else is optional.
#
#   make              build (Debug) into build/
#   make test         build and run every test (ctest)
#   make demo         build and show ntsim working
#   make bench        build (Release) and run the benchmarks
#   make test SANITIZE=1   the same with AddressSanitizer + UndefinedBehaviorSanitizer
#   make test TSAN=1       the same with ThreadSanitizer
#   make format       clang-format every project source

# Debian packages the build needs (installed automatically when run as root).
DEB_PACKAGES := build-essential cmake ninja-build pkg-config libgtest-dev libgmock-dev \
                libbenchmark-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev libelf-dev \
                clang-format

ifeq ($(SANITIZE),1)
PRESET := asan
BUILD_DIR := build-asan
else ifeq ($(TSAN),1)
PRESET := tsan
BUILD_DIR := build-tsan
else
PRESET := debug
BUILD_DIR := build
endif

JOBS ?= $(shell nproc)
# When ccache is installed (optional), paths relative to the checkout let clones share its cache.
export CCACHE_BASEDIR := $(CURDIR)
CTEST_ARGS ?=

.PHONY: all build deps configure test demo bench format clean

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	        echo "Installing missing Debian packages:$$missing"; \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	    else \
	        echo "Missing Debian packages:$$missing"; \
	        echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	    fi; \
	fi

$(BUILD_DIR)/build.ninja: | deps
	cmake --preset $(PRESET)

configure: deps
	cmake --preset $(PRESET)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

demo: build
	@tools/demo.sh $(BUILD_DIR)

bench: deps
	cmake --preset release
	cmake --build build-release -j $(JOBS)
	@tools/bench.sh build-release

format:
	@git ls-files '*.cpp' '*.h' | grep -v '^sdk/include/sal.h$$' | xargs clang-format -i

clean:
	rm -rf build build-asan build-tsan build-release
