package macroexpand

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

const faultsKey = "faults-0123456789abcdef"

func openMemo(t *testing.T) *Memo {
	t.Helper()
	m, err := OpenMemo(filepath.Join(t.TempDir(), "memo"), 8)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMemoReplaysWithoutRunning: an expansion the memo keeps is replayed
// by another expander whose engine cannot run anything at all, the same
// to the byte, stderr included.
func TestMemoReplaysWithoutRunning(t *testing.T) {
	memo := openMemo(t)
	var stderr bytes.Buffer
	x, dir := expanderIn(t, World{Stderr: &stderr}, Limits{})
	x.UseMemo(memo)
	first := x.Expand(context.Background(), faultsKey, bangRequest("prints", "a"))
	if first.Status != StatusOK {
		t.Fatalf("status %d: %s", first.Status, first.Message)
	}
	if hits, misses, _ := x.MemoStats(); hits != 0 || misses != 1 {
		t.Fatalf("first expansion: %d hits, %d misses", hits, misses)
	}
	printed := stderr.String()

	// The same module and world, and an engine that is closed.
	m, err := ReadModule(faultsModule(t))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(context.Background(), engine.Config{}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	eng.Close(context.Background())
	stderr.Reset()
	world, err := NewWorld(x.world.Env, dir, x.world.inputs, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	replay, err := NewExpander(eng, world, []*Module{m})
	if err != nil {
		t.Fatal(err)
	}
	replay.UseMemo(memo)
	if r := replay.Expand(context.Background(), faultsKey, bangRequest("echo", "b")); r.Status != StatusFailed {
		t.Fatalf("the closed engine ran a macro: status %d", r.Status)
	}
	again := replay.Expand(context.Background(), faultsKey, bangRequest("prints", "a"))
	if !reflect.DeepEqual(again, first) {
		t.Errorf("replayed %+v\nran      %+v", again, first)
	}
	if stderr.String() != printed || !strings.Contains(printed, "to stderr") {
		t.Errorf("stderr replayed %q, printed %q", stderr.String(), printed)
	}
	if hits, _, _ := replay.MemoStats(); hits != 1 {
		t.Errorf("%d hits", hits)
	}
}

// TestMemoKeyCoversWhatTheMacroSees: what a run read of a declared file
// (checked against the entry), the environment, the input and the limits
// each keep an expansion from being replayed.
func TestMemoKeyCoversWhatTheMacroSees(t *testing.T) {
	memo := openMemo(t)
	expand := func(env []string, limits Limits, edit func(dir string), req []byte) (Response, int64) {
		x, dir := expanderIn(t, World{Env: env}, limits)
		if edit != nil {
			edit(dir)
		}
		x.UseMemo(memo)
		r := x.Expand(context.Background(), faultsKey, req)
		hits, _, _ := x.MemoStats()
		return r, hits
	}
	env := []string{"CARGO_MANIFEST_DIR=/pkg", "CARGO_PKG_VERSION=1.2.3"}
	reads := bangRequest("reads_input")
	if r, hits := expand(env, Limits{}, nil, reads); hits != 0 || r.Message != "read: declared" {
		t.Fatalf("first: %d hits, %q", hits, r.Message)
	}
	if r, hits := expand(env, Limits{}, nil, reads); hits != 1 || r.Message != "read: declared" {
		t.Fatalf("the same world: %d hits, %q", hits, r.Message)
	}
	changed := func(dir string) { os.WriteFile(filepath.Join(dir, "pkg", "input.txt"), []byte("changed\n"), 0o644) }
	if r, hits := expand(env, Limits{}, changed, reads); hits != 0 || r.Message != "read: changed" {
		t.Errorf("another declared file: %d hits, %q", hits, r.Message)
	}
	if _, hits := expand([]string{"CARGO_MANIFEST_DIR=/pkg", "CARGO_PKG_VERSION=1.2.4"}, Limits{}, nil, reads); hits != 0 {
		t.Errorf("another environment: %d hits", hits)
	}
	if _, hits := expand(env, Limits{MaxMemoryMiB: 512}, nil, reads); hits != 0 {
		t.Errorf("another memory cap: %d hits", hits)
	}
	if _, hits := expand(env, Limits{}, nil, bangRequest("reads_input", "x")); hits != 0 {
		t.Errorf("another input: %d hits", hits)
	}
}

// TestMemoKeysOnlyTheFilesARunNamed: an edit to a declared file that an
// expansion did not name (as an edit to a function body is, to a derive)
// leaves it a hit; the same edit misses an expansion that read the file.
func TestMemoKeysOnlyTheFilesARunNamed(t *testing.T) {
	memo := openMemo(t)
	x, dir := expanderIn(t, World{}, Limits{})
	x.UseMemo(memo)
	for _, name := range []string{"echo", "reads_input"} {
		if r := x.Expand(context.Background(), faultsKey, bangRequest(name)); r.Status == StatusFailed {
			t.Fatalf("%s: %s", name, r.Message)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "pkg", "input.txt"), []byte("edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := x.Expand(context.Background(), faultsKey, bangRequest("echo")); r.Status != StatusOK {
		t.Fatalf("echo: %s", r.Message)
	}
	if hits, _, _ := x.MemoStats(); hits != 1 {
		t.Errorf("echo, which reads no file, after an edit: %d hits, want 1", hits)
	}
	if r := x.Expand(context.Background(), faultsKey, bangRequest("reads_input")); r.Message != "read: edited" {
		t.Errorf("reads_input after an edit: %q", r.Message)
	}
	if hits, _, _ := x.MemoStats(); hits != 1 {
		t.Errorf("reads_input after an edit of what it read was replayed")
	}
	// Another set of declared files is another key, read or not.
	world, err := NewWorld(x.world.Env, dir, []string{"pkg/input.txt", "pkg/secret.txt"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	y := newExpander(t, Limits{}, world, x.modules[faultsKey])
	y.UseMemo(memo)
	y.Expand(context.Background(), faultsKey, bangRequest("echo"))
	if hits, _, _ := y.MemoStats(); hits != 0 {
		t.Errorf("echo in a world of other files: %d hits", hits)
	}
}

// TestMemoKeepsNoFailures: what hit a limit runs again.
func TestMemoKeepsNoFailures(t *testing.T) {
	memo := openMemo(t)
	for i := 0; i < 2; i++ {
		x := expander(t, World{}, Limits{MaxMemoryMiB: 64})
		x.UseMemo(memo)
		if r := x.Expand(context.Background(), faultsKey, bangRequest("grows")); r.Status != StatusFailed {
			t.Fatalf("status %d", r.Status)
		}
		if hits, misses, _ := x.MemoStats(); hits != 0 || misses != 1 {
			t.Errorf("run %d: %d hits, %d misses", i, hits, misses)
		}
	}
}

// TestMemoIgnoresDamagedEntries: an entry cut short or altered is a miss,
// and the expansion runs.
func TestMemoIgnoresDamagedEntries(t *testing.T) {
	e := memoized{resp: Response{Status: StatusOK, Stdout: []byte("out"), Payload: []byte{0, 1, 2}}, stderr: []byte("err"),
		files: []fileSeen{{path: "pkg/input.txt", digest: [32]byte{1, 2, 3}}, {path: "pkg", digest: [32]byte{4}}}}
	key := [32]byte{9, 9}
	b := encodeMemoized(key, e)
	if got, ok := decodeMemoized(key, b); !ok || !reflect.DeepEqual(got, e) {
		t.Fatalf("round trip: %+v, %v", got, ok)
	}
	if _, ok := decodeMemoized([32]byte{9, 8}, b); ok {
		t.Error("an entry decoded under another key")
	}
	for i := range b {
		if _, ok := decodeMemoized(key, b[:i]); ok {
			t.Fatalf("an entry cut to %d bytes decoded", i)
		}
		altered := append([]byte(nil), b...)
		altered[i] ^= 1
		if _, ok := decodeMemoized(key, altered); ok {
			t.Fatalf("an entry altered at byte %d decoded", i)
		}
	}
	if _, ok := decodeMemoized(key, encodeMemoized(key, memoized{resp: Response{Status: StatusFailed}})); ok {
		t.Error("a failure decoded")
	}
	for _, p := range []string{"/etc/passwd", "../x", "a/../../x", "a//b", ""} {
		bad := memoized{resp: Response{Status: StatusOK}, files: []fileSeen{{path: p}}}
		if _, ok := decodeMemoized(key, encodeMemoized(key, bad)); ok {
			t.Errorf("an entry naming %q decoded", p)
		}
	}
}

// TestMemoTrimKeepsTheNewest: over its size, the memo drops the least
// recently used entries first.
func TestMemoTrimKeepsTheNewest(t *testing.T) {
	memo, err := OpenMemo(filepath.Join(t.TempDir(), "memo"), 1)
	if err != nil {
		t.Fatal(err)
	}
	payload := bytes.Repeat([]byte{7}, 100<<10)
	var keys [][32]byte
	for i := 0; i < 20; i++ {
		var key [32]byte
		key[0], key[1] = byte(i), 0xee
		memo.put(key, memoized{resp: Response{Status: StatusOK, Payload: payload}})
		old := time.Now().Add(time.Duration(i-100) * time.Minute)
		os.Chtimes(memo.path(key), old, old)
		keys = append(keys, key)
	}
	if _, hit := memo.get(keys[0], t.TempDir()); !hit { // the oldest, used now
		t.Fatal("entry 0 is missing")
	}
	if err := memo.Trim(); err != nil {
		t.Fatal(err)
	}
	var kept []int
	for i, key := range keys {
		if _, err := os.Stat(memo.path(key)); err == nil {
			kept = append(kept, i)
		}
	}
	// 20 entries of 100 KiB in a 1 MiB memo: trimmed to 768 KiB, the 7
	// most recently used.
	if want := []int{0, 14, 15, 16, 17, 18, 19}; !reflect.DeepEqual(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
}

// TestOpenMemoRefusesSharedDirs: a directory others may write could hold
// anyone's expansions.
func TestOpenMemoRefusesSharedDirs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777)
	if _, err := OpenMemo(dir, 8); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("err %v", err)
	}
}
