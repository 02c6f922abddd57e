#!/usr/bin/env bash
# Assembles a rustc 1.96 distribution with the wasm32-wasip1 standard library
# from Debian 12's packages, beside Debian's rustc 1.63 (nothing system-wide is
# replaced), and packs it as an archive that a workspace registers by URL and
# SHA-256 (rustc_wasm_register_toolchains(urls = [...], sha256 = ...)).
#
#   bash offline_bootstrap/rust_1_96.sh [DIR]
#
# The version, the archive's name, its SHA-256 and DIR's default are
# rules/private/versions.bzl's RUST_1_96 (where offline_bootstrap/rust.bzl reads
# them too); the archive is the same bytes on every machine, and the script
# fails if it is not the one versions.bzl names. It writes, under DIR:
#   rust-1.96.0/                                    the distribution, laid out as rustup's:
#     bin/rustc, bin/rustdoc                        RUNPATH $ORIGIN/../lib, so rustc takes this
#                                                   directory as its sysroot
#     bin/cargo                                     Debian's cargo-web (reads today's crates
#                                                   from the registry, sparse protocol)
#     lib/librustc_driver-*.so
#     lib/rustlib/x86_64-unknown-linux-gnu/lib      host std (Debian's libstd-rust-web-dev)
#     lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld   Debian's lld-22 (wasm links)
#     lib/rustlib/wasm32-wasip1/lib                 std for wasm32-wasip1, built here from
#                                                   rust-web-src, and self-contained/ wasi-libc
#     lib/rustlib/wasm32-wasip1/unwind-sysroot      a sysroot whose wasm32-wasip1 std unwinds
#                                                   (wasm exception handling), for proc-macro
#                                                   modules, and cpp_exception.o, their tag
#     lib/rustlib/src/rust/library                  std's sources (rust-analyzer)
#   rust-1.96.0-x86_64-unknown-linux-gnu.tar.gz     the same tree packed (a deterministic tar)
#   rust-1.96.0-x86_64-unknown-linux-gnu.tar.gz.sha256
#
# Needs on the machine (installed here with apt): libllvm22 (rustc's LLVM),
# lld-22, patchelf, and cargo-web's shared libraries; npm must be there. wasi-libc comes from the
# npm package @yowasp/clang (the only wasi-libc new enough for 1.96's std
# that a fresh machine can install by itself; it has no wasm32-wasip1-threads
# variant, so that target is not built). Takes about 90 s; skipped when
# the archive for these versions is already there.
set -euo pipefail
# Modes go into the archive as they are: the same on every machine.
umask 022

root=$(cd "$(dirname "$0")/.." && pwd)
rust_1_96() { python3 "$root/offline_bootstrap/bzl_value.py" "$root/rules/private/versions.bzl" RUST_1_96 "$1"; }
RUST_VERSION=$(rust_1_96 version)
ARCHIVE=$(rust_1_96 archive)
SHA256=$(rust_1_96 sha256)
name=$(rust_1_96 strip_prefix)
out=${1:-$(rust_1_96 dir)}
[ -n "$RUST_VERSION" ] && [ -n "$ARCHIVE" ] && [ -n "$SHA256" ] && [ -n "$name" ] && [ -n "$out" ] ||
  { echo "rust_1_96: rules/private/versions.bzl has no complete RUST_1_96" >&2; exit 1; }

# What the archive is made of; a changed one makes other bytes.
DEBIAN_RUST_WEB=1.96.0+dfsg1-1~deb12u2
DEBIAN_LLVM=1:22.1.8-1~deb12u1
YOWASP_CLANG=22.0.0-git20542-10
YOWASP_CLANG_INTEGRITY=sha512-V31/z9GrJECKeACTDUyvg2llbEUiFi3bxtL5HSg7H/6sydSxdI/AoVAD9F5ozrfLjotWl0B9rghR87m+DUM/zg==
HOST=x86_64-unknown-linux-gnu
TARGETS=(wasm32-wasip1)
# How the unwinding std (below) is compiled: as the toolchain compiles
# what links with it.
mapfile -t UNWINDING_RUSTC_FLAGS < <(python3 "$root/offline_bootstrap/bzl_value.py" "$root/rules/private/toolchain.bzl" UNWINDING_RUSTC_FLAGS)
[ ${#UNWINDING_RUSTC_FLAGS[@]} -gt 0 ] || { echo "rust_1_96: rules/private/toolchain.bzl has no UNWINDING_RUSTC_FLAGS" >&2; exit 1; }

archive=$out/$ARCHIVE
stamp="rust-web $DEBIAN_RUST_WEB; llvm $DEBIAN_LLVM; wasi-libc from @yowasp/clang $YOWASP_CLANG; targets ${TARGETS[*]}; unwinding std for macros (${UNWINDING_RUSTC_FLAGS[*]})"

say() { echo "rust_1_96: $*" >&2; }
die() { say "$*"; exit 1; }

if [ -f "$archive.sha256" ] && [ -f "$out/$name/STAMP" ] && [ "$(cat "$out/$name/STAMP")" = "$stamp" ] &&
  [ "$(cut -d' ' -f1 "$archive.sha256")" = "$SHA256" ] && (cd "$out" && sha256sum -c --status "$archive.sha256"); then
  say "$archive is up to date ($(cut -d' ' -f1 "$archive.sha256"))"
  exit 0
fi

mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "$out is not a directory this user can write: pass another DIR"

sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
# Debian's security suite keeps only its newest version: say so plainly
# when it has moved on, rather than building something else.
apt_candidate() { apt-cache policy "$1" | sed -n 's/^ *Candidate: //p'; }
[ -n "$(apt_candidate rustc-web)" ] || $sudo apt-get update -qq
for p in rustc-web libstd-rust-web-1.96 libstd-rust-web-dev rust-web-src cargo-web; do
  have=$(apt_candidate "$p")
  [ "$have" = "$DEBIAN_RUST_WEB" ] ||
    die "Debian offers $p ${have:-(none)}, not $DEBIAN_RUST_WEB: update DEBIAN_RUST_WEB in $0, then RUST_1_96's sha256 in rules/private/versions.bzl"
done
for p in libllvm22 lld-22; do
  have=$(apt_candidate "$p")
  [ "$have" = "$DEBIAN_LLVM" ] || die "Debian offers $p ${have:-(none)}, not $DEBIAN_LLVM: update DEBIAN_LLVM in $0"
done

# What the unpacked rustc and cargo load, and the tools used below; none of
# these replaces /usr/bin/rustc.
need=(libllvm22 lld-22 patchelf libcurl4 libgit2-1.5 libsqlite3-0 libssh2-1)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v npm >/dev/null || die "npm is needed (wasi-libc comes from the npm registry): install Node.js"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$SECONDS

say "unpacking Debian's rust-web $DEBIAN_RUST_WEB"
(cd "$work" && apt-get download -qq rustc-web libstd-rust-web-1.96 libstd-rust-web-dev rust-web-src cargo-web) ||
  die "apt-get download of Debian's rust-web $DEBIAN_RUST_WEB failed (see above)"
mkdir "$work/deb"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/deb"; done
src=$work/deb/usr/src/rustc-$RUST_VERSION
[ -d "$src/library/sysroot" ] || die "rust-web-src has no $src/library/sysroot"

dist=$work/$name
mkdir -p "$dist/bin" "$dist/lib/rustlib/$HOST/bin" "$dist/lib/rustlib/src/rust"
cp "$work/deb/usr/bin/rustc" "$work/deb/usr/bin/rustdoc" "$work/deb/usr/bin/cargo" "$dist/bin/"
cp "$work"/deb/usr/lib/x86_64-linux-gnu/librustc_driver-*.so "$dist/lib/"
cp -r "$work/deb/usr/lib/rustlib/$HOST/lib" "$dist/lib/rustlib/$HOST/"
# rustc takes its sysroot from where its librustc_driver is: without a
# RUNPATH it would load /usr's (libstd-rust-web-1.96, installed for
# rust-analyzer) and use /usr's 1.63 std.
patchelf --set-rpath '$ORIGIN/../lib' "$dist/bin/rustc" "$dist/bin/rustdoc"
cp /usr/lib/llvm-22/bin/lld "$dist/lib/rustlib/$HOST/bin/rust-lld"
cp -r "$src/library" "$dist/lib/rustlib/src/rust/"
"$dist/bin/rustc" --print sysroot | grep -qx "$dist" || die "$dist/bin/rustc does not take $dist as its sysroot"

say "wasi-libc from @yowasp/clang $YOWASP_CLANG"
(cd "$work" && npm pack --silent "@yowasp/clang@$YOWASP_CLANG" >/dev/null)
tgz=$(ls "$work"/yowasp-clang-*.tgz)
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$got" = "$YOWASP_CLANG_INTEGRITY" ] || die "@yowasp/clang $YOWASP_CLANG: integrity $got, want $YOWASP_CLANG_INTEGRITY"
tar xzf "$tgz" -C "$work" package/gen/llvm-resources.tar
mkdir "$work/libc"
tar xf "$work/package/gen/llvm-resources.tar" -C "$work/libc" lib/wasm32-wasip1

# The standard library for each wasm target, as Rust's own build makes it:
# cargo on library/sysroot with the vendored crates and std's RUSTFLAGS.
# Paths are remapped (the last prefix wins), so the archive is the same
# bytes on every machine.
mkdir -p "$work/cargo_home"
cat >"$work/cargo_home/config.toml" <<EOF
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$src/library/vendor"
[net]
offline = true
EOF
# build_std TARGET LIBDIR VARIANT [RUSTFLAGS...]: std for TARGET into LIBDIR.
build_std() {
  local target=$1 libdir=$2 variant=$3
  shift 3
  say "building std for $target ($variant)"
  mkdir -p "$libdir/self-contained"
  cp "$work/libc/lib/wasm32-wasip1/"{crt1-command.o,crt1-reactor.o,libc.a} "$libdir/self-contained/"
  (cd "$src/library" &&
    CARGO_HOME=$work/cargo_home RUSTC=$dist/bin/rustc RUSTC_BOOTSTRAP=1 \
      RUSTFLAGS="-Zforce-unstable-if-unmarked -Cembed-bitcode=yes $* --remap-path-prefix=$work=/build --remap-path-prefix=$src=/rustc/$RUST_VERSION" \
      __CARGO_DEFAULT_LIB_METADATA=rules_rustc_wasm_$variant \
      "$work/deb/usr/bin/cargo" build -q --release --frozen -Zavoid-dev-deps \
      --manifest-path sysroot/Cargo.toml --features "panic-unwind backtrace" \
      --target "$target" --target-dir "$work/target-$variant") || die "building std for $target ($variant) failed"
  # Every std crate is an .rlib and an .rmeta.
  cp "$work/target-$variant/$target/release/deps/"*.rlib "$work/target-$variant/$target/release/deps/"*.rmeta "$libdir/"
}
for target in "${TARGETS[@]}"; do
  # The std programs and libraries link: panics abort, as Rust ships it.
  build_std "$target" "$dist/lib/rustlib/$target/lib" abort
  # The std wasm proc macros link: panics unwind with wasm exception
  # handling (exnref, the encoding wazero reads), so a macro's own
  # catch_unwind works (proc-macro-error's abort!). It is a sysroot of its
  # own, which the toolchain passes as --sysroot to macro-side compiles
  # with the same flags (UNWINDING_RUSTC_FLAGS).
  unwind=$dist/lib/rustlib/$target/unwind-sysroot
  build_std "$target" "$unwind/lib/rustlib/$target/lib" unwind "${UNWINDING_RUSTC_FLAGS[@]}"
  # The exception tag LLVM's wasm code throws with: std's unwind crate
  # defines it only for wasm32-unknown-unknown and wasi-libc does not, so
  # modules link this object (assembled by this rustc's own LLVM).
  printf '%s\n' '#![feature(asm_experimental_arch)]' '#![no_std]' \
    'core::arch::global_asm!(".globl __cpp_exception", ".tagtype __cpp_exception i32", "__cpp_exception:");' >"$work/tag.rs"
  RUSTC_BOOTSTRAP=1 "$dist/bin/rustc" --crate-type=lib --crate-name=cpp_exception_tag --edition=2021 \
    --target "$target" "${UNWINDING_RUSTC_FLAGS[@]}" --emit=obj="$unwind/cpp_exception.o" "$work/tag.rs" ||
    die "assembling the exception tag for $target failed"
done

echo "$stamp" >"$dist/STAMP"
say "packing $archive"
mkdir -p "$out"
# Packed and checked aside: a toolchain already in $out stays until the new
# one is the archive versions.bzl names.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" -cf - "$name" | gzip -n >"$work/archive.tar.gz"
got=$(sha256sum "$work/archive.tar.gz" | cut -d' ' -f1)
[ "$got" = "$SHA256" ] || die "the archive's sha256 is $got, not rules/private/versions.bzl's $SHA256: Debian's packages or this script changed what it holds; if that is meant, write $got into RUST_1_96 (nothing in $out was changed)"
rm -rf "${out:?}/$name" "$archive" "$archive.sha256"
mv "$work/archive.tar.gz" "$archive"
mv "$dist" "$out/$name"
(cd "$out" && sha256sum "$ARCHIVE" >"$archive.sha256")
say "done in $((SECONDS - start)) s: $archive ($(du -m "$archive" | cut -f1) MB, sha256 $(cut -d' ' -f1 "$archive.sha256")); unpacked $(du -sm "$out/$name" | cut -f1) MB"
