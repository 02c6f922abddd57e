package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// auditHeader is the first line of every audit file.
const auditHeader = rustc.AuditHeader

// writeRunAudit writes "runner run --audit-file": the header, then what the
// guest opened, relative to the current directory when below it.
func writeRunAudit(file string, a *wasi.Audit) error {
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("--audit-file %s: %w", file, err)
	}
	var b strings.Builder
	b.WriteString(auditHeader + "\n")
	for _, p := range a.Paths(wd) {
		b.WriteString(p + "\n")
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("--audit-file %s: %w", file, err)
	}
	return nil
}
