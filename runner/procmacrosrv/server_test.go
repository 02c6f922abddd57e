package procmacrosrv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// editorModule builds testdata/editor.rs as the rules build a wasm macro.
func editorModule(t *testing.T) string {
	t.Helper()
	return wasmtest.MacroModule(t, "testdata/editor.rs", func(path string, src []byte) ([]byte, error) {
		return macrobuild.RenameAttributes(path, src, "editor-0123456789abcdef", "2021")
	})
}

func newServer(t *testing.T, timeout time.Duration, log *bytes.Buffer) *Server {
	t.Helper()
	return newServerMiB(t, timeout, log, 1024)
}

// newServerMiB is newServer with macros' memory capped at mib MiB.
func newServerMiB(t *testing.T, timeout time.Duration, log *bytes.Buffer, mib uint32) *Server {
	t.Helper()
	eng, err := macroexpand.NewEngine(context.Background(), engine.Config{}, macroexpand.Limits{Timeout: timeout, MaxMemoryMiB: mib})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(context.Background()) })
	cfg := Config{}
	if log != nil { // a nil *bytes.Buffer would be a Writer that panics
		cfg.Log = log
	}
	return New(eng, cfg)
}

// serve runs the server over the request lines and returns its response
// lines.
func serve(t *testing.T, s *Server, requests ...string) []string {
	t.Helper()
	lines, err := serveErr(s, requests...)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// serveErr is serve, with Serve's error.
func serveErr(s *Server, requests ...string) ([]string, error) {
	var out bytes.Buffer
	err := s.Serve(context.Background(), strings.NewReader(strings.Join(requests, "\n")+"\n"), &out)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if out.Len() == 0 {
		lines = nil
	}
	return lines, err
}

// The client's span table in these requests: 0 def_site, 1 call_site,
// 2 mixed_site, then the input's tokens.
const (
	clientCallSite  = 1
	clientMixedSite = 2
)

// structFoo is `struct Foo;` as rust-analyzer 1.96 writes it for protocol
// version 6: an invisible top subtree (span 3), the tokens at spans 4, 5, 6.
const structFoo = `{"subtree":[3,3,0,0,3],"literal":[],"punct":[6,59,0],"ident":[4,0,0,5,1,0],"token_tree":[3,7,2],"text":["struct","Foo"]}`

func expandLine(lib, name, body, attrs string) string {
	if attrs == "" {
		attrs = "null"
	}
	return fmt.Sprintf(`{"ExpandMacro":{"lib":%q,"env":[["CARGO_PKG_NAME","demo"],["HOME","/root"]],"current_dir":"/","macro_body":%s,"macro_name":%q,"attributes":%s,"has_global_spans":{"def_site":0,"call_site":%d,"mixed_site":%d}}}`,
		lib, body, name, attrs, clientCallSite, clientMixedSite)
}

// expanded decodes an ExpandMacro response into its text, each token
// followed by @span.
func expanded(t *testing.T, line string) (text string, errText string) {
	t.Helper()
	var resp struct {
		ExpandMacro struct {
			Ok  *flatTree
			Err *string
		}
	}
	if err := json.Unmarshal([]byte(line), &resp); err != nil {
		t.Fatalf("response %s: %v", line, err)
	}
	if resp.ExpandMacro.Err != nil {
		return "", *resp.ExpandMacro.Err
	}
	if resp.ExpandMacro.Ok == nil {
		t.Fatalf("response %s is neither Ok nor Err", line)
	}
	top, err := decodeFlat(resp.ExpandMacro.Ok, APIVersion, nil)
	if err != nil {
		t.Fatalf("response %s: %v", line, err)
	}
	return spelled(top), ""
}

func spelled(g tree) string {
	var b strings.Builder
	open, close := map[uint32]string{delimParen: "(", delimBrace: "{", delimBracket: "[", delimInvisible: "<"}[g.delim], map[uint32]string{delimParen: ")", delimBrace: "}", delimBracket: "]", delimInvisible: ">"}[g.delim]
	fmt.Fprintf(&b, "%s@%d", open, g.span)
	for _, c := range g.children {
		b.WriteString(" ")
		switch c.kind {
		case treeGroup:
			b.WriteString(spelled(c))
			continue
		case treeIdent:
			if c.raw {
				b.WriteString("r#")
			}
			b.WriteString(c.text)
		case treePunct:
			b.WriteRune(c.ch)
			if c.joint {
				b.WriteString("~")
			}
		case treeLiteral:
			b.WriteString(c.text)
		}
		fmt.Fprintf(&b, "@%d", c.span)
	}
	fmt.Fprintf(&b, " %s@%d", close, g.close)
	return b.String()
}

func TestVersionHandshake(t *testing.T) {
	s := newServer(t, 0, nil)
	got := serve(t, s, `{"ApiVersionCheck":{}}`, `{"SetConfig":{"span_mode":"RustAnalyzer"}}`, `{"SetConfig":{"span_mode":"Id"}}`)
	want := []string{`{"ApiVersionCheck":6}`, `{"SetConfig":{"span_mode":"Id"}}`, `{"SetConfig":{"span_mode":"Id"}}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestListMacros(t *testing.T) {
	lib := editorModule(t)
	s := newServer(t, 0, nil)
	dir := t.TempDir()
	so := filepath.Join(dir, "libserde_derive-1a2b.so")
	notOurs := filepath.Join(dir, "libplain.wasm")
	os.WriteFile(so, []byte("\x7fELF"), 0o644)
	os.WriteFile(notOurs, []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	got := serve(t, s,
		fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, lib),
		fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, so),
		fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, notOurs),
		fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, filepath.Join(dir, "libmissing.wasm")),
		`{"ListMacros":{"dylib_path":"relative/lib.wasm"}}`,
		`{"ListMacros":{}}`)
	if len(got) != 6 {
		t.Fatalf("%d responses for 6 requests: %q", len(got), got)
	}
	want := `{"ListMacros":{"Ok":[["Describe","CustomDerive"],["echo","FuncLike"],["grows","FuncLike"],["literals","FuncLike"],["panics","FuncLike"],["reads","FuncLike"],["spans","FuncLike"],["spins","FuncLike"],["wrap","Attr"]]}}`
	if got[0] != want {
		t.Errorf("ListMacros of the module:\ngot  %s\nwant %s", got[0], want)
	}
	for i, w := range []string{
		`proc macro crate serde_derive-1a2b (` + so + `) is a native library: rules_rustc_wasm's proc-macro server expands only wasm proc macros`,
		notOurs + ` is not a wasm proc-macro module built by rules_rustc_wasm`,
		`libmissing.wasm: no such file`,
		`relative/lib.wasm: the path of a proc macro must be absolute`,
		`malformed ListMacros request`,
	} {
		if !strings.Contains(got[i+1], `{"ListMacros":{"Err":"`) || !strings.Contains(got[i+1], jsonText(w)) {
			t.Errorf("response %d: %s\nwant an Err with %q", i+1, got[i+1], w)
		}
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// The reply to echo is exactly the input's tokens, with their spans, in a
// top subtree at the call site.
func TestExpandEchoIsTheInput(t *testing.T) {
	lib := editorModule(t)
	got := serve(t, newServer(t, 0, nil), expandLine(lib, "echo", structFoo, ""))
	want := `{"ExpandMacro":{"Ok":{"subtree":[1,1,0,0,3],"literal":[],"punct":[6,59,0],"ident":[4,0,0,5,1,0],"token_tree":[3,7,2],"text":["struct","Foo"]}}}`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got  %q\nwant %s", got, want)
	}
}

func TestExpandDeriveKeepsTheInputsSpans(t *testing.T) {
	lib := editorModule(t)
	got := serve(t, newServer(t, 0, nil), expandLine(lib, "Describe", structFoo, ""))
	text, errText := expanded(t, got[0])
	want := `<@1 impl@1 Foo@5 {@1 pub@1 fn@1 describe@1 (@1 )@1 -~@1 >@1 &@1 '~@1 static@1 str@1 {@1 "Foo"@1 }@1 }@1 >@1`
	if errText != "" || text != want {
		t.Errorf("got  %s %s\nwant %s", text, errText, want)
	}
}

func TestExpandAttributeGetsItsArguments(t *testing.T) {
	lib := editorModule(t)
	args := `{"subtree":[7,7,0,0,1],"literal":[],"punct":[],"ident":[8,0,0],"token_tree":[3],"text":["verbose"]}`
	// fn f() {}: the group is given back unchanged, with its own spans.
	item := `{"subtree":[3,3,0,0,4,10,11,1,4,4,12,13,2,4,4],"literal":[],"punct":[],"ident":[4,0,0,5,1,0],"token_tree":[3,7,4,8],"text":["fn","f"]}`
	text, errText := expanded(t, serve(t, newServer(t, 0, nil), expandLine(lib, "wrap", item, args))[0])
	want := `<@1 fn@4 f@5 (@10 )@11 {@12 }@13 const@1 WRAPPED@1 :@1 &@1 str@1 =@1 "verbose"@1 ;@1 >@1`
	if errText != "" || text != want {
		t.Errorf("got  %s %s\nwant %s", text, errText, want)
	}
	// #[wrap] without arguments: rust-analyzer sends no attributes.
	text, errText = expanded(t, serve(t, newServer(t, 0, nil), expandLine(lib, "wrap", item, ""))[0])
	want = `<@1 fn@4 f@5 (@10 )@11 {@12 }@13 const@1 WRAPPED@1 :@1 &@1 str@1 =@1 ""@1 ;@1 >@1`
	if errText != "" || text != want {
		t.Errorf("without arguments: got  %s %s\nwant %s", text, errText, want)
	}
}

// The client's span ids are opaque: a derived span is one of them, the
// one whose hygiene it has.
func TestExpandDerivedSpans(t *testing.T) {
	lib := editorModule(t)
	text, errText := expanded(t, serve(t, newServer(t, 0, nil), expandLine(lib, "spans", structFoo, ""))[0])
	want := fmt.Sprintf("<@1 x@%d y@%d z@%d >@1", clientMixedSite, clientCallSite, clientMixedSite)
	if errText != "" || text != want {
		t.Errorf("got  %s %s\nwant %s", text, errText, want)
	}
}

func TestExpandLiteralKinds(t *testing.T) {
	lib := editorModule(t)
	got := serve(t, newServer(t, 0, nil), expandLine(lib, "literals", structFoo, ""))
	var resp struct{ ExpandMacro struct{ Ok flatTree } }
	if err := json.Unmarshal([]byte(got[0]), &resp); err != nil {
		t.Fatal(err)
	}
	f := resp.ExpandMacro.Ok
	var lits []string
	for i := 0; i+4 <= len(f.Literal); i += 4 {
		suffix := "-"
		if f.Literal[i+3] != ^uint32(0) {
			suffix = f.Text[f.Literal[i+3]]
		}
		lits = append(lits, fmt.Sprintf("%s|%#x|%s", f.Text[f.Literal[i+1]], f.Literal[i+2], suffix))
	}
	want := []string{"raw|0x206|-", "a|0x1|-", "bytes|0x8|-", "0x1F|0x3|u16", "1e3|0x4|-", "7|0x3|u8", "1.5|0x4|f64", `a\n\"b\"|0x5|-`, `\'|0x2|-`, "-3|0x3|-"}
	if strings.Join(lits, " ") != strings.Join(want, " ") {
		t.Errorf("literals (symbol|kind|suffix):\ngot  %s\nwant %s", strings.Join(lits, " "), strings.Join(want, " "))
	}
	text, _ := expanded(t, got[0])
	if !strings.Contains(text, "r#match@1 ") || !strings.Contains(text, "=~@1 >@1") {
		t.Errorf("raw identifier or joint punctuation lost: %s", text)
	}
}

// A panic and a loop are errors for the editor; the server goes on.
func TestExpandFaultsAreErrorsAndTheServerGoesOn(t *testing.T) {
	lib := editorModule(t)
	var log bytes.Buffer
	// The timeout bounds compiling the module too: long enough for that.
	got := serve(t, newServer(t, 3*time.Second, &log),
		expandLine(lib, "panics", structFoo, ""),
		expandLine(lib, "spins", structFoo, ""),
		expandLine(lib, "nonesuch", structFoo, ""),
		expandLine(lib, "echo", structFoo, ""))
	if len(got) != 4 {
		t.Fatalf("%d responses for 4 requests: %q", len(got), got)
	}
	for i, w := range []string{
		"proc macro panics panicked: panicked on purpose",
		lib + ": bang macro spins did not finish within 3s, the macro timeout (stopped)",
		lib + " declares no proc macro nonesuch",
	} {
		if _, e := expanded(t, got[i]); !strings.Contains(e, w) {
			t.Errorf("response %d: %s\nwant an Err with %q", i, got[i], w)
		}
	}
	if text, e := expanded(t, got[3]); e != "" || !strings.Contains(text, "Foo@5") {
		t.Errorf("the expansion after the faults: %s %s", text, e)
	}
}

func TestMalformedRequests(t *testing.T) {
	lib := editorModule(t)
	var log bytes.Buffer
	s := newServer(t, 0, &log)
	got := serve(t, s,
		`{"ExpandMacro":{"lib":3}}`,
		expandLine(lib, "echo", `{"subtree":[3,3,0,0,9],"literal":[],"punct":[],"ident":[],"token_tree":[],"text":[]}`, ""),
		expandLine(lib, "echo", `{"subtree":[3,3,0,0,1,3,3,1,0,1],"literal":[],"punct":[],"ident":[],"token_tree":[4],"text":[]}`, ""),
		expandLine(lib, "echo", `{"subtree":[3,3,0,0,1],"literal":[],"punct":[],"ident":[4,7,0],"token_tree":[3],"text":[]}`, ""),
		strings.Replace(expandLine(lib, "echo", structFoo, ""), `,"has_global_spans":{"def_site":0,"call_site":1,"mixed_site":2}`, "", 1),
		`{"ApiVersionCheck":{}}`)
	if len(got) != 6 {
		t.Fatalf("%d responses, want 6: %q", len(got), got)
	}
	for i, w := range []string{
		"malformed ExpandMacro request",
		"malformed macro_body: subtree 0: children 0..9 out of range (0 entries)",
		"malformed macro_body: subtree 1: children 0..1 overlap another subtree's",
		"malformed macro_body: ident: text index 7 out of range (0 strings)",
		"no has_global_spans",
	} {
		if _, e := expanded(t, got[i]); !strings.Contains(e, w) {
			t.Errorf("response %d: %s\nwant an Err with %q", i, got[i], w)
		}
	}
	if got[5] != `{"ApiVersionCheck":6}` {
		t.Errorf("last response %s", got[5])
	}
}

// A line that is no request has no response to give: the server stops
// with an error rather than leave the client waiting, as rust-analyzer's
// own server does.
func TestNotARequestStopsTheServer(t *testing.T) {
	for _, c := range []struct{ line, err, log string }{
		{`not json`, "not a request of the protocol: not json", "a line that is not a request: not json"},
		{`{"Frobnicate":{}}`, `not a request of the protocol: {"Frobnicate":{}}`, `a request of unknown kind "Frobnicate"`},
		{`{}`, "not a request of the protocol: {}", "a line that is not a request: {}"},
	} {
		var log bytes.Buffer
		got, err := serveErr(newServer(t, 0, &log), `{"ApiVersionCheck":{}}`, c.line, `{"ApiVersionCheck":{}}`)
		if err == nil || !strings.Contains(err.Error(), c.err) || len(got) != 1 || !strings.Contains(log.String(), c.log) {
			t.Errorf("%s: responses %q, error %v, log %q; want one response, an error with %q, a log with %q", c.line, got, err, log.String(), c.err, c.log)
		}
	}
}

// Serve ends when its context does, even while it waits for a request.
func TestServeStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	in, w := io.Pipe()
	defer w.Close()
	done := make(chan error)
	go func() { done <- newServer(t, 0, nil).Serve(ctx, in, io.Discard) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Serve = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve still waits for input after its context was cancelled")
	}
}

// A module that declares no macro lists none: an empty list, which the
// client reads, never null.
func TestListMacrosOfAModuleWithoutMacros(t *testing.T) {
	path := filepath.Join(t.TempDir(), "libempty.wasm")
	if err := os.WriteFile(path, emptyModule(), 0o644); err != nil {
		t.Fatal(err)
	}
	got := serve(t, newServer(t, 0, nil), fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, path))
	if len(got) != 1 || got[0] != `{"ListMacros":{"Ok":[]}}` {
		t.Errorf("got %q, want an empty list", got)
	}
}

// A request too long to read is answered, as its kind's error when the
// line shows it, and the server goes on.
func TestRequestTooLong(t *testing.T) {
	defer func(n int) { maxRequest = n }(maxRequest)
	maxRequest = 1 << 10
	var log bytes.Buffer
	long := func(variant string) string { return `{"` + variant + `":{"lib":"` + strings.Repeat("x", 1<<17) + `"}}` }
	s := newServer(t, 0, &log)
	got := serve(t, s, long("ExpandMacro"), long("ListMacros"), `{"ApiVersionCheck":{}}`)
	want := []string{`{"ExpandMacro":{"Err":"a request longer than 1024 bytes"}}`, `{"ListMacros":{"Err":"a request longer than 1024 bytes"}}`, `{"ApiVersionCheck":6}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !strings.Contains(log.String(), `a request longer than 1024 bytes: {"ExpandMacro":{"lib":"xxx`) {
		t.Errorf("log %q", log.String())
	}
	// Of no kind it can answer: the server stops.
	got, err := serveErr(s, long("Frobnicate"), `{"ApiVersionCheck":{}}`)
	if len(got) != 0 || err == nil || !strings.Contains(err.Error(), "of no kind it can answer") {
		t.Errorf("a long line of no kind: responses %q, error %v", got, err)
	}
}

// An output is bounded in trees, an input group it gives back counted by
// its size.
func TestExpandOutputBound(t *testing.T) {
	lib := editorModule(t)
	defer func(n int) { maxOutputTrees = n }(maxOutputTrees)
	maxOutputTrees = 2
	_, errText := expanded(t, serve(t, newServer(t, 0, nil), expandLine(lib, "echo", structFoo, ""))[0])
	if !strings.Contains(errText, "the output has more than 2 trees") {
		t.Errorf("echo of 3 trees with a bound of 2: %q", errText)
	}
	maxOutputTrees = 3
	if text, errText := expanded(t, serve(t, newServer(t, 0, nil), expandLine(lib, "echo", structFoo, ""))[0]); errText != "" {
		t.Errorf("echo of 3 trees with a bound of 3: %s %q", text, errText)
	}
}

// A macro that grows past the memory cap is an error for the editor, and
// the server goes on.
func TestExpandMemoryIsCapped(t *testing.T) {
	lib := editorModule(t)
	got := serve(t, newServerMiB(t, 0, nil, 64),
		expandLine(lib, "grows", structFoo, ""),
		expandLine(lib, "echo", structFoo, ""))
	if _, e := expanded(t, got[0]); !strings.Contains(e, "bang macro grows") {
		t.Errorf("grows past the cap: %s\nwant an Err naming the macro", got[0])
	}
	if text, e := expanded(t, got[1]); e != "" || !strings.Contains(text, "Foo@5") {
		t.Errorf("the expansion after it: %s %s", text, e)
	}
}

// A module whose file changes is read again: the editor sees a rebuilt
// macro crate's macros.
func TestModuleIsReadAgainWhenItsFileChanges(t *testing.T) {
	editor, err := os.ReadFile(editorModule(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "libm.wasm")
	list := fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, path)
	s := newServer(t, 0, nil)
	os.WriteFile(path, editor, 0o644)
	before := serve(t, s, list)
	os.WriteFile(path, emptyModule(), 0o644)
	after := serve(t, s, list)
	if len(before) != 1 || !strings.Contains(before[0], `["Describe","CustomDerive"]`) || len(after) != 1 || after[0] != `{"ListMacros":{"Ok":[]}}` {
		t.Errorf("before the change %q, after it %q", before, after)
	}
}

// emptyModule is a wasm proc-macro module that declares no macro.
func emptyModule() []byte {
	section := func(name, content string) []byte {
		body := append([]byte{byte(len(name))}, name...)
		body = append(body, content...)
		return append([]byte{0, byte(len(body))}, body...)
	}
	bin := []byte("\x00asm\x01\x00\x00\x00")
	bin = append(bin, section(macrobuild.KeySection, macrobuild.FormatKey("empty-0123456789abcdef"))...)
	return append(bin, section(macrobuild.DeclsSection, "")...)
}
