"""rust_project_aspect: one JSON description per crate, for rust-analyzer's rust-project.json.

`bazel run @rules_rustc_wasm//tools:rust_project` builds the requested targets
with this aspect and its `rust_project` output group, then merges the
descriptions into `rust-project.json`.
"""

load(":attrs.bzl", "TOOLCHAIN_TYPE")
load(":providers.bzl", "CrateInfo")

RustProjectInfo = provider(
    doc = "What the aspect knows of a crate: its id, and the files the rust_project output group carries.",
    fields = {
        "id": "string: the crate's id in the descriptions: its label and configuration.",
        "files": "depset of File: the descriptions of this crate and of every crate it depends on, with the proc-macro dylibs and build-script outputs they name.",
    },
)

# Bumped when the description's fields change; the tool checks it.
_FORMAT = 1

def _file(f):
    """A file as the tool resolves it.

    Source files of the main repository lie under the workspace, other
    source files under the output base's external/, generated files under
    the execution root.
    """
    return {"path": f.path, "source": f.is_source, "main_repo": f.owner.workspace_name == "" if f.owner else True}

def _rust_project_aspect_impl(target, ctx):
    if CrateInfo not in target:
        return [RustProjectInfo(id = "", files = depset())]
    info = target[CrateInfo]
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    rule_attr = ctx.rule.attr
    crate_id = "%s %s" % (target.label, ctx.bin_dir.path)

    # Each direct dependency under the name the crate uses for it: CrateInfo.deps
    # has the names (aliases applied), the dependency's aspect result its id.
    direct = getattr(rule_attr, "deps", []) + getattr(rule_attr, "proc_macro_deps", [])
    deps = []
    transitive = []
    for dep in direct:
        if RustProjectInfo not in dep or not dep[RustProjectInfo].id:
            continue
        transitive.append(dep[RustProjectInfo].files)
        names = [e.name for e in info.deps if e.crate.output == dep[CrateInfo].output]
        deps.append({"id": dep[RustProjectInfo].id, "name": names[0] if names else dep[CrateInfo].name})

    is_test = ctx.rule.kind == "wasm_rust_test"

    extra_files = []
    build_script = None
    bs = info.build_script
    if bs:
        build_script = {"out_dir": bs.out_dir.path, "flags": bs.flags.path, "env": bs.env.path}
        extra_files.extend([bs.out_dir, bs.flags, bs.env])

    dylib = None
    if info.wasm_macro:
        # A native rustc's wasm macro: the module, which the runner's
        # proc-macro server expands for rust-analyzer.
        dylib = info.wasm_macro.path
        extra_files.append(info.wasm_macro)
    elif info.type == "proc-macro" and tc.proc_macro_kind == "dylib":
        dylib = info.output.path
        extra_files.append(info.output)

    spec = {
        "format": _FORMAT,
        "id": crate_id,
        "label": str(target.label),
        "configuration": ctx.bin_dir.path,
        "kind": ctx.rule.kind,
        "crate_name": info.name,
        "crate_type": info.type,
        "edition": info.edition,
        "version": info.version,
        "root": _file(info.root),
        "srcs": [_file(f) for f in info.srcs.to_list()],
        "compile_data": [_file(f) for f in info.compile_data.to_list()],
        "package_dir": info.package_dir,
        "is_workspace_member": target.label.workspace_name == "",
        "deps": deps,
        "cfg": list(info.cfgs) + (["test"] if is_test else []),
        "env": info.env,
        "build_script": build_script,
        "proc_macro_dylib": dylib,
        "target": info.target,
        "toolchain": {
            "rustc": tc.rustc.path,
            "rustc_is_wasm": tc.rustc_is_wasm,
            "sysroot": tc.sysroot,
            "proc_macro_kind": tc.proc_macro_kind,
        },
    }
    out = ctx.actions.declare_file("%s.rust_project.json" % target.label.name)
    ctx.actions.write(out, json.encode(spec) + "\n")
    files = depset([out] + extra_files, transitive = transitive)
    return [
        RustProjectInfo(id = crate_id, files = files),
        OutputGroupInfo(rust_project = files),
    ]

rust_project_aspect = aspect(
    implementation = _rust_project_aspect_impl,
    doc = """Describes each crate for rust-analyzer, in the `rust_project` output group.

Applied to crate rules (and, through `deps` and `proc_macro_deps`, to every
crate they use), it writes `<name>.rust_project.json` beside the target's
outputs: the crate's label and configuration, name, type, edition, root and
sources, its dependencies under the names it uses for them (aliases
applied), its features and `test` cfg, its Cargo environment, its build
script's outputs (whose cfgs and env the tool reads), the proc-macro dylib
(native flavour) and the toolchain's rustc and sysroot. The output group
also builds the proc-macro dylibs and build-script outputs named there.
`@rules_rustc_wasm//tools:rust_project` merges the files into
`rust-project.json`.
""",
    attr_aspects = ["deps", "proc_macro_deps"],
    toolchains = [TOOLCHAIN_TYPE],
)
