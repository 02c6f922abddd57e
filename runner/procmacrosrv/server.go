// Package procmacrosrv serves rust-analyzer's proc-macro server protocol
// (newline-delimited JSON on stdin and stdout, the "json-legacy" format of
// rust-analyzer's proc-macro-api crate) from wasm proc-macro modules: the
// lib<crate>.wasm files the build itself expands, run in wazero with the
// same sandbox and limits as in a compile.
//
// It speaks protocol version APIVersion with span mode "Id": span ids
// index the client's own table, so the server keeps none.
package procmacrosrv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// maxRequest bounds one request line (a variable for the tests).
var maxRequest = 256 << 20

// Config configures a Server.
type Config struct {
	// Log receives what macros print and the server's own notes (its
	// stderr, which rust-analyzer logs); nil discards them.
	Log io.Writer
}

// Server answers the requests of one client, one at a time.
type Server struct {
	eng *macroexpand.Engine // the limits are its
	cfg Config

	mu      sync.Mutex
	modules map[string]*loaded // by absolute path

	noViewNoted sync.Once // a request without a macro view was logged
}

// New serves the modules the client names with eng.
func New(eng *macroexpand.Engine, cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	return &Server{eng: eng, cfg: cfg, modules: map[string]*loaded{}}
}

// Serve reads requests from in and writes each one's response to out until
// in ends (an empty line ends it too, as rust-analyzer's reader has it) or
// ctx is done. A bad request, a macro that panics, loops or traps is
// answered, and the next request served. A line that is no request at all
// has no response to give, and rust-analyzer would wait for one: Serve
// stops with an error, as rust-analyzer's own server does, and the editor
// reports that the server exited.
func (s *Server) Serve(ctx context.Context, in io.Reader, out io.Writer) error {
	type read struct {
		line []byte
		err  error
	}
	lines := make(chan read)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		br := bufio.NewReaderSize(in, 1<<16)
		for {
			line, err := readLine(br)
			select {
			case lines <- read{line, err}:
			case <-stop:
				return
			}
			if err != nil && !errors.Is(err, errTooLong) {
				return
			}
		}
	}()
	write := func(resp response) error {
		if err := writeResponse(out, resp); err != nil {
			return fmt.Errorf("writing a response: %w", err)
		}
		return nil
	}
	for {
		var r read
		select {
		case r = <-lines:
		case <-ctx.Done():
			return ctx.Err()
		}
		line, err := r.line, r.err
		if errors.Is(err, errTooLong) {
			// Answer as the request would have been, if the line shows
			// which; else there is no answer to give.
			msg := fmt.Sprintf("a request longer than %d bytes", maxRequest)
			fmt.Fprintf(s.cfg.Log, "proc-macro server: %s: %s\n", msg, clip(line))
			variant := ""
			for _, v := range []string{"ExpandMacro", "ListMacros"} {
				if bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte(`{"`+v+`"`)) {
					variant = v
				}
			}
			if variant == "" {
				return fmt.Errorf("%s, of no kind it can answer: %s", msg, clip(line))
			}
			if err := write(errReply(variant, msg)); err != nil {
				return err
			}
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading a request: %w", err)
		}
		if len(line) == 0 {
			return nil // end of input
		}
		resp, ok := s.answer(ctx, line)
		if !ok {
			return fmt.Errorf("not a request of the protocol: %s", clip(line))
		}
		if err := write(resp); err != nil {
			return err
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

var errTooLong = errors.New("request too long")

// readLine reads one line without its newline, at most maxRequest bytes;
// a longer line is skipped whole and reported as errTooLong, with its
// first bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxRequest {
			start := append(line, chunk...)[:64]
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			return start, errTooLong
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), err
	}
}

// answer answers one request line. ok is false for a line that is no
// request at all (not JSON, or no variant of the protocol): there is no
// response to give it; it is logged.
func (s *Server) answer(ctx context.Context, line []byte) (resp response, ok bool) {
	req, ok := decodeRequest(line)
	if !ok {
		if req.variant != "" {
			fmt.Fprintf(s.cfg.Log, "proc-macro server: a request of unknown kind %q\n", clipText(req.variant))
		} else {
			fmt.Fprintf(s.cfg.Log, "proc-macro server: a line that is not a request: %s\n", clip(line))
		}
		return response{}, false
	}
	if req.malformed != "" {
		return errReply(req.variant, req.malformed), true
	}
	switch req.variant {
	case "ApiVersionCheck":
		return response{"ApiVersionCheck", APIVersion}, true
	case "SetConfig":
		// Only span mode Id: span ids stay the client's.
		return response{"SetConfig", map[string]string{"span_mode": "Id"}}, true
	case "ListMacros":
		macros, err := s.ListMacros(req.dylibPath)
		if err != nil {
			return errReply("ListMacros", err.Error()), true
		}
		return okReply("ListMacros", macros), true
	default: // ExpandMacro
		top, err := s.Expand(ctx, req.expand)
		if err != nil {
			return errReply("ExpandMacro", err.Error()), true
		}
		return okReply("ExpandMacro", top), true
	}
}

func clip(b []byte) string {
	const max = 200
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// macroKinds are the protocol's names of the kinds.
var macroKinds = map[macrobuild.Kind]string{
	macrobuild.KindDerive: "CustomDerive",
	macrobuild.KindAttr:   "Attr",
	macrobuild.KindBang:   "FuncLike",
}

// ListMacros lists the macros of the module at path as [name, kind] pairs.
func (s *Server) ListMacros(path string) ([][2]string, error) {
	m, err := s.module(path)
	if err != nil {
		return nil, err
	}
	out := [][2]string{} // a list, even when empty
	for _, d := range m.Decls {
		out = append(out, [2]string{d.Name, macroKinds[d.Kind]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// Expand runs one expansion and returns the output's top subtree. A panic
// is an error carrying the panic's message; so are a timeout, a trap and a
// malformed request.
func (s *Server) Expand(ctx context.Context, em *expansion) (*flatTree, error) {
	m, err := s.module(em.lib)
	if err != nil {
		return nil, err
	}
	var decl *macrobuild.Decl
	for i := range m.Decls {
		if m.Decls[i].Name == em.macroName {
			decl = &m.Decls[i]
		}
	}
	if decl == nil {
		return nil, fmt.Errorf("%s declares no proc macro %s", em.lib, em.macroName)
	}
	var attrArgs []tree
	// rust-analyzer sends no attributes for #[name] without arguments.
	if decl.Kind == macrobuild.KindAttr && em.attrs != nil {
		attrArgs = em.attrs.stream()
	}
	g := em.globals
	var call guestCall
	request := call.encodeRequest(decl.Kind, decl.Name, attrArgs, em.body.stream(), g.CallSite, g.MixedSite)
	world, err := s.world(em)
	if err != nil {
		return nil, err
	}
	x, err := macroexpand.NewExpander(s.eng, world, []*macroexpand.Module{m})
	if err != nil {
		return nil, err
	}
	r := x.Expand(ctx, m.Key, request)
	if len(r.Stdout) > 0 {
		s.cfg.Log.Write(r.Stdout)
	}
	switch r.Status {
	case macroexpand.StatusOK:
	case macroexpand.StatusPanic:
		return nil, fmt.Errorf("proc macro %s panicked: %s", em.macroName, r.Message)
	default:
		return nil, errors.New(r.Message)
	}
	stream, err := call.decodeResponse(r.Payload[1:])
	if err != nil {
		return nil, fmt.Errorf("%s: bad response of proc macro %s: %v", em.lib, em.macroName, err)
	}
	return encodeFlat(topOf(stream, g.CallSite), APIVersion)
}
