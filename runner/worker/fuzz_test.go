package worker

import (
	"bufio"
	"bytes"
	"io"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// FuzzProtoRequests feeds a stream of varint-delimited WorkRequests to the
// proto codec: it must decode or fail, never panic, and a request it
// decodes must encode back to one that decodes the same.
func FuzzProtoRequests(f *testing.F) {
	req := func(fields ...[]byte) []byte {
		msg := bytes.Join(fields, nil)
		return append(protowire.AppendVarint(nil, uint64(len(msg))), msg...)
	}
	str := func(num protowire.Number, s string) []byte {
		return protowire.AppendString(protowire.AppendTag(nil, num, protowire.BytesType), s)
	}
	vint := func(num protowire.Number, v uint64) []byte {
		return protowire.AppendVarint(protowire.AppendTag(nil, num, protowire.VarintType), v)
	}
	f.Add(req(str(1, "--compiler"), str(1, "rustc.wasm"), vint(3, 7), str(6, "sandbox")))
	f.Add(append(req(vint(3, 7), vint(4, 1)), req(str(1, "x"), str(2, "\x0a\x01a\x12\x02bb"), vint(5, 3))...))
	f.Add([]byte("\x0a"))
	f.Add([]byte("\x05\x0a\x09"))
	f.Add([]byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Add(req(vint(3, 1<<40), []byte("\x0d\x01\x02\x03\x04"), []byte("\x09\x01\x02\x03\x04\x05\x06\x07\x08")))
	f.Fuzz(func(t *testing.T, in []byte) {
		c := &protoCodec{r: bufio.NewReader(bytes.NewReader(in))}
		for {
			req, err := c.read()
			if err != nil {
				return
			}
			again, err := decodeRequest(encodeRequestForTest(req))
			if err != nil || !sameRequest(req, again) {
				t.Fatalf("%+v encodes to %+v (%v)", req, again, err)
			}
		}
	})
}

// FuzzJSONRequests feeds a stream of JSON WorkRequests to the JSON codec.
func FuzzJSONRequests(f *testing.F) {
	f.Add([]byte(`{"arguments":["x","y"],"inputs":[{"path":"a","digest":"AAAA"}],"requestId":3}{"arguments":["z"],"requestId":4,"sandboxDir":"sb"}`))
	f.Add([]byte(`{"requestId":7,"cancel":true}`))
	f.Add([]byte(`{"arguments":["a"`))
	f.Add([]byte(`{"requestId":99999999999}`))
	f.Add([]byte(`[] {} "x" 1`))
	f.Fuzz(func(t *testing.T, in []byte) {
		c := newJSONCodec(bytes.NewReader(in), io.Discard)
		for i := 0; i < 1000; i++ {
			if _, err := c.read(); err != nil {
				return
			}
		}
	})
}

// encodeRequestForTest encodes a request as Bazel does (the fields the
// runner reads).
func encodeRequestForTest(req *Request) []byte {
	var b []byte
	for _, a := range req.Arguments {
		b = protowire.AppendString(protowire.AppendTag(b, 1, protowire.BytesType), a)
	}
	if req.RequestID != 0 {
		b = protowire.AppendVarint(protowire.AppendTag(b, 3, protowire.VarintType), uint64(uint32(req.RequestID)))
	}
	if req.Cancel {
		b = protowire.AppendVarint(protowire.AppendTag(b, 4, protowire.VarintType), 1)
	}
	if req.SandboxDir != "" {
		b = protowire.AppendString(protowire.AppendTag(b, 6, protowire.BytesType), req.SandboxDir)
	}
	return b
}

func sameRequest(a, b *Request) bool {
	if len(a.Arguments) != len(b.Arguments) || a.RequestID != b.RequestID || a.Cancel != b.Cancel || a.SandboxDir != b.SandboxDir {
		return false
	}
	for i := range a.Arguments {
		if a.Arguments[i] != b.Arguments[i] {
			return false
		}
	}
	return true
}
