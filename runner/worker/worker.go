// Package worker speaks Bazel's persistent-worker protocol: WorkRequests in
// on stdin, WorkResponses out on stdout, in proto (varint-delimited) or JSON
// form. Requests with a non-zero request_id are multiplexed: each runs on
// its own goroutine with its own context, which a cancel request ends.
package worker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"google.golang.org/protobuf/encoding/protowire"
)

// Request is one WorkRequest: the fields the runner uses.
type Request struct {
	Arguments  []string `json:"arguments"`
	RequestID  int32    `json:"requestId"`
	Cancel     bool     `json:"cancel"`
	SandboxDir string   `json:"sandboxDir"`
}

// Response is one WorkResponse.
type Response struct {
	ExitCode     int32  `json:"exitCode"`
	Output       string `json:"output"`
	RequestID    int32  `json:"requestId"`
	WasCancelled bool   `json:"wasCancelled,omitempty"`
}

// Handler runs one request. It writes what the user should see to out and
// returns the exit code; it must return soon after ctx is done.
type Handler func(ctx context.Context, req *Request, out io.Writer) int

// Protocol is the wire format: "proto" or "json".
type Protocol string

const (
	Proto Protocol = "proto"
	JSON  Protocol = "json"
)

// codec reads requests and writes responses in one protocol.
type codec interface {
	read() (*Request, error)
	write(*Response) error
}

// Serve answers requests from r on w until r ends, then waits for the
// requests still running. If a response cannot be written (Bazel is gone),
// it cancels the running requests and returns the write error.
func Serve(ctx context.Context, r io.Reader, w io.Writer, p Protocol, handle Handler) error {
	var c codec
	switch p {
	case Proto:
		c = &protoCodec{r: bufio.NewReader(r), w: w}
	case JSON:
		c = &jsonCodec{dec: json.NewDecoder(r), w: w}
	default:
		return fmt.Errorf("unknown worker protocol %q (want proto or json)", p)
	}
	s := &server{c: c, handle: handle, inflight: map[int32]*call{}}
	return s.serve(ctx)
}

type call struct {
	cancel    context.CancelFunc
	cancelled bool
}

type server struct {
	c      codec
	handle Handler

	wmu  sync.Mutex // serialises writes
	werr error      // the first write error
	stop context.CancelFunc

	mu       sync.Mutex
	inflight map[int32]*call
	wg       sync.WaitGroup
}

// respond writes a response. After a write fails no more are written, and
// the requests still running are cancelled: nobody reads their answers.
func (s *server) respond(resp *Response) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.werr != nil {
		return
	}
	if err := s.c.write(resp); err != nil {
		s.werr = fmt.Errorf("writing the response to request %d: %w", resp.RequestID, err)
		s.stop()
	}
}

// writeErr returns the first write error.
func (s *server) writeErr() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.werr
}

func (s *server) serve(ctx context.Context) error {
	ctx, s.stop = context.WithCancel(ctx)
	defer s.stop()
	defer s.wg.Wait() // before stop: at the end of the input, requests finish
	for {
		if err := s.writeErr(); err != nil {
			return err
		}
		req, err := s.c.read()
		if errors.Is(err, io.EOF) {
			s.wg.Wait()
			return s.writeErr()
		}
		if err != nil {
			return fmt.Errorf("reading a work request: %w", err)
		}
		if req.Cancel {
			s.mu.Lock()
			if c, ok := s.inflight[req.RequestID]; ok {
				c.cancelled = true
				c.cancel()
			}
			// A request that already has its response is not answered again.
			s.mu.Unlock()
			continue
		}
		rctx, cancel := context.WithCancel(ctx)
		c := &call{cancel: cancel}
		if req.RequestID == 0 {
			// Singleplex: one request at a time.
			s.handleRequest(rctx, req, c)
			continue
		}
		s.mu.Lock()
		if _, dup := s.inflight[req.RequestID]; dup {
			s.mu.Unlock()
			cancel()
			s.respond(&Response{ExitCode: 1, RequestID: req.RequestID, Output: fmt.Sprintf("worker: request %d is already running\n", req.RequestID)})
			continue
		}
		s.inflight[req.RequestID] = c
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handleRequest(rctx, req, c)
		}()
	}
}

// handleRequest runs one request and writes its response.
func (s *server) handleRequest(ctx context.Context, req *Request, c *call) {
	var out bytes.Buffer
	code := s.handle(ctx, req, &out)
	s.mu.Lock()
	delete(s.inflight, req.RequestID)
	cancelled := c.cancelled
	s.mu.Unlock()
	c.cancel()
	s.respond(&Response{ExitCode: int32(code), Output: out.String(), RequestID: req.RequestID, WasCancelled: cancelled})
}

type jsonCodec struct {
	dec *json.Decoder
	w   io.Writer
}

// read decodes the next value of the stream: Bazel 4 ends a request with
// no newline, so the input is a stream of JSON values, not of lines.
func (c *jsonCodec) read() (*Request, error) {
	var req Request
	if err := c.dec.Decode(&req); err != nil {
		return nil, err
	}
	return &req, nil
}

func (c *jsonCodec) write(resp *Response) error {
	b, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	_, err = c.w.Write(append(b, '\n'))
	return err
}

type protoCodec struct {
	r *bufio.Reader
	w io.Writer
}

// read reads one varint-delimited WorkRequest.
func (c *protoCodec) read() (*Request, error) {
	n, err := binary.ReadUvarint(c.r)
	if err != nil {
		return nil, err
	}
	if n > 1<<30 {
		return nil, fmt.Errorf("work request of %d bytes", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(c.r, b); err != nil {
		return nil, fmt.Errorf("truncated work request: %w", err)
	}
	return decodeRequest(b)
}

// fields calls f with each field of a protobuf message: its number, and
// its value as a varint or as bytes.
func fields(b []byte, f func(num protowire.Number, v uint64, s []byte)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		var v uint64
		var s []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			s, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		f(num, v, s)
	}
	return nil
}

func decodeRequest(b []byte) (*Request, error) {
	req := &Request{}
	err := fields(b, func(num protowire.Number, v uint64, s []byte) {
		switch num {
		case 1:
			req.Arguments = append(req.Arguments, string(s))
		case 3:
			req.RequestID = int32(v)
		case 4:
			req.Cancel = v != 0
		case 6:
			req.SandboxDir = string(s)
		} // 2 (inputs), 5 (verbosity) and later fields are not needed
	})
	return req, err
}

func encodeResponse(resp *Response) []byte {
	var b []byte
	if resp.ExitCode != 0 {
		b = protowire.AppendTag(b, 1, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(int64(resp.ExitCode)))
	}
	if resp.Output != "" {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, resp.Output)
	}
	if resp.RequestID != 0 {
		b = protowire.AppendTag(b, 3, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(resp.RequestID))
	}
	if resp.WasCancelled {
		b = protowire.AppendTag(b, 4, protowire.VarintType)
		b = protowire.AppendVarint(b, 1)
	}
	return b
}

func (c *protoCodec) write(resp *Response) error {
	msg := encodeResponse(resp)
	out := protowire.AppendVarint(nil, uint64(len(msg)))
	_, err := c.w.Write(append(out, msg...))
	return err
}
