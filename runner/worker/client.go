package worker

// Bazel's side of the protocol in its proto form: WriteRequest writes
// varint-delimited WorkRequests, ReadResponse reads WorkResponses. The
// pool sends its children their requests with them; the tests of packages
// runner and runner/worker, and the benchmarks bench/runnerbench and
// bench/hardeningbench, drive a worker with them as Bazel does.

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"google.golang.org/protobuf/encoding/protowire"
)

// WriteRequest writes req as Bazel does: a varint length, then the message.
func WriteRequest(w io.Writer, req *Request) error {
	msg := encodeRequest(req)
	_, err := w.Write(append(protowire.AppendVarint(nil, uint64(len(msg))), msg...))
	return err
}

// ReadResponse reads one varint-delimited WorkResponse.
func ReadResponse(r *bufio.Reader) (*Response, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return decodeResponse(b)
}

func encodeRequest(req *Request) []byte {
	var b []byte
	for _, a := range req.Arguments {
		b = appendBytesField(b, 1, a)
	}
	if req.RequestID != 0 {
		b = appendVarintField(b, 3, uint64(req.RequestID))
	}
	if req.Cancel {
		b = appendVarintField(b, 4, 1)
	}
	for _, in := range req.Inputs {
		var m []byte
		m = appendBytesField(m, 1, in.Path)
		m = appendBytesField(m, 2, in.Digest)
		b = appendBytesField(b, 2, m)
	}
	if req.SandboxDir != "" {
		b = appendBytesField(b, 6, req.SandboxDir)
	}
	return b
}

func decodeResponse(b []byte) (*Response, error) {
	resp := &Response{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return nil, protowire.ParseError(n)
			}
			b = b[n:]
			switch num {
			case 1:
				resp.ExitCode = int32(v)
			case 3:
				resp.RequestID = int32(v)
			case 4:
				resp.WasCancelled = v != 0
			}
		case typ == protowire.BytesType && num == 2:
			s, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return nil, protowire.ParseError(n)
			}
			b = b[n:]
			resp.Output = string(s)
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return nil, fmt.Errorf("work response field %d: %w", num, protowire.ParseError(n))
			}
			b = b[n:]
		}
	}
	return resp, nil
}
