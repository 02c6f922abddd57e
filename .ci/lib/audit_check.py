"""Checks that every rustc.wasm compile read only its declared inputs.

Usage: audit_check.py AQUERY_JSONPROTO   (run at the workspace root, after the build)

Every Rustc action of the aquery that declares an `.audit` output (with
--@rules_rustc_wasm//settings:audit, `runner rustc --audit-file`) must have
written it: its `# output PATH` lines name the action's outputs, and every
other line a path the guest opened. A path that is a file must be one of the
action's inputs (or outputs), a directory (ending in /) a prefix of one.
Prints one line an action and exits 1 on any violation.
"""

import json
import sys


def main():
    aq = json.load(open(sys.argv[1]))
    frags = {f["id"]: f for f in aq.get("pathFragments", [])}

    def path(frag_id):
        parts = []
        while frag_id:
            f = frags[frag_id]
            parts.append(f["label"])
            frag_id = f.get("parentId", 0)
        return "/".join(reversed(parts))

    artifacts = {a["id"]: path(a["pathFragmentId"]) for a in aq.get("artifacts", [])}
    depsets = {d["id"]: d for d in aq.get("depSetOfFiles", [])}

    def files(depset_ids, seen=None):
        seen = set() if seen is None else seen
        out = set()
        for i in depset_ids:
            if i in seen:
                continue
            seen.add(i)
            d = depsets[i]
            out.update(artifacts[a] for a in d.get("directArtifactIds", []))
            out.update(files(d.get("transitiveDepSetIds", []), seen))
        return out

    bad = 0
    checked = 0
    for act in aq.get("actions", []):
        if act.get("mnemonic") != "Rustc":
            continue
        action_outputs = [artifacts[o] for o in act.get("outputIds", [])]
        audit = next((o for o in action_outputs if o.endswith(".audit")), None)
        if audit is None:
            continue
        if "/bin/proc_macro_wasm/" in audit:
            # //proc_macro_wasm's crates are implicit dependencies that only a
            # native rustc's wasm proc macros build: not built here.
            continue
        try:
            text = open(audit).read()
        except OSError as e:
            print("%s: not written: %s" % (audit, e))
            bad += 1
            continue
        outputs, reads = [], []
        for line in text.splitlines():
            if line.startswith("# output "):
                outputs.append(line[len("# output "):])
            elif line and not line.startswith("#"):
                reads.append(line)
        if not outputs or outputs[0] not in action_outputs:
            print("%s: names outputs %s, not its action's %s" % (audit, outputs, action_outputs))
            bad += 1
            continue
        inputs = files(act.get("inputDepSetIds", []))
        undeclared = []
        for r in reads:
            if r.endswith("/"):
                if r != "./" and not any(i.startswith(r) for i in inputs):
                    undeclared.append(r)
            elif r not in inputs and r not in outputs:
                undeclared.append(r)
        checked += 1
        print("%s: %d paths read, %d undeclared" % (outputs[0], len(reads), len(undeclared)))
        for u in undeclared:
            print("    undeclared: " + u)
        bad += 1 if undeclared else 0
    print("%d compiles audited, %d with undeclared reads" % (checked, bad))
    sys.exit(1 if bad or checked == 0 else 0)


if __name__ == "__main__":
    main()
