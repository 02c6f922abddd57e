package main

// The stand-in's "libtest harness": what `--test` links. It is NOT a test
// runner: it runs no Rust. It knows the #[test] functions of the crate
// root from their source, and answers like libtest so that the runner's
// test verb, and through it `bazel test`, report each of them.
//
// The convention: a #[test] whose body contains `standin_fail!` fails
// (exit 101, with a panic message naming the line); any other passes;
// #[ignore] (with its reason) and #[should_panic] (which libtest ignores
// on wasm) are ignored. A crate can define the macro, such as
// `macro_rules! standin_fail { () => { panic!("...") } }`, so that the
// test fails with a real compiler too. Only the crate root is read:
// tests in other files of the crate (`mod x;`) are not found.
//
// The module answers:
//
//	--list [--ignored] ...  "NAME: test" lines (only the ignored with --ignored)
//	... NAME ...            the run of the test NAME (the last argument not
//	                        starting with '-'; a filter is taken as an exact name)
//	(no name)               a run of every test, as libtest prints it

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

type standinTest struct {
	Name        string
	Ignored     bool
	Reason      string
	ShouldPanic bool
	Fails       bool
	Line, Col   int // of standin_fail!
}

var rustToken = regexp.MustCompile(`(?s)//[^\n]*|/\*.*?\*/` +
	`|#\[\s*test\s*\]` +
	`|#\[\s*ignore\s*(?:=\s*"((?:[^"\\]|\\.)*)"\s*)?\]` +
	`|#\[\s*should_panic[^\]]*\]` +
	`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)'` +
	`|\bmod\s+(\w+)\s*\{|\bfn\s+(\w+)|\{|\}|standin_fail!`)

// findTests returns the #[test] functions of src, named as libtest names
// them (the module path within the crate, such as tests::name), in
// libtest's order (by name).
func findTests(src string) []standinTest {
	type mod struct {
		name  string
		depth int
	}
	var (
		tests                        []standinTest
		mods                         []mod
		depth                        int
		isTest, ignored, shouldPanic bool
		reason                       string
		cur                          = -1 // the test whose body is being read
		bodyDepth                    int
		waitingBody                  bool
	)
	for _, m := range rustToken.FindAllStringSubmatchIndex(src, -1) {
		tok := src[m[0]:m[1]]
		switch {
		case strings.HasPrefix(tok, "//"), strings.HasPrefix(tok, "/*"), strings.HasPrefix(tok, `"`), strings.HasPrefix(tok, "'"):
		case strings.HasPrefix(tok, "#[") && strings.Contains(tok, "should_panic"):
			shouldPanic = true
		case strings.HasPrefix(tok, "#[") && strings.Contains(tok, "ignore"):
			ignored = true
			if m[2] >= 0 {
				reason = src[m[2]:m[3]]
			}
		case strings.HasPrefix(tok, "#["):
			isTest = true
		case m[4] >= 0: // mod NAME {
			mods = append(mods, mod{src[m[4]:m[5]], depth})
			depth++
		case m[6] >= 0: // fn NAME
			if isTest {
				name := src[m[6]:m[7]]
				for i := len(mods) - 1; i >= 0; i-- {
					name = mods[i].name + "::" + name
				}
				tests = append(tests, standinTest{Name: name, Ignored: ignored, Reason: reason, ShouldPanic: shouldPanic})
				cur, waitingBody = len(tests)-1, true
			}
			isTest, ignored, shouldPanic, reason = false, false, false, ""
		case tok == "{":
			if waitingBody {
				bodyDepth, waitingBody = depth, false
			}
			depth++
		case tok == "}":
			depth--
			if cur >= 0 && !waitingBody && depth == bodyDepth {
				cur = -1
			}
			if len(mods) > 0 && mods[len(mods)-1].depth == depth {
				mods = mods[:len(mods)-1]
			}
		case tok == "standin_fail!":
			if cur >= 0 && !waitingBody && !tests[cur].Fails {
				t := &tests[cur]
				t.Fails = true
				t.Line = strings.Count(src[:m[0]], "\n") + 1
				t.Col = m[0] - strings.LastIndex(src[:m[0]], "\n")
			}
		}
	}
	sort.SliceStable(tests, func(i, j int) bool { return tests[i].Name < tests[j].Name })
	return tests
}

// harnessOutput is what the harness prints for one test run alone.
type harnessOutput struct {
	name, stdout, stderr string
	code                 int32
}

// testHarness returns the module `--test` links for rec.
func testHarness(rec Record, src string) []byte {
	tests := findTests(src)
	n := len(tests)
	var listAll, listIgnored strings.Builder
	var runs []harnessOutput
	var whole, wholeErr strings.Builder
	var failures []string
	passed, failed, ignored := 0, 0, 0
	fmt.Fprintf(&whole, "\nrunning %d test%s\n", n, map[bool]string{true: "", false: "s"}[n == 1])
	for _, t := range tests {
		fmt.Fprintf(&listAll, "%s: test\n", t.Name)
		if t.Ignored {
			fmt.Fprintf(&listIgnored, "%s: test\n", t.Name)
		}
		head := "test " + t.Name
		if t.ShouldPanic {
			head += " - should panic"
		}
		h := harnessOutput{name: t.Name, stdout: "\nrunning 1 test\n" + head + " ... "}
		verdict := func(v string, p, f, i int) string {
			return fmt.Sprintf("%s\n\ntest result: %s. %d passed; %d failed; %d ignored; 0 measured; %d filtered out\n\n",
				v, map[bool]string{true: "ok", false: "FAILED"}[f == 0], p, f, i, n-1)
		}
		switch {
		case t.Ignored || t.ShouldPanic:
			v := "ignored"
			if t.Reason != "" {
				v += ", " + t.Reason
			}
			h.stdout += verdict(v, 0, 0, 1)
			fmt.Fprintf(&whole, "%s ... %s\n", head, v)
			ignored++
		case t.Fails:
			h.stderr = fmt.Sprintf("thread 'main' panicked at 'standin_fail!: the rustc stand-in fails this test (a test double: nothing was compiled)', %s:%d:%d\n"+
				"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n", rec.Root, t.Line, t.Col)
			h.code = 101
			fmt.Fprintf(&whole, "%s ... FAILED\n", head)
			failures = append(failures, t.Name)
			failed++
		default:
			h.stdout += fmt.Sprintf("rustc stand-in: test %s of %s from %s; nothing was compiled\n", t.Name, rec.CrateName, path.Clean(rec.Root)) +
				verdict("ok", 1, 0, 0)
			fmt.Fprintf(&whole, "%s ... ok\n", head)
			passed++
		}
		runs = append(runs, h)
	}
	code := int32(0)
	result := "ok"
	if failed > 0 {
		code, result = 101, "FAILED"
		fmt.Fprintf(&whole, "\nfailures:\n")
		for _, f := range failures {
			fmt.Fprintf(&whole, "    %s\n", f)
		}
		wholeErr.WriteString("(the rustc stand-in: a test whose body calls standin_fail! fails)\n")
	}
	fmt.Fprintf(&whole, "\ntest result: %s. %d passed; %d failed; %d ignored; 0 measured; 0 filtered out (rustc stand-in: nothing was compiled)\n\n",
		result, passed, failed, ignored)
	notFound := fmt.Sprintf("\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; %d filtered out\n\n", n)
	return harnessModule(listAll.String(), listIgnored.String(), notFound, whole.String(), wholeErr.String(), code, runs)
}

// asm is a function body being assembled.
type asm []byte

func (a *asm) op(b ...byte) *asm { *a = append(*a, b...); return a }
func (a *asm) i32(v int64) *asm  { *a = sleb(append(*a, 0x41), v); return a }
func (a *asm) get(i byte) *asm   { return a.op(0x20, i) }
func (a *asm) set(i byte) *asm   { return a.op(0x21, i) }
func (a *asm) load(off byte) *asm {
	return a.op(0x28, 2, off)
}
func (a *asm) call(f byte) *asm { return a.op(0x10, f) }

const (
	opBlock, opLoop, opIf, opElse, opEnd = 0x02, 0x03, 0x04, 0x05, 0x0b
	opBr, opBrIf, opReturn, opDrop       = 0x0c, 0x0d, 0x0f, 0x1a
	opLoad8U, opStore                    = 0x2d, 0x36
	opEqz, opNe, opLtU, opGeU            = 0x45, 0x47, 0x49, 0x4f
	opAdd, opMul                         = 0x6a, 0x6c
	void                                 = 0x40
)

// harnessModule assembles the harness. Its memory: 0-15 an iovec and
// nwritten; 16 argc, 20 the size of argv's strings; 1024 the data (the
// texts, then a table of 32-byte entries NAME_PTR NAME_LEN OUT_PTR
// OUT_LEN ERR_PTR ERR_LEN CODE 0); then argv.
//
// Functions: imports 0 fd_write, 1 args_sizes_get, 2 args_get, 3
// proc_exit; 4 _start, 5 write(fd, ptr, len), 6 strlen(p), 7 streq(a,
// alen, b, blen).
func harnessModule(listAll, listIgnored, notFound, whole, wholeErr string, wholeCode int32, runs []harnessOutput) []byte {
	const dataAt = 1024
	var data []byte
	put := func(s string) (int64, int64) {
		p := dataAt + len(data)
		data = append(data, s...)
		return int64(p), int64(len(s))
	}
	le32 := func(v int64) { data = append(data, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }
	sList, _ := put("--list")
	sIgn, _ := put("--ignored")
	allP, allL := put(listAll)
	ignP, ignL := put(listIgnored)
	nfP, nfL := put(notFound)
	wP, wL := put(whole)
	weP, weL := put(wholeErr)
	type entry [8]int64
	var entries []entry
	for _, r := range runs {
		np, nl := put(r.name)
		op, ol := put(r.stdout)
		ep, el := put(r.stderr)
		entries = append(entries, entry{np, nl, op, ol, ep, el, int64(r.code), 0})
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	table := int64(dataAt + len(data))
	for _, e := range entries {
		for _, v := range e {
			le32(v)
		}
	}
	tableEnd := int64(dataAt + len(data))
	argv := (tableEnd + 15) &^ 15
	pages := (argv+(128<<10))/(64<<10) + 1

	// write(fd, ptr, len)
	var write asm
	write.i32(0).get(1).op(opStore, 2, 0)
	write.i32(4).get(2).op(opStore, 2, 0)
	write.get(0).i32(0).i32(1).i32(8).call(0).op(opDrop, opEnd)
	// strlen(p) local 1: n
	var strlen asm
	strlen.op(opBlock, void, opLoop, void)
	strlen.get(0).get(1).op(opAdd, opLoad8U, 0, 0, opEqz, opBrIf, 1)
	strlen.get(1).i32(1).op(opAdd).set(1).op(opBr, 0, opEnd, opEnd)
	strlen.get(1).op(opEnd)
	// streq(a, alen, b, blen) local 4: i
	var streq asm
	streq.get(1).get(3).op(opNe, opIf, void).i32(0).op(opReturn, opEnd)
	streq.op(opBlock, void, opLoop, void)
	streq.get(4).get(1).op(opGeU, opBrIf, 1)
	streq.get(0).get(4).op(opAdd, opLoad8U, 0, 0)
	streq.get(2).get(4).op(opAdd, opLoad8U, 0, 0)
	streq.op(opNe, opIf, void).i32(0).op(opReturn, opEnd)
	streq.get(4).i32(1).op(opAdd).set(4).op(opBr, 0, opEnd, opEnd)
	streq.i32(1).op(opEnd)
	// _start, locals: 0 argc, 1 i, 2 p, 3 len, 4 list, 5 ignored, 6 name, 7 name length, 8 entry
	var start asm
	start.i32(16).i32(20).call(1).op(opDrop)
	start.i32(16).load(0).set(0)
	start.i32(argv).i32(argv).get(0).i32(4).op(opMul, opAdd).call(2).op(opDrop)
	start.i32(1).set(1)
	start.op(opBlock, void, opLoop, void)
	start.get(1).get(0).op(opGeU, opBrIf, 1)
	start.i32(argv).get(1).i32(4).op(opMul, opAdd).load(0).op(0x22, 2).call(6).set(3)
	start.get(2).get(3).i32(sList).i32(6).call(7).op(opIf, void).i32(1).set(4).op(opEnd)
	start.get(2).get(3).i32(sIgn).i32(9).call(7).op(opIf, void).i32(1).set(5).op(opEnd)
	start.get(2).op(opLoad8U, 0, 0).i32('-').op(opNe, opIf, void).get(2).set(6).get(3).set(7).op(opEnd)
	start.get(1).i32(1).op(opAdd).set(1).op(opBr, 0, opEnd, opEnd)
	// --list
	start.get(4).op(opIf, void)
	start.get(5).op(opIf, void).i32(1).i32(ignP).i32(ignL).call(5)
	start.op(opElse).i32(1).i32(allP).i32(allL).call(5).op(opEnd)
	start.op(opReturn, opEnd)
	// NAME
	start.get(6).op(opIf, void)
	start.i32(table).set(8)
	start.op(opBlock, void, opLoop, void)
	start.get(8).i32(tableEnd).op(opGeU, opBrIf, 1)
	start.get(8).load(0).get(8).load(4).get(6).get(7).call(7).op(opIf, void)
	start.i32(1).get(8).load(8).get(8).load(12).call(5)
	start.i32(2).get(8).load(16).get(8).load(20).call(5)
	start.get(8).load(24).call(3).op(opReturn, opEnd)
	start.get(8).i32(32).op(opAdd).set(8).op(opBr, 0, opEnd, opEnd)
	start.i32(1).i32(nfP).i32(nfL).call(5).op(opReturn, opEnd)
	// every test
	start.i32(1).i32(wP).i32(wL).call(5)
	start.i32(2).i32(weP).i32(weL).call(5)
	start.i32(int64(wholeCode)).call(3).op(opEnd)

	var out []byte
	const i32t = 0x7f
	out = append(out, "\x00asm\x01\x00\x00\x00"...)
	out = section(out, 1, []byte{6,
		0x60, 4, i32t, i32t, i32t, i32t, 1, i32t, // 0 fd_write, streq
		0x60, 2, i32t, i32t, 1, i32t, // 1 args_sizes_get, args_get
		0x60, 1, i32t, 0, // 2 proc_exit
		0x60, 0, 0, // 3 _start
		0x60, 3, i32t, i32t, i32t, 0, // 4 write
		0x60, 1, i32t, 1, i32t, // 5 strlen
	})
	imp := []byte{4}
	for _, f := range []struct {
		name string
		typ  byte
	}{{"fd_write", 0}, {"args_sizes_get", 1}, {"args_get", 1}, {"proc_exit", 2}} {
		imp = name(imp, "wasi_snapshot_preview1")
		imp = append(name(imp, f.name), 0, f.typ)
	}
	out = section(out, 2, imp)
	out = section(out, 3, []byte{4, 3, 4, 5, 0})
	out = section(out, 5, uleb([]byte{1, 0}, uint64(pages)))
	exp := name([]byte{2}, "memory")
	exp = append(exp, 2, 0)
	exp = name(exp, "_start")
	out = section(out, 7, append(exp, 0, 4))
	code := []byte{4}
	for _, f := range []struct {
		locals []byte
		body   asm
	}{{[]byte{1, 9, i32t}, start}, {[]byte{0}, write}, {[]byte{1, 1, i32t}, strlen}, {[]byte{1, 1, i32t}, streq}} {
		body := append(append([]byte{}, f.locals...), f.body...)
		code = append(uleb(code, uint64(len(body))), body...)
	}
	out = section(out, 10, code)
	seg := []byte{1, 0}
	seg = sleb(append(seg, 0x41), dataAt)
	seg = append(seg, 0x0b)
	seg = append(uleb(seg, uint64(len(data))), data...)
	out = section(out, 11, seg)
	return out
}
