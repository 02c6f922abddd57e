package hostpath

import "testing"

func TestBelow(t *testing.T) {
	for _, c := range []struct {
		p, dir string
		want   bool
	}{
		{"/a/b", "/a/b", true},
		{"/a/b/c", "/a/b", true},
		{"/a/bc", "/a/b", false},
		{"/a", "/a/b", false},
		{"/a/b/", "/a/b", true},
		{"/a/b/c", "/a/b/", true},
		{"/a/b/../c", "/a/b", false},
		{"/a/c/../b/d", "/a/b", true},
		{"/x", "/", true},
		{"/", "/", true},
		{"/", "/a", false},
		{"/a/b", "a/b", false},
		{"a/b", "/a/b", false},
		{"a", ".", true},
		{"a/b/", "a", true},
		{".", ".", true},
		{"", ".", true},
		{".", "", true},
		{"a", "", true},
		{"./a/", ".", true},
		{"a/..", ".", true},
		{"a/../b", "b", true},
		{"..", ".", false},
		{"../a", ".", false},
		{"a/../..", ".", false},
		{"a/../../b", ".", false},
		{"..x", ".", true},
		{"../a", "..", true},
		{"../x", "..", true},
		{"../x/y", "..", true},
		{"..", "..", true},
		{"../..", "..", false},
		{"../../x", "..", false},
		{"../../a", "../..", true},
		{"../../../a", "../..", false},
		{"../../..", "../..", false},
		{"..", "../..", false},
		{"../a/b", "../a", true},
		{"../a/../../b", "../a", false},
		{"../ab", "../a", false},
		{".", "..", false},
		{"b", "a", false},
		{"ab", "a", false},
		{"a/b", "a", true},
	} {
		if got := Below(c.p, c.dir); got != c.want {
			t.Errorf("Below(%q, %q) = %v, want %v", c.p, c.dir, got, c.want)
		}
	}
}

func TestEscapes(t *testing.T) {
	for p, want := range map[string]bool{
		"": true, "/": true, "/abs": true, "..": true, "../x": true, "a/../..": true, "a/../../b": true,
		"a": false, "a/b": false, ".": false, "a/..": false, "./a/": false, "a/../b": false, "..x": false,
	} {
		if got := Escapes(p); got != want {
			t.Errorf("Escapes(%q) = %v", p, got)
		}
	}
}

func TestBelowAny(t *testing.T) {
	set := map[string]bool{"out/gen": true, "src/lib.rs": true, "/abs/dir": true}
	for p, want := range map[string]bool{
		"out/gen": true, "out/gen/x.rs": true, "out/generated": false, "out": false,
		"src/lib.rs": true, "src": false, ".": false,
		"/abs/dir/f": true, "/abs": false, "/": false,
	} {
		if got := BelowAny(set, p); got != want {
			t.Errorf("BelowAny(%q) = %v", p, got)
		}
	}
	if BelowAny(nil, ".") || !BelowAny(map[string]bool{".": true}, "a/b") {
		t.Error("an empty set holds nothing; \".\" holds every relative path")
	}
}
