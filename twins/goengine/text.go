package goengine

import (
	"strings"
	"unicode/utf8"
)

// Text as JavaScript holds it. Bytes a caller sends are decoded as the WHATWG UTF-8 decoder does (Node's
// Buffer.toString, URLSearchParams): each maximal ill-formed subsequence is one U+FFFD. A JSON escape of a lone
// surrogate (`"\ud800"`), which a JavaScript string keeps, is kept as its WTF-8 bytes (ED A0 80): the JSON writer
// writes it back as the escape JSON.stringify writes, and a length counts it as one character.

// decodeUTF8 is text as the WHATWG UTF-8 decoder reads its bytes.
func decodeUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\ufffd"...)
			i += maximalSubpart(s[i:])
			continue
		}
		b = append(b, s[i:i+size]...)
		i += size
	}
	return string(b)
}

// maximalSubpart is the length of the ill-formed sequence starting s: a lead byte and the continuation bytes that
// could still have completed it (Unicode's "maximal subpart"), or the one byte that can start nothing.
func maximalSubpart(s string) int {
	lo, hi := byte(0x80), byte(0xbf)
	need := 0
	switch c := s[0]; {
	case c >= 0xc2 && c <= 0xdf:
		need = 1
	case c == 0xe0:
		need, lo = 2, 0xa0
	case c == 0xed:
		need, hi = 2, 0x9f
	case c >= 0xe1 && c <= 0xef:
		need = 2
	case c == 0xf0:
		need, lo = 3, 0x90
	case c == 0xf4:
		need, hi = 3, 0x8f
	case c >= 0xf1 && c <= 0xf3:
		need = 3
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lo || s[n] > hi {
			break
		}
		lo, hi = 0x80, 0xbf
	}
	return n
}

// appendSurrogate appends a UTF-16 surrogate code unit (0xD800 to 0xDFFF) as its WTF-8 bytes.
func appendSurrogate(b []byte, unit rune) []byte {
	return append(b, byte(0xe0|unit>>12), byte(0x80|(unit>>6)&0x3f), byte(0x80|unit&0x3f))
}

// surrogateAt is the surrogate code unit whose WTF-8 bytes start s[i:], or 0.
func surrogateAt(s string, i int) rune {
	if i+2 < len(s) && s[i] == 0xed && s[i+1] >= 0xa0 && s[i+1] <= 0xbf && s[i+2] >= 0x80 && s[i+2] <= 0xbf {
		return 0xd000 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
	}
	return 0
}

// CodePoints is a string's length in code points, as [...s].length and ajv's maxLength count it: a lone
// surrogate is one.
func CodePoints(s string) int {
	n := utf8.RuneCountInString(s)
	if strings.IndexByte(s, 0xed) < 0 {
		return n
	}
	for i := 0; i < len(s); i++ {
		if unit := surrogateAt(s, i); unit != 0 {
			// Three bytes, one code unit; a high one right before a low one makes one character with it.
			n -= 2
			i += 2
			if unit < 0xdc00 && surrogateAt(s, i+1) >= 0xdc00 {
				n -= 3
				i += 3
			}
		}
	}
	return n
}

// UTF16Len is a string's length as JavaScript's length counts it, in UTF-16 code units: a character beyond the
// Basic Multilingual Plane is two, a lone surrogate one.
func UTF16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if surrogateAt(s, i) != 0 {
			n++
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n++
		if r >= 0x10000 {
			n++
		}
		i += size
	}
	return n
}
