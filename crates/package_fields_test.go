package main

import (
	"reflect"
	"testing"
)

func TestPackageFields(t *testing.T) {
	desc := "A parser\n  for Rust,\tover\r\nlines. "
	empty := ""
	license := "MIT"
	p := &cargoPackage{Authors: []string{"A <a@example.com>", "B"}, Description: &desc, Homepage: &empty, License: &license}
	want := map[string]string{"authors": "A <a@example.com>:B", "description": "A parser for Rust, over lines.", "license": "MIT"}
	if got := p.packageFields(); !reflect.DeepEqual(got, want) {
		t.Errorf("packageFields() = %q, want %q", got, want)
	}
	if got := (&cargoPackage{}).packageFields(); len(got) != 0 {
		t.Errorf("packageFields() of a bare package = %q, want none", got)
	}
}
