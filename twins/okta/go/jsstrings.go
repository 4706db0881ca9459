package main

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	e "twinverse/twins/goengine"
)

// JavaScript's string semantics where Go's differ, for what the TypeScript twin computes on text a caller sends:
// whitespace (\s, trim, split), case mapping (toLowerCase, toUpperCase), lengths in UTF-16 code units and
// localeCompare's collation.

// jsSpace is JavaScript's \s, for a regexp character class (Go's \s is ASCII only).
const jsSpace = `\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`

// jsDot is JavaScript's "." without the s flag, for a regexp: any character but a line terminator (Go's "." takes
// all but "\n").
const jsDot = `[^\n\r\x{2028}\x{2029}]`

// jsWhitespace is the set JavaScript's String.prototype.trim removes and \s matches: WhiteSpace and LineTerminator.
func jsWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\uFEFF':
		return true
	}
	return r >= '\u2000' && r <= '\u200A'
}

// jsTrim is JavaScript's String.prototype.trim (Go's TrimSpace also strips U+0085 and keeps U+FEFF).
func jsTrim(s string) string { return strings.TrimFunc(s, jsWhitespace) }

// jsWords is text.split(/\s+/).filter(Boolean): the words between runs of JavaScript's whitespace.
func jsWords(s string) []string { return strings.FieldsFunc(s, jsWhitespace) }

// jsLower is JavaScript's String.prototype.toLowerCase: Unicode's full lowercase mapping, with "İ" to "i̇" and a
// final sigma to "ς", which Go's strings.ToLower (simple mappings) does not do. A Caser keeps state, so one per call;
// ASCII text, the common case, needs none.
func jsLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Lower(language.Und).String(s)
}

// jsUpper is JavaScript's String.prototype.toUpperCase: the full mapping ("ß" to "SS", "ﬁ" to "FI").
func jsUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	return cases.Upper(language.Und).String(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// jsLen is a string's length in JavaScript: UTF-16 code units.
func jsLen(s string) int { return e.UTF16Len(s) }

// jsCollator is String.prototype.localeCompare without a locale: the Unicode Collation Algorithm with the root
// collation's defaults (what Node's ICU applies for English), which orders punctuation and symbols before digits
// and letters, and accented letters beside their base letter. A Collator keeps buffers: one per sort.
func jsCollator() func(a, b string) int {
	c := collate.New(language.Und)
	return c.CompareString
}
