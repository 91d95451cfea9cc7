#!/usr/bin/env bash
# Builds fd_hello, GET /hello on Firedancer's fd_http_server, for benchmarks/run.sh --peers fd-http-server.
#   benchmarks/fd-http-server/build.sh FIREDANCER_CHECKOUT
# FIREDANCER_CHECKOUT is a git clone of https://github.com/firedancer-io/firedancer. Its own make builds the few
# objects fd_http_server needs, with EXTRAS=no-deps, so its deps.sh is not needed: gcc and make are. Nothing of
# Firedancer is copied into this repository; the binary and the commit it was built from go to target/ (ignored).
# MACHINE picks Firedancer's machine file (default linux_gcc_x86_64, which assumes a Haswell or newer x86-64).
set -euo pipefail
[ $# -eq 1 ] && [ -f "$1/src/waltz/http/fd_http_server.c" ] || {
  echo "usage: $0 FIREDANCER_CHECKOUT   (a git clone of firedancer-io/firedancer)" >&2
  exit 2
}
here=$(cd "$(dirname "$0")" && pwd)
fd=$(cd "$1" && pwd)
machine=${MACHINE:-linux_gcc_x86_64}
builddir=$(sed -n 's/^BUILDDIR?=//p' "$fd/config/machine/$machine.mk")
obj="build/$builddir/obj"
lib="build/$builddir/lib"
objects=("$obj/waltz/http/fd_http_server.o" "$obj/third_party/picohttpparser/picohttpparser.o"
         "$obj/ballet/sha1/fd_sha1.o" "$obj/ballet/base64/fd_base64.o")
(cd "$fd" && MACHINE=$machine EXTRAS=no-deps make -j"$(nproc)" "${objects[@]}" "$lib/libfd_util.a" "$lib/libfd_zstd.a")

mkdir -p "$here/target"
# The feature macros Firedancer's headers expect; the same as its x86-64 machine files define.
gcc -O2 -std=c17 -Wall -Wextra -pthread -march=haswell -D_XOPEN_SOURCE=700 -DFD_HAS_HOSTED=1 -DFD_HAS_THREADS=1 \
    -DFD_HAS_ATOMIC=1 -DFD_HAS_INT128=1 -DFD_HAS_DOUBLE=1 -DFD_HAS_ALLOCA=1 -DFD_HAS_X86=1 -DFD_HAS_SSE=1 \
    -DFD_HAS_AVX=1 -I"$fd/src" "$here/fd_hello.c" "${objects[@]/#/$fd/}" "$fd/$lib/libfd_util.a" \
    "$fd/$lib/libfd_zstd.a" -lm -lrt -o "$here/target/fd_hello"
git -C "$fd" log -1 --format='%H %cs' > "$here/target/fd_hello.commit"
echo "built $here/target/fd_hello from Firedancer $(cat "$here/target/fd_hello.commit")"
