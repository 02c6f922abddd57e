"""The rustc_wasm_toolchain rule and its provider."""

RustcWasmToolchainInfo = provider(
    doc = "What the rules need to compile Rust: a rustc, the target's sysroot and the runner.",
    fields = {
        "rustc": "File: rustc.wasm (run by the runner in wazero) or a native rustc executable.",
        "rustc_is_wasm": "bool: whether rustc is a WebAssembly module.",
        "sysroot_files": "depset of File: the sysroot's libraries (lib/rustlib/<target>/lib/*.rlib, ...).",
        "sysroot": "string: the sysroot directory's path in the execroot, for --sysroot.",
        "target": "string: the target triple of libraries, binaries and tests.",
        "proc_macro_kind": "string: 'wasm' (proc macros are lib<name>.wasm) or 'dylib' (host lib<name>.so).",
        "proc_macro_extension": "string: '.wasm' or '.so'.",
        "runner": "FilesToRunProvider: the runner, for compile actions.",
        "runner_file": "File: the runner's executable, for launchers of binaries and tests.",
        "rustc_flags": "list of string: flags passed to every rustc action.",
    },
)

_SYSROOT_MARK = "/lib/rustlib/"

def _sysroot_of(files, attr_name):
    for f in files:
        i = f.path.find(_SYSROOT_MARK)
        if i > 0:
            return f.path[:i]
    fail("%s: no file lies under lib/rustlib/ (give the sysroot's lib/rustlib/<target>/lib/*.rlib)" % attr_name)

def _rustc_wasm_toolchain_impl(ctx):
    if not ctx.file.rustc:
        fail("rustc_wasm_toolchain %s: the rustc attribute is required" % ctx.label)
    if not ctx.files.sysroot:
        fail("rustc_wasm_toolchain %s: the sysroot attribute is empty; give the target's libraries (lib/rustlib/%s/lib/*.rlib)" % (ctx.label, ctx.attr.target))
    if ctx.attr.proc_macro_kind not in ["wasm", "dylib"]:
        fail("rustc_wasm_toolchain %s: proc_macro_kind must be 'wasm' or 'dylib', not %r" % (ctx.label, ctx.attr.proc_macro_kind))
    info = RustcWasmToolchainInfo(
        rustc = ctx.file.rustc,
        rustc_is_wasm = ctx.file.rustc.basename.endswith(".wasm"),
        sysroot_files = depset(ctx.files.sysroot),
        sysroot = _sysroot_of(ctx.files.sysroot, "sysroot"),
        target = ctx.attr.target,
        proc_macro_kind = ctx.attr.proc_macro_kind,
        proc_macro_extension = ".wasm" if ctx.attr.proc_macro_kind == "wasm" else ".so",
        runner = ctx.attr.runner[DefaultInfo].files_to_run,
        runner_file = ctx.executable.runner,
        rustc_flags = ctx.attr.rustc_flags,
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
        "proc_macro_kind": attr.string(
            doc = "What a proc macro compiles to: `wasm` (`lib<name>.wasm`, the same file on every machine) or `dylib` (a host `lib<name>.so`, for a native rustc).",
            default = "wasm",
            values = ["wasm", "dylib"],
        ),
        "runner": attr.label(
            doc = "The runner that executes rustc.wasm and the built programs.",
            default = "//runner",
            executable = True,
            cfg = "exec",
        ),
        "rustc_flags": attr.string_list(
            doc = "Flags added to every rustc command line of this toolchain.",
        ),
    },
)
