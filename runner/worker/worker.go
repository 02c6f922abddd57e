// Package worker is the runner's persistent worker. It speaks Bazel's
// persistent-worker protocol: WorkRequests in on stdin, WorkResponses out
// on stdout, in proto (varint-delimited) or JSON form (Serve, this file).
// Requests with a non-zero request_id are multiplexed: each runs on its own
// goroutine with its own context, which a cancel request ends.
//
// The worker runs no guest itself: Pool (pool.go) hands each request to a
// child process, which serves requests one at a time (ServeOneByOne,
// child.go); the pool talks to its children as Bazel talks to a worker
// (WriteRequest and ReadResponse, client.go).
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
	// Inputs are the files Bazel declared for the action, relative to
	// the working directory (SandboxDir or the execroot).
	Inputs []Input `json:"inputs"`
}

// Input is one declared input of a WorkRequest. The digest is kept as
// Bazel sent it (bytes in proto, base64 in JSON) and not interpreted.
type Input struct {
	Path   string `json:"path"`
	Digest string `json:"digest"`
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

// Serve answers requests from r on w until r ends or ctx is done. Either
// way it cancels the requests still running, waits for their handlers
// (which return soon after their context is done) and returns: nil at the
// end of the input, context.Cause(ctx) when ctx is done. If a response
// cannot be written (Bazel is gone), it does the same and returns the
// write error. A request whose input ends in the middle is an error, not
// the end of the input.
//
// Each response's output is kept up to MaxOutput bytes; the rest is
// dropped and a line saying so ends the output.
func Serve(ctx context.Context, r io.Reader, w io.Writer, p Protocol, handle Handler) error {
	var c codec
	switch p {
	case Proto:
		c = &protoCodec{r: bufio.NewReader(r), w: w}
	case JSON:
		c = newJSONCodec(r, w)
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

// read is one result of the codec's read.
type read struct {
	req *Request
	err error
}

func (s *server) serve(ctx context.Context) error {
	ctx, s.stop = context.WithCancel(ctx)
	defer s.stop()
	// The input is read on its own goroutine, so that a signal (ctx) ends
	// the loop while it waits for a request. That goroutine may stay blocked
	// in a read after Serve returns; it exits at the next request or at the
	// end of the input.
	reads := make(chan read)
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		for {
			req, err := s.c.read()
			select {
			case reads <- read{req, err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	// finish cancels what still runs and waits for it: nobody reads
	// answers once the input ended or the worker was told to stop.
	finish := func(err error) error {
		s.stop()
		s.wg.Wait()
		if werr := s.writeErr(); werr != nil {
			return werr
		}
		return err
	}
	for {
		var rd read
		select {
		case <-ctx.Done():
			if werr := s.writeErr(); werr != nil {
				return finish(werr)
			}
			return finish(context.Cause(ctx))
		case rd = <-reads:
		}
		req, err := rd.req, rd.err
		if errors.Is(err, io.EOF) {
			return finish(nil)
		}
		if err != nil {
			return finish(fmt.Errorf("reading a work request: %w", err))
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
	out := &cappedBuffer{max: MaxOutput}
	code := s.handle(ctx, req, out)
	s.mu.Lock()
	delete(s.inflight, req.RequestID)
	cancelled := c.cancelled
	s.mu.Unlock()
	c.cancel()
	s.respond(&Response{ExitCode: int32(code), Output: out.String(), RequestID: req.RequestID, WasCancelled: cancelled})
}

// MaxOutput is how much of a request's output a response carries.
const MaxOutput = 16 << 20

// cappedBuffer keeps the first max bytes written to it and counts the
// rest. It is safe for concurrent use: a guest's threads write to it.
type cappedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	max     int
	dropped int64
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	keep := min(len(p), b.max-b.buf.Len())
	b.buf.Write(p[:keep])
	b.dropped += int64(len(p) - keep)
	return len(p), nil
}

// String is what was kept, and a line saying how much was dropped.
func (b *cappedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dropped == 0 {
		return b.buf.String()
	}
	return fmt.Sprintf("%s\nrunner: worker: output cut after %d bytes; %d more bytes dropped\n", b.buf.String(), b.max, b.dropped)
}

// maxRequest bounds the size of one work request, in either protocol.
const maxRequest = 256 << 20

type jsonCodec struct {
	dec *json.Decoder
	in  *countingReader
	w   io.Writer
}

func newJSONCodec(r io.Reader, w io.Writer) *jsonCodec {
	c := &jsonCodec{in: &countingReader{r: r}, w: w}
	c.dec = json.NewDecoder(c.in)
	c.in.dec = c.dec
	return c
}

// countingReader refuses to feed the JSON decoder more than maxRequest
// bytes past the end of the last value it decoded: the decoder buffers a
// whole value, which must not grow without bound.
type countingReader struct {
	r   io.Reader
	n   int64
	dec *json.Decoder
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n-c.dec.InputOffset() > maxRequest {
		return 0, fmt.Errorf("work request larger than %d bytes", maxRequest)
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
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
	if n > maxRequest {
		return nil, fmt.Errorf("work request of %d bytes (at most %d)", n, maxRequest)
	}
	// Read as the bytes come, so that a length alone costs nothing.
	var b bytes.Buffer
	if got, err := io.CopyN(&b, c.r, int64(n)); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // a length was read: this is not the end of the input
		}
		return nil, fmt.Errorf("truncated work request (%d of %d bytes): %w", got, n, err)
	}
	return decodeRequest(b.Bytes())
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
	var ferr error // an Input's own error
	err := fields(b, func(num protowire.Number, v uint64, s []byte) {
		switch num {
		case 1:
			req.Arguments = append(req.Arguments, string(s))
		case 3:
			req.RequestID = int32(v)
		case 4:
			req.Cancel = v != 0
		case 2:
			in, err := decodeInput(s)
			if err != nil && ferr == nil {
				ferr = err
			}
			req.Inputs = append(req.Inputs, in)
		case 6:
			req.SandboxDir = string(s)
		} // 5 (verbosity) and later fields are not needed
	})
	if err == nil {
		err = ferr
	}
	return req, err
}

// decodeInput decodes an Input message: path (1) and digest (2).
func decodeInput(b []byte) (Input, error) {
	var in Input
	err := fields(b, func(num protowire.Number, _ uint64, s []byte) {
		switch num {
		case 1:
			in.Path = string(s)
		case 2:
			in.Digest = string(s)
		}
	})
	return in, err
}

// appendBytesField appends field num of wire type bytes (a string, bytes
// or a message) with v.
func appendBytesField[T string | []byte](b []byte, num protowire.Number, v T) []byte {
	return protowire.AppendString(protowire.AppendTag(b, num, protowire.BytesType), string(v))
}

// appendVarintField appends field num of wire type varint with v.
func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
}

func encodeResponse(resp *Response) []byte {
	var b []byte
	if resp.ExitCode != 0 {
		b = appendVarintField(b, 1, uint64(int64(resp.ExitCode)))
	}
	if resp.Output != "" {
		b = appendBytesField(b, 2, resp.Output)
	}
	if resp.RequestID != 0 {
		b = appendVarintField(b, 3, uint64(resp.RequestID))
	}
	if resp.WasCancelled {
		b = appendVarintField(b, 4, 1)
	}
	return b
}

func (c *protoCodec) write(resp *Response) error {
	msg := encodeResponse(resp)
	out := protowire.AppendVarint(nil, uint64(len(msg)))
	_, err := c.w.Write(append(out, msg...))
	return err
}
