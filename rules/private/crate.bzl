"""The crate recipe: every crate rule describes its crate once here, and
actions/rustc.bzl's rustc_action compiles that description."""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")
load("//rules/private/actions:rustc.bzl", "rustc_action")
load(":attrs.bzl", "TOOLCHAIN_TYPE")
load(":cargo_env.bzl", "cargo_package_env")
load(":macro_srcs.bzl", "wasi_gate_sources")
load(":outputs.bzl", "declare_crate_output")
load(":providers.bzl", "BuildScriptInfo", "CrateInfo")
load(":validate.bzl", "check_no_control_chars")

_NOUN = {"bin": "binary", "proc-macro": "proc-macro", "rlib": "library"}

def _crate_root(ctx, default_names):
    if ctx.file.crate_root:
        return ctx.file.crate_root
    srcs = ctx.files.srcs
    if len(srcs) == 1:
        return srcs[0]
    for f in srcs:
        if f.basename in default_names:
            return f
    fail("%s: cannot tell the crate root among %d sources; set crate_root (or name one of them %s)" % (
        ctx.label,
        len(srcs),
        " or ".join(default_names),
    ))

def _externs(ctx):
    """The crates passed with --extern, each under the name the crate uses."""
    for dep in ctx.attr.deps:
        info = dep[CrateInfo]
        if info.type == "proc-macro":
            fail("%s: %s is a proc macro; list it in proc_macro_deps, not deps" % (ctx.label, dep.label))
        if info.type == "bin":
            fail("%s: %s is a binary; only libraries belong in deps" % (ctx.label, dep.label))
    for dep in ctx.attr.proc_macro_deps:
        if dep[CrateInfo].type != "proc-macro":
            fail("%s: %s is a %s, not a proc macro; list it in deps, not proc_macro_deps" % (
                ctx.label,
                dep.label,
                dep[CrateInfo].type,
            ))
    direct = ctx.attr.deps + ctx.attr.proc_macro_deps
    known = [d.label for d in direct]
    aliases = {}
    for target, name in ctx.attr.aliases.items():
        if target.label not in known:
            fail("%s: aliases names %s, which is in neither deps nor proc_macro_deps" % (ctx.label, target.label))
        aliases[target.label] = name
    return [
        struct(name = aliases.get(d.label, d[CrateInfo].name), crate = d[CrateInfo])
        for d in direct
    ]

def _hex32(n):
    return "".join(["0123456789abcdef"[(n >> (28 - 4 * i)) & 15] for i in range(8)])

def crate_identity(label, version):
    """A crate's `-Cmetadata`: 64 bits from its label and version.

    The same on every machine (Starlark's string hash is fixed), and
    different for two crates of one name (syn 1 and syn 2).

    Args:
      label: the crate's Label.
      version: its version, or "".

    Returns:
      16 hex digits.
    """
    key = "%s@%s" % (label, version)
    return _hex32(hash(key)) + _hex32(hash(key[::-1]))

def package_dir(label):
    """The package directory of a target, relative to the execution root (`CARGO_MANIFEST_DIR`).

    Args:
      label: the target's Label.

    Returns:
      external/<repo>/<package>, <package>, or "." for the root package.
    """
    return "/".join([p for p in [label.workspace_root, label.package] if p]) or "."

def _in_exec_configuration(ctx):
    # Bazel 4 builds cfg = "exec" dependencies in its host configuration;
    # newer Bazels name exec configurations "...-exec-...".
    path = ctx.bin_dir.path
    return path.startswith("bazel-out/host/") or "-exec-" in path

def builds_for_exec(ctx, crate_type):
    """Whether a crate builds for where the build runs rather than for the target.

    Proc macros (in any configuration) and the crates of the exec side (a
    macro's deps, build scripts and their deps: exec_side.bzl) run where
    the build runs: the host with a native rustc, the toolchain's
    `exec_triple` (wasm32-wasip1-threads by default) with rustc.wasm. So do
    crates that other rule sets put in Bazel's exec configuration.

    Args:
      ctx: the rule context.
      crate_type: `rlib`, `proc-macro` or `bin`.

    Returns:
      True when the crate builds for the exec side.
    """
    return crate_type == "proc-macro" or ctx.attr._exec_side[BuildSettingInfo].value or _in_exec_configuration(ctx)

def on_wasm_macro_side(ctx, tc):
    """Whether the crate is a library a wasm proc macro of a native rustc uses.

    Such crates (syn, quote, proc-macro2, a macro's helpers) build for the
    toolchain's wasm32 WASI target against the proc_macro crate of
    //proc_macro_wasm, as part of the macro's module.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.

    Returns:
      True on the wasm macro side.
    """
    side = getattr(ctx.attr, "_macro_side", None)
    return tc.expands_wasm_macros and side != None and side[BuildSettingInfo].value

def target_triple(ctx, tc, crate_type, for_exec):
    """The `--target` a crate builds for; "" for the host (a native rustc's default).

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      crate_type: `rlib`, `proc-macro` or `bin`.
      for_exec: whether the crate builds for the exec side (builds_for_exec).

    Returns:
      A target triple, or "".
    """
    if not for_exec:
        return tc.target
    if tc.rustc_is_wasm:
        # rustc.wasm loads proc macros built for this target.
        return tc.exec_triple
    if crate_type == "rlib" and on_wasm_macro_side(ctx, tc):
        return tc.target
    return ""

def _declare_outputs(ctx, tc, crate_type, name, for_exec, bin_name):
    """The files rustc writes, and the --emit kinds that write them."""
    if crate_type == "bin":
        # A native rustc builds host executables for the exec side.
        ext = "" if for_exec and not tc.rustc_is_wasm else ".wasm"
        output = ctx.actions.declare_file((bin_name or ctx.label.name) + ext)
        return output, None, [("link", output)]
    ext = ".rlib" if crate_type == "rlib" else tc.proc_macro_extension

    # Both files lie in one directory, with one stem. One rustc run writes
    # both, or, pipelined, two runs of one command line (pipelined_compilation),
    # which give them one crate hash: rustc's outputs depend on its command
    # line and inputs, not on which of them an action keeps.
    output = declare_crate_output(ctx, "lib%s%s" % (name, ext))
    metadata = declare_crate_output(ctx, "lib%s.rmeta" % name)
    return output, metadata, [("metadata", metadata), ("link", output)]

def _transitive_outputs(crate_type, outputs, transitive):
    if crate_type == "bin":
        return depset()
    if crate_type == "proc-macro":
        # A proc macro is a leaf: its own dependencies stay behind.
        return depset(outputs)
    return depset(outputs, transitive = [transitive])

def _transitive_metadata(crate_type, output, metadata, transitive):
    if crate_type == "bin":
        return depset()
    if crate_type == "proc-macro":
        # What a dependent loads is the macro's output, whatever it compiles.
        return depset([f for f in [output, metadata] if f])
    return depset([metadata or output], transitive = [transitive])

def compile_crate(ctx, crate_type, default_roots, is_test = False, crate_name = None, for_exec = None, bin_name = None, with_macro_api = True):
    """Describes the rule's crate, registers its one rustc action, returns its CrateInfo.

    On the wasm macro side (on_wasm_macro_side) a library also gets the
    proc_macro crate of //proc_macro_wasm, and a crate whose cfgs leave
    proc_macro out on WASI (`wasm_macro_wasi_gate`) has them rewritten.

    Args:
      ctx: the rule context; its attributes are those of attrs.CRATE_ATTRS.
      crate_type: `rlib`, `proc-macro` or `bin`.
      default_roots: file names that mark the crate root, such as lib.rs.
      is_test: compile a `--test` harness.
      crate_name: the crate name, when the rule fixes it.
      for_exec: build for where the build runs (None: as builds_for_exec says).
      bin_name: the path of a binary's output under the package, without
        extension (default: the target name).
      with_macro_api: on the wasm macro side, link our proc_macro crate
        (False for the crates of //proc_macro_wasm, which it is one of).

    Returns:
      The crate's CrateInfo.
    """
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    desc = describe_crate(ctx, tc, crate_type, default_roots, is_test, crate_name, for_exec)
    output, metadata, emit = _declare_outputs(ctx, tc, crate_type, desc["name"], desc["for_exec"], bin_name)
    update_crate(desc, emit = emit, outputs = [f for f in [output, metadata] if f])
    if crate_type == "rlib" and not is_test and pipelined_compilation(ctx, tc):
        update_crate(desc, pipelined = True)
    if desc["triple"] and on_wasm_macro_side(ctx, tc):
        update_crate(desc, links_into_wasm_macro = True, opt_level = wasm_macro_opt_level(ctx))
        if with_macro_api:
            add_externs(desc, [wasm_macro_api(ctx)])
        if getattr(ctx.attr, "wasm_macro_wasi_gate", False):
            update_crate(desc, **wasi_gate_sources(ctx, tc, desc))
    done = rustc_action(ctx, tc, desc)
    return crate_info(desc, output, metadata, done)

def pipelined_compilation(ctx, tc):
    """Whether libraries compile as pipelined pairs (//settings:pipelined_compilation).

    A native rustc only: the runner stops it once it has written the
    `.rmeta` (runner/rustc/pipeline.go).

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.

    Returns:
      A bool.
    """
    return not tc.rustc_is_wasm and ctx.attr._pipelined_compilation[BuildSettingInfo].value

def wasm_macro_opt_level(ctx):
    """The -Copt-level of wasm proc-macro modules and what they link, whatever the compilation mode.

    A module is built once and expands in every dependent's compile, so
    its code's speed is paid for again and again, its build once
    (//settings:wasm_macro_opt_level; bench/today_macros.sh measures the
    trade-off).

    Args:
      ctx: the rule context.

    Returns:
      The level, a string.
    """
    return ctx.attr._wasm_macro_opt_level[BuildSettingInfo].value

def add_externs(desc, externs):
    """Adds externs to a crate description (describe_crate), with what they carry.

    Args:
      desc: the description, changed in place.
      externs: a list of struct(name, crate).
    """
    update_crate(
        desc,
        externs = desc["externs"] + externs,
        transitive = depset(transitive = [desc["transitive"], _carried(externs)]),
        transitive_metadata = depset(transitive = [desc["transitive_metadata"], _carried_metadata(externs)]),
    )

def _carried(externs):
    """What a compile against externs may load: each one's pair and what it carries, but never a proc macro's own dependencies."""
    return depset(
        [f for e in externs for f in [e.crate.output, e.crate.metadata] if f],
        transitive = [e.crate.transitive_outputs for e in externs if e.crate.type != "proc-macro"],
    )

def _carried_metadata(externs):
    """What of _carried(externs) a compile that does not link needs (CrateInfo.transitive_metadata)."""
    return depset(transitive = [e.crate.transitive_metadata for e in externs])

def wasm_macro_api(ctx):
    """The extern of our proc_macro crate, for crates built into wasm macros.

    Args:
      ctx: the rule context.

    Returns:
      struct(name, crate) as in CrateInfo.deps.
    """

    # A label attribute with a Starlark transition is a list.
    return struct(name = "proc_macro", crate = ctx.attr._wasm_macro_api[0][CrateInfo])

def describe_crate(ctx, tc, crate_type, default_roots, is_test = False, crate_name = None, for_exec = None):
    """The description of the rule's crate that rustc_action compiles.

    Args:
      ctx: the rule context; its attributes are those of attrs.CRATE_ATTRS.
      tc: the toolchain's RustcWasmToolchainInfo.
      crate_type: `rlib`, `proc-macro` or `bin`.
      default_roots: file names that mark the crate root, such as lib.rs.
      is_test: compile a `--test` harness.
      crate_name: the crate name, when the rule fixes it.
      for_exec: build for where the build runs (None: as builds_for_exec says).

    Returns:
      A dict; `emit` and `outputs` are for the caller to fill in.
    """
    name = crate_name or ctx.attr.crate_name or ctx.label.name.replace("-", "_")
    if for_exec == None:
        for_exec = builds_for_exec(ctx, crate_type)
    externs = _externs(ctx)
    build_script = getattr(ctx.attr, "build_script", None)
    if type(build_script) == "list":
        # A label attribute with a Starlark transition (a proc macro's) is a list.
        build_script = build_script[0] if build_script else None
    version = ctx.attr.version
    triple = target_triple(ctx, tc, crate_type, for_exec)
    check_no_control_chars(ctx.label, "crate_features", ctx.attr.crate_features)
    check_no_control_chars(ctx.label, "rustc_flags", ctx.attr.rustc_flags)
    check_no_control_chars(ctx.label, "rustc_env", ctx.attr.rustc_env)

    return new_crate(
        label = ctx.label,
        noun = "test" if is_test else _NOUN[crate_type],
        name = name,
        type = crate_type,
        root = _crate_root(ctx, default_roots),
        srcs = ctx.files.srcs,
        compile_data = ctx.files.compile_data,
        edition = ctx.attr.edition,
        version = version,
        metadata_hash = crate_identity(ctx.label, version),
        features = ctx.attr.crate_features,
        rustc_flags = ctx.attr.rustc_flags,
        rustc_env = ctx.attr.rustc_env,
        # As Cargo gives every package's compile, also to a first-party crate
        # without a version: macros such as clap's `#[command(version)]`
        # read them while they expand.
        cargo_env = dict(cargo_package_env(ctx, version, name), CARGO_CRATE_NAME = name),
        manifest_dir = package_dir(ctx.label),
        externs = externs,
        transitive = _carried(externs),
        transitive_metadata = _carried_metadata(externs),
        build_script = build_script[BuildScriptInfo] if build_script else None,
        is_test = is_test,
        for_exec = for_exec,
        triple = triple,
        # What tools such as rust-analyzer take the target for: a native
        # rustc's default is the host, exec_triple.
        target = triple or tc.exec_triple,
    )

# What makes a crate description the crate it is: a crate derived from
# another (a wasm macro's shim) keeps these and nothing else.
_IDENTITY = [
    "label",
    "name",
    "type",
    "edition",
    "version",
    "metadata_hash",
    "cargo_env",
    "manifest_dir",
    "for_exec",
    "triple",
    "target",
]

# The rest of a description, and what a crate has that does not set it.
_DEFAULTS = {
    "noun": "",
    "root": None,
    "srcs": [],
    "compile_data": [],
    "features": [],
    "rustc_flags": [],
    "rustc_env": {},
    "externs": [],
    "transitive": depset(),
    # What of transitive a compile that does not link needs.
    "transitive_metadata": depset(),
    # A library compiled as a pipelined pair against its libraries' .rmeta
    # (pipelined_compilation).
    "pipelined": False,
    "build_script": None,
    "is_test": False,
    # Sources laid out elsewhere (macro_srcs.bzl): the prefix rustc maps away.
    "remap": "",
    # Built for a wasm proc-macro module (the module, or a library on the
    # wasm macro side): against the toolchain's macro_sysroot.
    "links_into_wasm_macro": False,
    "extra_cfgs": [],
    "opt_level": "",
    # The --emit kinds and the files they write; outputs lists those files.
    "emit": [],
    "outputs": [],
}

def _check_fields(fields):
    for k in fields:
        if k not in _IDENTITY and k not in _DEFAULTS:
            fail("a crate description has no field %s" % k)

def new_crate(**fields):
    """A crate description, the one way one is made: what rustc_action compiles.

    Args:
      **fields: every field of _IDENTITY, and any of _DEFAULTS.

    Returns:
      A dict of all the fields.
    """
    for k in _IDENTITY:
        if k not in fields:
            fail("a crate description needs %s" % k)
    _check_fields(fields)
    return dict(_DEFAULTS, **fields)

def update_crate(desc, **changes):
    """Changes fields of a crate description in place, the one way one is changed.

    Args:
      desc: the description (new_crate).
      **changes: fields of the description, with their new values.
    """
    _check_fields(changes)
    desc.update(changes)

def changed_crate(desc, **changes):
    """A copy of a crate description with some fields changed.

    Args:
      desc: the description (new_crate).
      **changes: fields of the description, with their new values.

    Returns:
      The new description.
    """
    _check_fields(changes)
    return dict(desc, **changes)

def derived_crate(desc, **fields):
    """A crate description that keeps only the identity of desc (the name, version, metadata hash, Cargo's variables, where it builds for).

    Args:
      desc: the description it derives from.
      **fields: its own fields, as new_crate takes them.

    Returns:
      A dict of all the fields.
    """
    identity = {k: desc[k] for k in _IDENTITY}
    identity.update(fields)
    return new_crate(**identity)

def crate_info(desc, output, metadata, done, wasm_macro = None):
    """The CrateInfo of a compiled crate description.

    Args:
      desc: the description (describe_crate) as compiled.
      output: what `--extern` names.
      metadata: the `.rmeta` beside it, or None.
      done: what rustc_action returned.
      wasm_macro: for a wasm proc macro of a native rustc, its module.

    Returns:
      CrateInfo.
    """
    if wasm_macro:
        wasm_macros = depset([wasm_macro])
    elif desc["type"] == "proc-macro":
        wasm_macros = depset()
    else:
        wasm_macros = depset(transitive = [e.crate.wasm_macros for e in desc["externs"]])
    return CrateInfo(
        name = desc["name"],
        type = desc["type"],
        edition = desc["edition"],
        root = desc["root"],
        srcs = depset(desc["srcs"]),
        compile_data = depset(desc["compile_data"]),
        version = desc["version"],
        metadata_hash = desc["metadata_hash"],
        env = done.env,
        package_dir = desc["manifest_dir"],
        target = desc["target"],
        build_script = desc["build_script"],
        output = output,
        metadata = metadata,
        transitive_outputs = _transitive_outputs(desc["type"], [f for f in [output, metadata] if f], desc["transitive"]),
        transitive_metadata = _transitive_metadata(desc["type"], output, metadata, desc["transitive_metadata"]),
        cfgs = ['feature="%s"' % f for f in desc["features"]] + desc["extra_cfgs"],
        deps = desc["externs"],
        audit = done.audit,
        expanded = depset(done.expanded),
        wasm_macro = wasm_macro,
        wasm_macros = wasm_macros,
    )

def crate_output_groups(info):
    """The output groups of a crate rule.

    Args:
      info: the crate's CrateInfo.

    Returns:
      OutputGroupInfo with `rustc_audit` (empty unless //settings:audit is on).
    """
    return OutputGroupInfo(
        rustc_audit = depset([info.audit] if info.audit else []),
        rust_expanded = info.expanded,
    )
