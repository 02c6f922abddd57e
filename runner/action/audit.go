package action

// Audit files: what a guest opened, for checking that an action declares
// what it reads. "runner rustc --audit-file" and "runner run --audit-file"
// write them, in one format.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// AuditHeader is the first line of every audit file.
const AuditHeader = "# rules_rustc_wasm audit v1"

// Audit is the content of an audit file.
type Audit struct {
	// Outputs are the action's declared outputs, its primary output
	// first: one "# output PATH" line each, slash-separated.
	Outputs []string
	// View, when set, is what the guest saw of its working directory,
	// such as "declared-inputs" or "whole-directory": a "# view VIEW"
	// line.
	View string
	// Paths are the paths the guest opened, one a line: sorted and
	// unique, relative to the working directory when below it,
	// directories ending in "/" (see wasi.Audit.Paths).
	Paths []string
}

// WriteAudit writes a to file: AuditHeader, the Outputs and View lines,
// then the Paths. The file's directory is made if it is missing.
func WriteAudit(file string, a Audit) error {
	var b strings.Builder
	b.WriteString(AuditHeader + "\n")
	for _, o := range a.Outputs {
		fmt.Fprintf(&b, "# output %s\n", filepath.ToSlash(o))
	}
	if a.View != "" {
		fmt.Fprintf(&b, "# view %s\n", a.View)
	}
	for _, p := range a.Paths {
		b.WriteString(p + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, []byte(b.String()), 0o644)
}
