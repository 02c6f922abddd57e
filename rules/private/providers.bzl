"""Providers of the rules_rustc_wasm rules."""

CrateInfo = provider(
    doc = """A compiled Rust crate, for dependents and for other rule sets.

A dependent passes `--extern <name>=<output>` and gives rustc both `output`
and `metadata` (for a proc macro: the pair lib<name>.wasm and lib<name>.rmeta,
written by one rustc run into one directory); `-Ldependency=` covers the
directories of `transitive_outputs`. A library compiled with
`//settings:pipelined_compilation` names its library dependencies' `metadata`
instead and gets `transitive_metadata`: its compile starts once their
`.rmeta` are written (each by an action that stops rustc there), not their
`.rlib`.
""",
    fields = {
        "name": "string: the crate name (`--crate-name`).",
        "type": "string: `rlib`, `proc-macro` or `bin`.",
        "edition": "string: the Rust edition.",
        "root": "File: the crate root.",
        "srcs": "depset of File: the crate's sources.",
        "compile_data": "depset of File: the crate's `compile_data`, which its compile (and the wasm macros it expands) may read.",
        "version": "string: the crate's version (empty for first-party crates without one).",
        "env": "dict of string: the compile's environment of the crate's own: Cargo's variables (CARGO_CRATE_NAME, CARGO_PKG_*; cargo_env.bzl; version 0.0.0 for a crate without one) and `rustc_env`. CARGO_MANIFEST_DIR (package_dir, absolute) and a build script's OUT_DIR and env are added by the action.",
        "package_dir": "string: the package directory, relative to the execution root (`CARGO_MANIFEST_DIR`).",
        "target": "string: the target triple the crate is compiled for.",
        "build_script": "BuildScriptInfo or None: what the crate's build script produced, which its compile read.",
        "metadata_hash": "string: the crate's identity (`-Cmetadata=`), derived from its label and version, so two crates of one name coexist in a graph.",
        "output": "File: what `--extern` names: lib<name>.rlib, lib<name>.wasm (rustc.wasm), lib<name>.so (a dylib macro, or the shim of a native rustc's wasm macro); for a binary, <name>.wasm.",
        "metadata": "File or None: lib<name>.rmeta, beside `output`.",
        "transitive_outputs": "depset of File: the outputs and metadata of this crate and of every crate a dependent may need to load through it. A proc macro's own dependencies are not included: it is a leaf.",
        "transitive_metadata": "depset of File: what of transitive_outputs a compile that does not link needs (a library's, with //settings:pipelined_compilation): the libraries' `.rmeta` alone, a proc macro's output and metadata.",
        "cfgs": "list of string: `--cfg` values the crate was compiled with, for tools such as rust-analyzer: its features and the cfgs the rules add (a build script's are in BuildScriptInfo.flags).",
        "deps": "list of struct(name, crate): the crates passed with `--extern`, under the names the crate uses for them.",
        "audit": "File or None: with `--@rules_rustc_wasm//settings:audit` and rustc.wasm, every path the compile's guest opened (output group `rustc_audit`).",
        "expanded": "depset of File: with `--@rules_rustc_wasm//settings:expanded` and a native rustc, the crate's source after macro expansion (output group `rust_expanded`).",
        "wasm_macro": "File or None: for a wasm proc macro of a native rustc, its module lib<name>.wasm (`output` is then the native shim dependents load, which forwards to the module).",
        "wasm_macros": "depset of File: the wasm proc-macro modules a dependent's compile may expand: this macro's own, or those reachable through a library (which may re-export them).",
    },
)

BuildScriptInfo = provider(
    doc = """What a Cargo build script produced, for the compile of its crate.

All three are files Bazel tracks: the crate's compile action reads them, so
nothing a script printed is kept in analysis-time state.
""",
    fields = {
        "out_dir": "File (a directory): OUT_DIR, given to the crate's compile as an absolute path.",
        "flags": "File: rustc arguments the script asked for (`--cfg=...`, `-l...`), one a line.",
        "env": "File: `NAME=VALUE` lines (`cargo:rustc-env`), added to the compile's environment.",
    },
)
