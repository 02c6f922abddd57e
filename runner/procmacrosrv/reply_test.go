package procmacrosrv

import (
	"io"
	"runtime"
	"strings"
	"testing"
)

// A macro's <, > and & reach the client as they are: escaped for HTML,
// each took six bytes, and a large output six times its size.
func TestResponseIsNotHTMLEscaped(t *testing.T) {
	lib := editorModule(t)
	body := `{"subtree":[3,3,0,0,1],"literal":[4,0,5,4294967295],"punct":[],"ident":[],"token_tree":[1],"text":["<a>&amp;</a>"]}`
	got := serve(t, newServer(t, 0, nil), expandLine(lib, "echo", body, ""))
	if len(got) != 1 || !strings.Contains(got[0], `"text":["<a>&amp;</a>"]`) {
		t.Errorf("got %q, want the literal's text unescaped", got)
	}
}

// Writing a response builds the line once: what it allocates is a small
// multiple of the line, whatever the text holds.
func TestWriteResponseBuildsTheLineOnce(t *testing.T) {
	const size = 8 << 20
	text := strings.Repeat("<&>", size/3)
	top := &flatTree{Subtree: []uint32{1, 1, 0, 0, 1}, Literal: []uint32{2, 0, litStr, ^uint32(0)}, Punct: []uint32{}, Ident: []uint32{}, TokenTree: []uint32{tagLiteral}, Text: []string{text}}
	var line countingWriter
	writeResponse(&line, okReply("ExpandMacro", top)) // warm the encoder's pools
	line = countingWriter{}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := writeResponse(&line, okReply("ExpandMacro", top)); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if line.n > size+200 || line.writes != 1 {
		t.Errorf("a response of %d bytes of text is a line of %d bytes in %d writes; want about %d in one", size, line.n, line.writes, size)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 3*size {
		t.Errorf("writing a response of %d bytes allocated %d bytes", line.n, alloc)
	}
	t.Logf("%d bytes of text: a line of %d bytes, %d bytes allocated", size, line.n, alloc)
}

// countingWriter counts what is written to it, and how many writes.
type countingWriter struct {
	n, writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	c.writes++
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
