package procmacrosrv

import (
	"encoding/json"
	"io"
)

// response is one answer: the request's variant and what it answers with,
// a value (ApiVersionCheck, SetConfig) or Rust's Result as serde writes it
// (okBody, errBody).
type response struct {
	variant string
	body    interface{}
}

type okBody struct {
	Ok interface{} `json:"Ok"`
}

type errBody struct {
	Err string `json:"Err"`
}

func okReply(variant string, v interface{}) response {
	return response{variant, okBody{v}}
}

func errReply(variant, msg string) response {
	return response{variant, errBody{msg}}
}

// writeResponse writes resp as one line. The encoder writes straight to
// w from the one buffer it builds the line in, newline included, and does
// not escape <, > and & (HTML's characters, which mean nothing to the
// client): escaped, each is six bytes, and a macro's output of them had
// the line six times its size.
func writeResponse(w io.Writer, resp response) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]interface{}{resp.variant: resp.body})
}
