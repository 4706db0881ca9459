package main

import (
	"net/url"
	"reflect"
	"testing"
)

// Text a caller sends is cased, trimmed and split as JavaScript does it (the answers below are Node's).
func TestJavaScriptStringSemantics(t *testing.T) {
	for in, want := range map[string]string{"İx": "i̇x", "ΟΔΟΣ": "οδος", "ΑΣ Β": "ας β", "ABC": "abc"} {
		if got := jsLower(in); got != want {
			t.Errorf("%q.toLowerCase() = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"straße": "STRASSE", "ﬁx": "FIX", "abc": "ABC"} {
		if got := jsUpper(in); got != want {
			t.Errorf("%q.toUpperCase() = %q, want %q", in, got, want)
		}
	}
	if got := jsTrim("\ufeff a\u0085"); got != "a\u0085" {
		t.Errorf("trim: %q", got)
	}
	if got := jsWords(" a\u00a0b\u0085c "); !reflect.DeepEqual(got, []string{"a", "b\u0085c"}) {
		t.Errorf("split(/\\s+/): %q", got)
	}
	// A lone surrogate (kept as its WTF-8 bytes, as a JSON "\ud800" leaves it) is one code unit.
	for text, want := range map[string]int{"a😀": 3, "a\xed\xa0\x80b": 3, "\xed\xb0\x80": 1, "é": 1} {
		if got := jsLen(text); got != want {
			t.Errorf("length of %q: %d, want %d", text, got, want)
		}
	}
}

// Groups sorted by a text property follow localeCompare: punctuation and symbols before digits and letters, and an
// accented letter beside its base letter (Go's byte order would put "Éclair" after "zeta" and "~tilde" last).
func TestGroupSearchSortsAsLocaleCompare(t *testing.T) {
	c := newClient(t)
	names := []string{"f", "Éclair", "~tilde", "eclair", "0digit", "[x", "zeta"}
	for _, name := range names {
		c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": name}})
	}
	var got []string
	for _, g := range c.do("GET", "/api/v1/groups?search="+url.QueryEscape(`type eq "OKTA_GROUP"`)+"&sortBy=profile.name", nil).list(t) {
		got = append(got, g["profile"].(map[string]any)["name"].(string))
	}
	want := []string{"[x", "~tilde", "0digit", "eclair", "Éclair", "f", "zeta"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q, want %q", got, want)
	}
}
