package macroview

import (
	"reflect"
	"strings"
	"testing"
)

func TestEncodeParse(t *testing.T) {
	v := View{Root: "/ob/execroot/ws", Inputs: []string{"pkg/lib.rs", "pkg/data"}, Env: map[string]string{"CARGO_MANIFEST_DIR": "/pkg"}}
	got, err := Parse(v.Encode())
	v.Format = Format
	if err != nil || !reflect.DeepEqual(got, v) {
		t.Errorf("Parse(Encode(%+v)) = %+v, %v", v, got, err)
	}
}

func TestParseRefuses(t *testing.T) {
	for value, want := range map[string]string{
		`not json`:                                        "is not a macro view",
		`{"format":2,"root":"/r"}`:                        "has format 2, this server reads 1",
		`{"format":1,"root":"r"}`:                         `root "r" is not an absolute path`,
		`{"format":1,"root":"/r","inputs":["../x"]}`:      `input "../x" is not below the root`,
		`{"format":1,"root":"/r","inputs":["/etc/x"]}`:    `input "/etc/x" is not below the root`,
		`{"format":1,"root":"/r","inputs":["a/../../x"]}`: `input "a/../../x" is not below the root`,
		`{"format":1,"root":"/r","env":{"A=B":"c"}}`:      "cannot be in an environment",
		`{"format":1,"root":"/r","env":{"A":"c\u0000"}}`:  "cannot be in an environment",
	} {
		if _, err := Parse(value); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s) = %v; want an error with %q", value, err, want)
		}
	}
}
