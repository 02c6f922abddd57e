"""Analysis tests of the rules' actions: the proc-macro pair, --extern,
-Ldependency= and the inputs of dependents, in the flavour of the toolchain
the test runs with (the native one by default, the wasm one with
--extra_toolchains=//testing:standin_toolchain)."""

load("@bazel_skylib//lib:unittest.bzl", "analysistest", "asserts")
load("//rules:defs.bzl", "CrateInfo")

def _rustc_action(env):
    actions = [a for a in analysistest.target_actions(env) if a.mnemonic == "Rustc"]
    asserts.equals(env, 1, len(actions), "one Rustc action")
    return actions[0]

def _rustc_action_writing(env, f):
    actions = [a for a in analysistest.target_actions(env) if a.mnemonic == "Rustc" and f in a.outputs.to_list()]
    asserts.equals(env, 1, len(actions), "one Rustc action writes " + f.basename)
    return actions[0]

def _wasm_macro_of_native_rustc(env, info):
    """A native rustc's wasm macro: the module, and the shim dependents load."""
    module = info.wasm_macro
    actions = [a for a in analysistest.target_actions(env) if a.mnemonic == "Rustc"]
    asserts.equals(env, 2, len(actions), "two Rustc actions: the module and the shim")

    # The module: a cdylib for the toolchain's wasm32 WASI target (as its
    # rustc names it: wasm32-wasi for 1.63, wasm32-wasip1 from 1.78), whose
    # standard library is among the inputs, against our proc_macro and
    # attribute macros.
    action = _rustc_action_writing(env, module)
    argv = action.argv
    asserts.equals(env, ["lib%s.wasm" % info.name], _basenames(action.outputs.to_list()))
    asserts.equals(env, ["cdylib"], _flag(argv, "--crate-type="))
    triples = _flag(argv, "--target=")
    asserts.true(env, len(triples) == 1 and triples[0] in ("wasm32-wasi", "wasm32-wasip1"), "--target= a wasm32 WASI triple: %s" % triples)
    std = "/lib/rustlib/%s/lib/" % triples[0]
    asserts.true(env, len([f for f in action.inputs.to_list() if std in f.path and f.basename.startswith("libstd-")]) > 0, "the inputs hold the std of " + std)
    asserts.equals(env, ["link=" + module.path], _flag(argv, "--emit="))
    externs = _flag(argv, "--extern=")
    asserts.true(env, len([e for e in externs if e.startswith("proc_macro=") and e.endswith("/libproc_macro.rlib")]) == 1, "--extern=proc_macro=<our proc_macro> in " + str(externs))
    asserts.true(env, len([e for e in externs if e.startswith("rules_rustc_wasm_attrs=")]) == 1, "--extern=rules_rustc_wasm_attrs")

    # The shim: a host proc macro that links the bridge; it is what --extern names.
    shim = _rustc_action_writing(env, info.output)
    argv = shim.argv
    asserts.equals(env, "lib%s.so" % info.name, info.output.basename)
    asserts.equals(env, ["proc-macro"], _flag(argv, "--crate-type="))
    asserts.equals(env, [], _flag(argv, "--target="))
    asserts.true(env, len([e for e in _flag(argv, "--extern=") if e.startswith("rules_rustc_wasm_bridge=")]) == 1, "--extern=rules_rustc_wasm_bridge")
    asserts.equals(env, None, info.metadata)

    # A leaf: what a dependent gets is the shim and the module alone.
    asserts.equals(env, [info.output.basename], _basenames(info.transitive_outputs.to_list()))
    asserts.equals(env, [module], info.wasm_macros.to_list())

def _flag(argv, prefix):
    return [a[len(prefix):] for a in argv if a.startswith(prefix)]

def _basenames(files):
    return sorted([f.basename for f in files])

def _proc_macro_pair_test_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    info = target[CrateInfo]
    if info.wasm_macro:
        _wasm_macro_of_native_rustc(env, info)
        return analysistest.end(env)
    action = _rustc_action(env)
    outs = action.outputs.to_list()
    ext = info.output.extension

    # One action writes both files of the pair, in one directory, one stem.
    asserts.true(env, ext in ["wasm", "so"], "proc macro output is .wasm or .so, got " + info.output.basename)
    asserts.equals(env, sorted(["lib%s.%s" % (info.name, ext), "lib%s.rmeta" % info.name]), _basenames(outs))
    asserts.equals(env, info.output.dirname, info.metadata.dirname)
    argv = action.argv
    asserts.equals(env, ["proc-macro"], _flag(argv, "--crate-type="))
    asserts.equals(env, ["metadata=%s,link=%s" % (info.metadata.path, info.output.path)], _flag(argv, "--emit="))
    asserts.true(env, "--extern=proc_macro" in argv, "--extern=proc_macro")

    # rustc.wasm loads macros built for wasm32-wasip1-threads (not the
    # programs' target); a native rustc builds host dylibs (no --target).
    want_target = ["wasm32-wasip1-threads"] if ext == "wasm" else []
    asserts.equals(env, want_target, _flag(argv, "--target="))
    sysroot = _flag(argv, "--sysroot=")
    asserts.equals(env, 1, len(sysroot), "one --sysroot")
    if ext == "wasm":
        libs = [f for f in action.inputs.to_list() if f.path.startswith(sysroot[0] + "/lib/rustlib/wasm32-wasip1-threads/lib/")]
        asserts.true(env, len(libs) > 0, "the macro target's libraries are inputs")
    asserts.true(env, "rustc" in argv and "--compiler" in argv, "the runner's rustc verb runs the compiler")
    asserts.equals(env, sorted([info.output.path, info.metadata.path]), sorted([argv[i + 1] for i in range(len(argv)) if argv[i] == "--out"]))

    # A leaf: what a dependent gets is the pair alone.
    asserts.equals(env, _basenames([info.output, info.metadata]), _basenames(info.transitive_outputs.to_list()))
    return analysistest.end(env)

proc_macro_pair_test = analysistest.make(_proc_macro_pair_test_impl)

def _dependent_of_macros_test_impl(ctx):
    env = analysistest.begin(ctx)
    action = _rustc_action(env)
    argv = action.argv
    inputs = action.inputs.to_list()
    macros = [d[CrateInfo] for d in ctx.attr.macros]
    for m in macros:
        # --extern names the .wasm/.so; both files of the pair are inputs.
        # A native rustc's wasm macro: --extern names its shim, and the
        # runner is given its module.
        asserts.true(env, ("--extern=%s=%s" % (m.name, m.output.path)) in argv, "--extern for " + m.name)
        asserts.true(env, m.output in inputs, m.output.path + " is an input")
        if m.wasm_macro:
            asserts.true(env, m.wasm_macro in inputs, m.wasm_macro.path + " is an input")
            asserts.true(env, m.wasm_macro.path in [argv[i + 1] for i in range(len(argv) - 1) if argv[i] == "--wasm-macro"], "--wasm-macro " + m.wasm_macro.path)

            # The runner checks what rustc read against the inputs list;
            # the toolchain's target has no threads, so no macro spawns any.
            lists = [argv[i + 1] for i in range(len(argv) - 1) if argv[i] == "--inputs-from"]
            asserts.equals(env, 1, len(lists), "--inputs-from once")
            asserts.true(env, len(lists) == 1 and lists[0] in [f.path for f in inputs], "the inputs list is an input")
            asserts.false(env, "--macro-threads" in argv, "--macro-threads with a target without threads")
        else:
            asserts.true(env, m.metadata in inputs, m.metadata.path + " is an input")
        asserts.true(env, ("-Ldependency=" + m.output.dirname) in argv, "-Ldependency for " + m.name)

    # The macros' own dependencies (naming) are not passed on.
    for f in inputs:
        asserts.false(env, f.basename.startswith("libnaming."), "a proc macro's dependency leaked: " + f.path)
    asserts.equals(env, [], [a for a in argv if "naming" in a])
    return analysistest.end(env)

dependent_of_macros_test = analysistest.make(
    _dependent_of_macros_test_impl,
    attrs = {"macros": attr.label_list(providers = [CrateInfo])},
)

def _transitive_test_impl(ctx):
    env = analysistest.begin(ctx)
    action = _rustc_action(env)
    argv = action.argv
    inputs = action.inputs.to_list()
    lib = ctx.attr.lib[CrateInfo]

    # A direct library: --extern and its rlib/rmeta; what it carries
    # (its proc macros) comes through -Ldependency= and inputs only.
    asserts.true(env, ("--extern=%s=%s" % (lib.name, lib.output.path)) in argv, "--extern for the library")
    externs = _flag(argv, "--extern=")
    asserts.equals(env, 1, len([e for e in externs if not e.startswith("proc_macro")]), "only direct crates get --extern: %s" % externs)
    for f in lib.transitive_outputs.to_list():
        asserts.true(env, f in inputs, f.path + " is an input")
        asserts.true(env, ("-Ldependency=" + f.dirname) in argv, "-Ldependency=" + f.dirname)
    ldeps = _flag(argv, "-Ldependency=")
    asserts.equals(env, len(ldeps), len(depset(ldeps).to_list()), "-Ldependency= directories are unique")
    return analysistest.end(env)

transitive_test = analysistest.make(
    _transitive_test_impl,
    attrs = {"lib": attr.label(providers = [CrateInfo])},
)

def _library_outputs_test_impl(ctx):
    env = analysistest.begin(ctx)
    info = analysistest.target_under_test(env)[CrateInfo]
    action = _rustc_action(env)
    asserts.equals(env, sorted(["lib%s.rlib" % info.name, "lib%s.rmeta" % info.name]), _basenames(action.outputs.to_list()))
    asserts.equals(env, ["rlib"], _flag(action.argv, "--crate-type="))
    asserts.equals(env, 1, len(_flag(action.argv, "--target=")), "a library builds for the target")
    asserts.equals(env, 1, len(_flag(action.argv, "--sysroot=")), "--sysroot")
    return analysistest.end(env)

library_outputs_test = analysistest.make(_library_outputs_test_impl)

def _failure_test_impl(ctx):
    env = analysistest.begin(ctx)
    asserts.expect_failure(env, ctx.attr.message)
    return analysistest.end(env)

failure_test = analysistest.make(
    _failure_test_impl,
    expect_failure = True,
    attrs = {"message": attr.string()},
)

def _args_after_dashes(argv):
    return argv[argv.index("--") + 1:]

def _pipelined_library_test_impl(ctx):
    env = analysistest.begin(ctx)
    info = analysistest.target_under_test(env)[CrateInfo]

    # The dependency as the target sees it (the test's own attributes are
    # in another configuration).
    dep = info.deps[0].crate
    actions = analysistest.target_actions(env)
    meta = [a for a in actions if a.mnemonic == "RustcMetadata"]
    full = [a for a in actions if a.mnemonic == "Rustc"]
    if full and full[0].argv[full[0].argv.index("--compiler") + 1].endswith(".wasm"):
        # rustc.wasm ignores the setting: one action writes the pair.
        asserts.equals(env, [], meta, "no RustcMetadata action with rustc.wasm")
        return analysistest.end(env)
    asserts.equals(env, 1, len(meta), "one RustcMetadata action")
    asserts.equals(env, 1, len(full), "one Rustc action")
    if len(meta) != 1 or len(full) != 1:
        return analysistest.end(env)
    meta, full = meta[0], full[0]

    # The pair: the .rmeta from an action stopped once rustc wrote it, the
    # .rlib from the full action, one rustc command line.
    asserts.equals(env, [info.metadata], meta.outputs.to_list())
    asserts.equals(env, [info.output], full.outputs.to_list())
    asserts.true(env, "--stop-after-metadata" in meta.argv, "the metadata action stops rustc")
    asserts.false(env, "--stop-after-metadata" in full.argv, "the full action does not")

    # The warnings are the metadata action's, which always runs.
    asserts.false(env, "--no-warnings" in meta.argv, "the metadata action prints the warnings")
    asserts.true(env, "--no-warnings" in full.argv, "the full action drops them")
    asserts.equals(env, _args_after_dashes(meta.argv), _args_after_dashes(full.argv))
    asserts.equals(env, ["metadata=%s,link=%s" % (info.metadata.path, info.output.path)], _flag(full.argv, "--emit="))

    # Both start once the dependency's .rmeta is written, not its .rlib.
    for a in [meta, full]:
        inputs = a.inputs.to_list()
        asserts.true(env, ("--extern=%s=%s" % (dep.name, dep.metadata.path)) in a.argv, "--extern names the .rmeta of " + dep.name)
        asserts.true(env, dep.metadata in inputs, dep.metadata.path + " is an input")
        asserts.false(env, dep.output in inputs, dep.output.path + " is an input")
    asserts.equals(env, sorted([info.metadata.path, dep.metadata.path]), sorted([f.path for f in info.transitive_metadata.to_list()]))
    return analysistest.end(env)

pipelined_library_test = analysistest.make(
    _pipelined_library_test_impl,
    config_settings = {"//settings:pipelined_compilation": True},
)

def _pipelined_binary_test_impl(ctx):
    env = analysistest.begin(ctx)
    action = _rustc_action(env)
    inputs = action.inputs.to_list()

    # What links takes the .rlibs of every library it links: its
    # dependency's, and that one's dependency's.
    direct = analysistest.target_under_test(env)[CrateInfo].deps[0].crate
    for info in [direct, direct.deps[0].crate]:
        asserts.true(env, info.output in inputs, info.output.path + " is an input")
    asserts.true(env, ("--extern=%s=%s" % (direct.name, direct.output.path)) in action.argv, "--extern names the .rlib")
    asserts.false(env, "--stop-after-metadata" in action.argv, "a binary is one action")
    return analysistest.end(env)

pipelined_binary_test = analysistest.make(
    _pipelined_binary_test_impl,
    config_settings = {"//settings:pipelined_compilation": True},
)

def _macro_opt_level_test_impl(ctx):
    env = analysistest.begin(ctx)
    info = analysistest.target_under_test(env)[CrateInfo]
    if not info.wasm_macro:
        # rustc.wasm builds proc macros as crates of the exec side.
        return analysistest.end(env)

    # The module builds at the level the setting gives, whatever the
    # compilation mode; the shim, a native crate, does not.
    module = _rustc_action_writing(env, info.wasm_macro)
    asserts.equals(env, ["2"], _flag(module.argv, "-Copt-level="))
    shim = _rustc_action_writing(env, info.output)
    asserts.equals(env, ["0"], _flag(shim.argv, "-Copt-level="))
    return analysistest.end(env)

macro_opt_level_test = analysistest.make(
    _macro_opt_level_test_impl,
    config_settings = {"//settings:wasm_macro_opt_level": "2"},
)
