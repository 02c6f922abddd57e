"""Prints a constant of a .bzl file, read as the Starlark literal it is.

    python3 offline_bootstrap/bzl_value.py FILE NAME [KEY]

A dict's KEY, or the whole value; a list prints one item a line. For
shell scripts that need a fact written once in a .bzl file (rules/private/
versions.bzl's RUST_1_96, rules/private/toolchain.bzl's UNWINDING_RUSTC_FLAGS).
Fails, naming the file and the name, when there is no such constant.
"""

import ast
import sys


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit("usage: bzl_value.py FILE NAME [KEY]")
    path, name = argv[1], argv[2]
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name:
            value = ast.literal_eval(node.value)
            if len(argv) == 4:
                if argv[3] not in value:
                    sys.exit("%s: %s has no key %r" % (path, name, argv[3]))
                value = value[argv[3]]
            print("\n".join(value) if isinstance(value, list) else value)
            return
    sys.exit("%s: no constant %s" % (path, name))


if __name__ == "__main__":
    main(sys.argv)
