"""wasm_proc_macro: a proc macro whose product is the WebAssembly module lib<n>.wasm."""

load("//rules/private/actions:macro_shim.bzl", "macro_shim_action")
load("//rules/private/actions:rustc.bzl", "rustc_action")
load(":attrs.bzl", "PROC_MACRO_ATTRS", "TOOLCHAIN_TYPE")
load(":crate.bzl", "add_externs", "changed_crate", "compile_crate", "crate_info", "crate_output_groups", "derived_crate", "describe_crate", "wasm_macro_api", "wasm_macro_opt_level")
load(":macro_srcs.bzl", "macro_sources")
load(":outputs.bzl", "declare_crate_output")
load(":providers.bzl", "CrateInfo")

def _wasm_macro_of_native_rustc(ctx, tc):
    """A native rustc's wasm proc macro: the module, and the shim dependents load.

    The macro crate's sources are laid out with the proc-macro attributes of
    its root renamed to the attribute macros of rules_rustc_wasm_attrs
    (`runner macro-srcs`); the same native rustc builds the crate for the
    target's wasm32 WASI triple as the cdylib lib<name>.wasm, where each macro
    function gets its declaration (a `.rustc_proc_macro_decls` custom
    section) and an export that serves it. The shim, a small native
    proc-macro crate generated from those declarations (`runner
    macro-shim`), forwards each expansion to the runner, which runs the
    module in wazero.
    """
    desc = describe_crate(ctx, tc, "proc-macro", ["lib.rs"])
    name = desc["name"]
    key = "%s-%s" % (name, desc["metadata_hash"])
    module = declare_crate_output(ctx, "lib%s.wasm" % name)
    module_desc = changed_crate(
        desc,
        noun = "proc-macro module",
        type = "cdylib",
        triple = tc.target,
        links_into_wasm_macro = True,
        opt_level = wasm_macro_opt_level(ctx),
        # The module carries no debug info: smaller, so faster to load.
        rustc_flags = desc["rustc_flags"] + ["-Cstrip=debuginfo"],
        emit = [("link", module)],
        outputs = [module],
        **macro_sources(ctx, tc, desc, "module_src", ["--root", desc["root"].path, "--key", key, "--edition", desc["edition"]])
    )
    add_externs(module_desc, [
        wasm_macro_api(ctx),
        struct(name = "rules_rustc_wasm_attrs", crate = ctx.attr._wasm_macro_attrs[0][CrateInfo]),
    ])
    done = rustc_action(ctx, tc, module_desc)

    shim_src = declare_crate_output(ctx, "shim/%s.rs" % name)
    macro_shim_action(ctx, tc, module, name, shim_src)
    shim = declare_crate_output(ctx, "shim/lib%s.so" % name)
    shim_desc = derived_crate(
        desc,
        noun = "proc-macro shim",
        root = shim_src,
        srcs = [shim_src],
        # The shim's source is generated into the configuration's directory,
        # whose name Bazel 4 derives from the build's flags: its path must
        # not reach the shim, nor the crate hash of whatever uses it.
        remap = ctx.bin_dir.path + "/",
        emit = [("link", shim)],
        outputs = [shim],
    )
    add_externs(shim_desc, [struct(name = "rules_rustc_wasm_bridge", crate = ctx.attr._wasm_macro_bridge[0][CrateInfo])])
    rustc_action(ctx, tc, shim_desc)
    return crate_info(desc, shim, None, done, wasm_macro = module), module

def _wasm_proc_macro_impl(ctx):
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    if tc.expands_wasm_macros:
        info, module = _wasm_macro_of_native_rustc(ctx, tc)
        files = [module]
    else:
        info = compile_crate(ctx, "proc-macro", ["lib.rs"])
        files = [info.output, info.metadata]
    return [DefaultInfo(files = depset(files)), info, crate_output_groups(info)]

wasm_proc_macro = rule(
    implementation = _wasm_proc_macro_impl,
    doc = """A Rust procedural macro compiled to WebAssembly: `lib<name>.wasm`.

The macro crate is written as for Cargo (`#[proc_macro_derive]`,
`#[proc_macro_attribute]`, `#[proc_macro]` at its root) and used through
`proc_macro_deps`; it builds in its dependents' configuration, the one
`bazel build //...` uses too, so each macro builds once a build.

- With rustc.wasm, one rustc action (`--crate-type proc-macro`) writes the
  pair `lib<name>.wasm` and `lib<name>.rmeta` into one directory;
  dependents get `--extern <name>=<dir>/lib<name>.wasm` with both files, and
  rustc.wasm loads the module itself.
- With a native rustc and `proc_macro_kind = "wasm"` (the default), the
  same native rustc builds the crate and its deps for the target's wasm32
  WASI triple into the module `lib<name>.wasm`, which declares its macros
  in a `.rustc_proc_macro_decls` custom section and exports an entry point
  for each. Dependents load a small
  generated native shim (`shim/lib<name>.so`) that forwards each expansion
  to the runner, which runs it in a fresh wazero instance of the module.
- With `proc_macro_kind = "dylib"` the pair is `lib<name>.so` and
  `lib<name>.rmeta`, a host dylib.
""",
    attrs = PROC_MACRO_ATTRS,
    toolchains = [TOOLCHAIN_TYPE],
)
