"""Providers of the rules_rustc_wasm rules."""

CrateInfo = provider(
    doc = """A compiled Rust crate, for dependents and for other rule sets.

A dependent passes `--extern <name>=<output>` and gives rustc both `output`
and `metadata` (for a proc macro: the pair lib<name>.wasm and lib<name>.rmeta,
written by one rustc run into one directory); `-Ldependency=` covers the
directories of `transitive_outputs`.
""",
    fields = {
        "name": "string: the crate name (`--crate-name`).",
        "type": "string: `rlib`, `proc-macro` or `bin`.",
        "edition": "string: the Rust edition.",
        "root": "File: the crate root.",
        "srcs": "depset of File: the crate's sources.",
        "output": "File: what `--extern` names: lib<name>.rlib, lib<name>.wasm or lib<name>.so; for a binary, <name>.wasm.",
        "metadata": "File or None: lib<name>.rmeta, beside `output`.",
        "transitive_outputs": "depset of File: the outputs and metadata of this crate and of every crate a dependent may need to load through it. A proc macro's own dependencies are not included: it is a leaf.",
    },
)
