package goengine

import (
	"strings"
)

// SearchParams is a query string read as WHATWG URLSearchParams reads it ('+' is a space, bad escapes stay as
// they are, the bytes escapes give are read as UTF-8 with one U+FFFD per maximal ill-formed subsequence), so that
// links built from it are the TypeScript twin's, byte for byte.
type SearchParams struct{ pairs [][2]string }

// ParseSearch reads a query string (without "?").
func ParseSearch(raw string) *SearchParams {
	sp := &SearchParams{}
	sp.parse(raw)
	return sp
}

// parse reads a query string into sp, which is empty.
func (sp *SearchParams) parse(raw string) {
	if raw == "" {
		return
	}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		sp.pairs = append(sp.pairs, [2]string{formDecode(k), formDecode(v)})
	}
}

func formDecode(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if !strings.Contains(s, "%") {
		return s
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return decodeUTF8(string(out))
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Has says whether a name is present.
func (sp *SearchParams) Has(name string) bool {
	for _, kv := range sp.pairs {
		if kv[0] == name {
			return true
		}
	}
	return false
}

// Get is the first value of a name.
func (sp *SearchParams) Get(name string) (string, bool) {
	for _, kv := range sp.pairs {
		if kv[0] == name {
			return kv[1], true
		}
	}
	return "", false
}

// GetAll is every value of a name, in order.
func (sp *SearchParams) GetAll(name string) []string {
	var out []string
	for _, kv := range sp.pairs {
		if kv[0] == name {
			out = append(out, kv[1])
		}
	}
	return out
}

// Clone copies the pairs.
func (sp *SearchParams) Clone() *SearchParams {
	return &SearchParams{pairs: append([][2]string(nil), sp.pairs...)}
}

// Set replaces the first pair of a name and drops the others, or appends one, as URLSearchParams.set does.
func (sp *SearchParams) Set(name, value string) {
	out := sp.pairs[:0:0]
	done := false
	for _, kv := range sp.pairs {
		if kv[0] != name {
			out = append(out, kv)
		} else if !done {
			out = append(out, [2]string{name, value})
			done = true
		}
	}
	if !done {
		out = append(out, [2]string{name, value})
	}
	sp.pairs = out
}

// Encode serializes as application/x-www-form-urlencoded, exactly as URLSearchParams.toString does.
func (sp *SearchParams) Encode() string {
	var b strings.Builder
	for i, kv := range sp.pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		formEncode(&b, kv[0])
		b.WriteByte('=')
		formEncode(&b, kv[1])
	}
	return b.String()
}

func formEncode(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// Pairs are the name/value pairs in order; the slice is the params' own and must not be changed.
func (sp *SearchParams) Pairs() [][2]string { return sp.pairs }

// Append adds a pair, as URLSearchParams.append does.
func (sp *SearchParams) Append(name, value string) {
	sp.pairs = append(sp.pairs, [2]string{name, value})
}
