package procmacrosrv

import (
	"fmt"
	"strings"
)

// Literal kinds as the protocol numbers them (from version 5): the kind
// in the low byte, a raw string's number of '#' in the high byte.
const (
	litErr        = 0
	litByte       = 1
	litChar       = 2
	litInteger    = 3
	litFloat      = 4
	litStr        = 5
	litStrRaw     = 6
	litByteStr    = 7
	litByteStrRaw = 8
	litCStr       = 9
	litCStrRaw    = 10
)

// quoting is how a quoted literal kind is written.
type quoting struct {
	prefix string
	quote  byte
}

// quoted are the literal kinds written between quotes: their prefix and
// quote character.
var quoted = map[uint32]quoting{
	litByte: {"b", '\''}, litChar: {"", '\''}, litStr: {"", '"'}, litByteStr: {"b", '"'}, litCStr: {"c", '"'},
	litStrRaw: {"r", '"'}, litByteStrRaw: {"br", '"'}, litCStrRaw: {"cr", '"'},
}

func isRaw(kind uint32) bool {
	return kind == litStrRaw || kind == litByteStrRaw || kind == litCStrRaw
}

// literalText is a literal's source text from its protocol form: the
// symbol (a string's contents without quotes), the kind and the suffix.
func literalText(symbol string, kind uint32, suffix string) (string, error) {
	q, quotedKind, hashes, err := literalKind(symbol, kind)
	if err != nil {
		return "", err
	}
	if !quotedKind { // integers, floats and the error kind are their symbol
		return symbol + suffix, nil
	}
	h := strings.Repeat("#", hashes)
	return q.prefix + h + string(q.quote) + symbol + string(q.quote) + h + suffix, nil
}

// literalTextLen is the length of literalText's result, found without
// building it.
func literalTextLen(symbol string, kind uint32, suffix string) (int, error) {
	q, quotedKind, hashes, err := literalKind(symbol, kind)
	if err != nil || !quotedKind {
		return len(symbol) + len(suffix), err
	}
	return len(q.prefix) + 2*hashes + 2 + len(symbol) + len(suffix), nil
}

// literalKind checks a protocol literal kind and returns its quoting: the
// prefix and quote of a quoted kind, and a raw string's number of '#'.
func literalKind(symbol string, kind uint32) (q quoting, quotedKind bool, hashes int, err error) {
	k, h := kind&0xff, kind>>8
	if kind > 0xffff || k > litCStrRaw || (h != 0 && !isRaw(k)) {
		return q, false, 0, fmt.Errorf("literal %q: bad kind %#x", clipText(symbol), kind)
	}
	q, quotedKind = quoted[k]
	return q, quotedKind, int(h), nil
}

// splitLiteral is the protocol form of a literal's source text, as a
// macro wrote it (Literal::to_string): symbol, kind and suffix.
func splitLiteral(text string) (symbol string, kind uint32, suffix string, err error) {
	bad := func() (string, uint32, string, error) {
		return "", 0, "", fmt.Errorf("the macro returned a literal that is not one: %q", text)
	}
	// Quoted kinds, longest prefix first.
	for _, k := range []uint32{litByteStrRaw, litCStrRaw, litStrRaw, litByte, litByteStr, litCStr, litChar, litStr} {
		q := quoted[k]
		if !strings.HasPrefix(text, q.prefix) {
			continue
		}
		rest := text[len(q.prefix):]
		hashes := 0
		if isRaw(k) {
			for hashes < len(rest) && rest[hashes] == '#' {
				hashes++
			}
			if hashes > 255 {
				return bad()
			}
		}
		if len(rest) <= hashes || rest[hashes] != q.quote {
			continue
		}
		body := rest[hashes+1:]
		closing := string(q.quote) + strings.Repeat("#", hashes)
		end := strings.LastIndex(body, closing)
		if isRaw(k) {
			end = strings.Index(body, closing)
		}
		if end < 0 {
			return bad()
		}
		return body[:end], k | uint32(hashes)<<8, body[end+len(closing):], nil
	}
	// Numbers: [-]digits, with a base prefix, a fraction or an exponent.
	s := strings.TrimPrefix(text, "-")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return bad()
	}
	digits := func(i int, ok func(byte) bool) int {
		for i < len(s) && (ok(s[i]) || s[i] == '_') {
			i++
		}
		return i
	}
	dec := func(c byte) bool { return c >= '0' && c <= '9' }
	hex := func(c byte) bool { return dec(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }
	kind = litInteger
	var end int
	switch {
	case len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b'):
		ok := dec
		if s[1] == 'x' {
			ok = hex
		}
		end = digits(2, ok)
	default:
		end = digits(0, dec)
		if end+1 < len(s) && s[end] == '.' && dec(s[end+1]) {
			kind, end = litFloat, digits(end+1, dec)
		} else if end+1 == len(s) && s[end] == '.' {
			kind, end = litFloat, end+1
		}
		if end < len(s) && (s[end] == 'e' || s[end] == 'E') {
			j := end + 1
			if j < len(s) && (s[j] == '+' || s[j] == '-') {
				j++
			}
			if j < len(s) && dec(s[j]) {
				kind, end = litFloat, digits(j, dec)
			}
		}
	}
	cut := len(text) - len(s) + end
	return text[:cut], kind, text[cut:], nil
}
