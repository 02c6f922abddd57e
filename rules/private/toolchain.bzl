"""The rustc_wasm_toolchain rule and its provider (public through //rules:defs.bzl)."""

load(":wasm_targets.bzl", "WASM_TARGET_CFG")

RustcWasmToolchainInfo = provider(
    doc = "What the rules need to compile Rust: a rustc, the target's sysroot and the runner.",
    fields = {
        "rustc": "File: rustc.wasm (run by the runner in wazero) or a native rustc executable.",
        "rustc_is_wasm": "bool: whether rustc is a WebAssembly module.",
        "compiler_files": "depset of File: rustc and the libraries it loads (a distribution's lib/librustc_driver-*.so): every action that runs rustc takes them as inputs.",
        "sysroot_files": "depset of File: the sysroot's libraries (lib/rustlib/<target>/lib/*.rlib, ...).",
        "sysroot": "string: the sysroot directory's path in the execroot, for --sysroot.",
        "target": "string: the target triple of libraries, binaries and tests.",
        "target_cfg": "list of string: `rustc --print cfg` for target (CARGO_CFG_* of build scripts).",
        "exec_triple": "string: what proc macros, build scripts and the crates they use are built for (the `--target` of proc macros with rustc.wasm; HOST of build scripts).",
        "exec_cfg": "list of string: `rustc --print cfg` for exec_triple.",
        "proc_macro_kind": "string: 'wasm' (proc macros are lib<name>.wasm) or 'dylib' (host lib<name>.so).",
        "expands_wasm_macros": "bool: a native rustc with wasm proc macros, which the runner expands for it.",
        "proc_macro_extension": "string: '.wasm' or '.so'.",
        "runner": "FilesToRunProvider: the runner, for compile actions.",
        "rustc_flags": "list of string: flags passed to every rustc action.",
        "macro_sysroot": "string: with a native rustc and wasm proc macros, the --sysroot of the modules and the libraries they link (the unwinding sysroot, or sysroot).",
        "macro_sysroot_files": "depset of File: macro_sysroot's libraries, the objects of macro_rustc_flags, and the linker (sysroot's lib/rustlib/<host>/bin, which rustc finds through its own sysroot).",
        "macro_target_cfg": "list of string: target_cfg as the crates built against macro_sysroot see it (panic=\"unwind\" with an unwinding sysroot), for their build scripts.",
        "macro_rustc_flags": "list of string: flags of the compiles against macro_sysroot (UNWINDING_RUSTC_FLAGS and the exception tag's link, or none).",
    },
)

# How an unwinding wasm32 std, and every crate that links with it, is
# compiled: panics unwind with wasm exception handling (rustc 1.96 turns it
# on for -Cpanic=unwind; -Ctarget-feature=+exception-handling would only add
# a warning to every compile), in its exnref encoding (LLVM 22's default is
# the legacy one, which wazero refuses). offline_bootstrap/rust_1_96.sh
# builds its std with these too.
UNWINDING_RUSTC_FLAGS = [
    "-Cpanic=unwind",
    "-Cllvm-args=-wasm-use-legacy-eh=false",
]

_SYSROOT_MARK = "/lib/rustlib/"

def _sysroot_of(files, attr_name):
    for f in files:
        # The last mark: an unwinding sysroot lies inside the distribution's own.
        i = f.path.rfind(_SYSROOT_MARK)
        if i > 0:
            return f.path[:i]
    fail("%s: no file lies under lib/rustlib/ (give the sysroot's lib/rustlib/<target>/lib/*.rlib)" % attr_name)

def _tools_of(files):
    """The files of a sysroot's lib/rustlib/<triple>/bin (rust-lld)."""
    tools = []
    for f in files:
        i = f.path.rfind(_SYSROOT_MARK)
        if i > 0 and f.path[i + len(_SYSROOT_MARK):].split("/")[1:2] == ["bin"]:
            tools.append(f)
    return tools

def _macro_side(ctx, sysroot, target_cfg):
    """(macro_sysroot, its files, its flags, its cfg): where wasm proc macros link."""
    if not ctx.files.unwinding_sysroot:
        if ctx.files.unwinding_link:
            fail("%s: unwinding_link is given without unwinding_sysroot" % ctx.label)
        return sysroot, depset(ctx.files.sysroot), [], target_cfg
    if len(ctx.files.unwinding_link) != 1:
        fail("%s: unwinding_sysroot needs unwinding_link, one object that defines the exception tag __cpp_exception (got %d files)" % (ctx.label, len(ctx.files.unwinding_link)))
    tag = ctx.files.unwinding_link[0]
    flags = UNWINDING_RUSTC_FLAGS + ["-Clink-arg=" + tag.path]
    macro_sysroot = _sysroot_of(ctx.files.unwinding_sysroot, "unwinding_sysroot")
    for f in ctx.files.unwinding_sysroot:
        if not f.path.startswith(macro_sysroot + _SYSROOT_MARK):
            fail("%s: unwinding_sysroot: %s is not under %s, where its first file is" % (ctx.label, f.path, macro_sysroot))

    # rustc finds the linker in the sysroot it was installed with.
    files = depset(ctx.files.unwinding_sysroot + [tag] + _tools_of(ctx.files.sysroot))
    cfg = ["panic=\"unwind\"" if c == "panic=\"abort\"" else c for c in target_cfg]
    return macro_sysroot, files, flags, cfg

def _rustc_wasm_toolchain_impl(ctx):
    rustc_is_wasm = ctx.file.rustc.basename.endswith(".wasm")
    exec_triple = ctx.attr.exec_triple or ("wasm32-wasip1-threads" if ctx.attr.proc_macro_kind == "wasm" else ctx.attr.target)
    sysroot = _sysroot_of(ctx.files.sysroot, "sysroot")
    target_cfg = ctx.attr.target_cfg or WASM_TARGET_CFG.get(ctx.attr.target, [])
    macro_sysroot, macro_sysroot_files, macro_rustc_flags, macro_target_cfg = _macro_side(ctx, sysroot, target_cfg)
    info = RustcWasmToolchainInfo(
        rustc = ctx.file.rustc,
        rustc_is_wasm = rustc_is_wasm,
        compiler_files = depset([ctx.file.rustc] + ctx.files.rustc_lib),
        sysroot_files = depset(ctx.files.sysroot),
        sysroot = sysroot,
        target = ctx.attr.target,
        target_cfg = target_cfg,
        exec_triple = exec_triple,
        exec_cfg = ctx.attr.exec_cfg or WASM_TARGET_CFG.get(exec_triple, []),
        proc_macro_kind = ctx.attr.proc_macro_kind,
        expands_wasm_macros = ctx.attr.proc_macro_kind == "wasm" and not rustc_is_wasm,
        proc_macro_extension = ".wasm" if ctx.attr.proc_macro_kind == "wasm" else ".so",
        runner = ctx.attr.runner[DefaultInfo].files_to_run,
        rustc_flags = ctx.attr.rustc_flags,
        macro_sysroot = macro_sysroot,
        macro_sysroot_files = macro_sysroot_files,
        macro_rustc_flags = macro_rustc_flags,
        macro_target_cfg = macro_target_cfg,
    )
    return [platform_common.ToolchainInfo(rustc_wasm = info)]

rustc_wasm_toolchain = rule(
    implementation = _rustc_wasm_toolchain_impl,
    doc = """A Rust compiler for the rules_rustc_wasm rules.

Two flavours share the rules: `rustc` is either `rustc.wasm`, which the
runner executes in wazero, or a native rustc executable. Declare it with a
`toolchain()` of type `@rules_rustc_wasm//toolchain:toolchain_type` and
register that; `rustc_wasm_register_toolchains` does both.
""",
    attrs = {
        "rustc": attr.label(
            doc = "The compiler: a `.wasm` file runs in the runner; any other file runs as a native executable.",
            allow_single_file = True,
            cfg = "exec",
            mandatory = True,
        ),
        "rustc_lib": attr.label_list(
            doc = "The libraries a native rustc loads at run time (a distribution's `lib/librustc_driver-*.so`, and `lib/libLLVM*.so` where it ships one), found through its RUNPATH `$ORIGIN/../lib`.",
            allow_files = True,
            cfg = "exec",
        ),
        "sysroot": attr.label_list(
            doc = "The sysroot's files, laid out as `<sysroot>/lib/rustlib/<target>/lib/*.rlib`; `--sysroot` is derived from their path.",
            allow_files = True,
            cfg = "exec",
            mandatory = True,
        ),
        "target": attr.string(
            doc = "Target triple of libraries, binaries and tests (`--target`).",
            default = "wasm32-wasip1",
        ),
        "target_cfg": attr.string_list(
            doc = "`rustc --print cfg --target <target>`, one cfg an item, for build scripts' `CARGO_CFG_*`; known for the wasm32 WASI targets when empty.",
        ),
        "exec_triple": attr.string(
            doc = "What proc macros, build scripts and the crates they use are built for: with rustc.wasm, the target it loads proc macros for (default `wasm32-wasip1-threads`, whose libraries must be in the sysroot too; upstream's wasmi-based design uses `wasm32-wasip1`); with a native rustc, the host's triple (no `--target` is passed). Build scripts see it as `HOST`.",
        ),
        "exec_cfg": attr.string_list(
            doc = "`rustc --print cfg` for exec_triple, for build scripts of crates built for the host.",
        ),
        "proc_macro_kind": attr.string(
            doc = "What a proc macro compiles to: `wasm` (`lib<name>.wasm`, the same file on every machine; with a native rustc the runner expands it in wazero) or `dylib` (a host `lib<name>.so`, for a native rustc).",
            default = "wasm",
            values = ["wasm", "dylib"],
        ),
        "runner": attr.label(
            doc = "The runner that executes rustc.wasm and build scripts in compile actions.",
            default = "//runner",
            executable = True,
            cfg = "exec",
        ),
        "rustc_flags": attr.string_list(
            doc = "Flags added to every rustc command line of this toolchain.",
        ),
        "unwinding_sysroot": attr.label_list(
            doc = "A native rustc with wasm proc macros: a second sysroot, whose `lib/rustlib/<target>/lib` std is built with `UNWINDING_RUSTC_FLAGS` (`-Cpanic=unwind` and wasm exception handling). Proc-macro modules and the libraries they use are compiled against it with those flags, so that a macro's own `catch_unwind` works (proc-macro-error's `abort!`). Without it, a panic in a macro ends the expansion.",
            allow_files = True,
            cfg = "exec",
        ),
        "unwinding_link": attr.label_list(
            doc = "With unwinding_sysroot: the wasm object that defines the exception tag `__cpp_exception` (std's unwind crate defines it only for wasm32-unknown-unknown, and wasi-libc does not), linked into every module.",
            allow_files = [".o"],
            cfg = "exec",
        ),
    },
)
