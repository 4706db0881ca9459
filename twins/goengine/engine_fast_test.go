package goengine

import (
	"math/rand"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf8"
)

// The Host check is written out for speed; it must accept exactly what the regular expression it replaces does.
func TestValidHostIsTheRegularExpression(t *testing.T) {
	want := regexp.MustCompile(`(?i)^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$`)
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a'
		}
		return string(b)
	}
	cases := []string{"", "a", "A", "localhost", "localhost:4010", "127.0.0.1:80", "dev-123.okta.test", "-a", "a-", "a.", ".a", "a..b",
		"a:", "a:123456", "a:12345", "a:1x", ":80", "[::1]", "[::1]:4010", "[::1]:", "[:]", "[::G]", "[" + long(46) + "]", "[1]", "[" + "0:0:0:0:0:0:0:1" + "]",
		"[::1", "::1", "a b", "a_b", "ſ", "K", "aſb", "éa", "a\xffb", long(253), long(254), long(252) + "ſ", long(253) + ":1", "x:80:80", "[::1]x"}
	r := rand.New(rand.NewSource(12))
	alphabet := []string{"a", "Z", "0", "9", ".", "-", ":", "[", "]", "ſ", "K", "é", "_", "f", "G", "1"}
	for i := 0; i < 20000; i++ {
		s := ""
		for n := r.Intn(9); n > 0; n-- {
			s += alphabet[r.Intn(len(alphabet))]
		}
		cases = append(cases, s)
	}
	for _, c := range cases {
		if got := validHost(c); got != want.MatchString(c) {
			t.Fatalf("validHost(%q) = %v, the expression says %v", c, got, !got)
		}
	}
}

// A write to a collection is undone key by key rather than by a copy of the collection; whatever the writes, the
// rollback gives back the same keys, values and order as a copy would.
func TestRollingBackACollectionRestoresItExactly(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "3", "17", "x", "y"}
	for round := 0; round < 500; round++ {
		o := NewObject()
		for _, k := range keys[:13+r.Intn(6)] {
			o.Set(k, k+"0")
		}
		before := string(Marshal(o))
		ctx := &Ctx{tx: &tx{saved: map[*Object]bool{}}}
		for n := 0; n < 1+r.Intn(12); n++ {
			k := keys[r.Intn(len(keys))]
			if r.Intn(3) == 0 {
				ctx.Delete(o, k)
			} else {
				ctx.Set(o, k, k+strconv.Itoa(n+1))
			}
		}
		ctx.tx.rollback()
		if after := string(Marshal(o)); after != before {
			t.Fatalf("round %d: rolled back to %s, want %s", round, after, before)
		}
		for _, k := range o.Keys() {
			if v, _ := o.Get(k); v != k+"0" {
				t.Fatalf("round %d: the index finds %v under %s", round, v, k)
			}
		}
	}
}

// Strings are written in one pass: escapes, non-ASCII text as it is, a byte that is not UTF-8 as U+FFFD, a lone
// surrogate's WTF-8 as its escape.
func TestStringsAreWrittenAsJavaScriptWritesThem(t *testing.T) {
	for in, want := range map[string]string{
		"plain":           `"plain"`,
		"q\"b\\n\n\t\x01": `"q\"b\\n\n\t\u0001"`,
		"é日本\U0001F600":   `"é日本` + "\U0001F600" + `"`,
		"a\xffb\xc3":      `"a` + "\ufffd" + `b` + "\ufffd" + `"`,
		"\xed\xa0\x80x":   `"\ud800x"`,
		"\xed\xa0":        `"` + "\ufffd\ufffd" + `"`,
	} {
		got := string(Marshal(in))
		if got != want || !utf8.ValidString(got) {
			t.Fatalf("Marshal(%q) = %s, want %s", in, got, want)
		}
		if back, err := Parse([]byte(got), 1); err != nil || (utf8.ValidString(in) && back != in) {
			t.Fatalf("Parse(%s) = %q, %v", got, back, err)
		}
	}
}
