"""Where a rule's outputs go, named once: the directory of a target's own.

Every file a crate rule declares, except the executable a binary or test
target is named for, lies in `_rustc_wasm/<target>/` below its package's
output directory: the crate and its `.rmeta` (one stem, as one rustc run
writes them), a build script's outputs, a wasm proc macro's module and
shim, and the sources laid out for the wasm macro side.
"""

def crate_dir(label):
    """The directory of a target's outputs, relative to its package's output directory.

    Args:
      label: the target's Label.

    Returns:
      `_rustc_wasm/<name>/`, with its trailing slash.
    """
    return "_rustc_wasm/%s/" % label.name

def declare_crate_output(ctx, path, directory = False):
    """Declares a file (or directory) of the rule's in its crate_dir.

    Args:
      ctx: the rule context.
      path: the output's path below crate_dir.
      directory: declare a tree artifact.

    Returns:
      The declared File.
    """
    if directory:
        return ctx.actions.declare_directory(crate_dir(ctx.label) + path)
    return ctx.actions.declare_file(crate_dir(ctx.label) + path)
