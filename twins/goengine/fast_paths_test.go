package goengine

import (
	"math/rand"
	"testing"
)

// Strings are scanned eight bytes at a time; whatever the bytes, the text must be what the byte-by-byte writer gives.
func TestStringWriterMatchesTheByteByByteOne(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	alphabet := []byte{'a', 'Z', ' ', '~', 0x7f, '"', '\\', 0x1f, 0x20, 0x21, 0x00, '\n', 0x80, 0xc3, 0xa9, 0xff, 0xe2, 0x82, 0xac, 0xed, 0xa0, '/', '<'}
	for i := 0; i < 200000; i++ {
		n := r.Intn(40)
		b := make([]byte, n)
		for j := range b {
			if r.Intn(4) == 0 {
				b[j] = alphabet[r.Intn(len(alphabet))]
			} else {
				b[j] = byte(r.Intn(256))
			}
		}
		s := string(b)
		if got, want := string(appendString(nil, s)), `"`+string(appendStringBytes(nil, s, false))+`"`; got != want {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
	for c := 0; c < 256; c++ {
		for at := 0; at < 16; at++ {
			b := []byte("abcdefghijklmnopq")
			b[at] = byte(c)
			s := string(b)
			if got, want := string(appendString(nil, s)), `"`+string(appendStringBytes(nil, s, false))+`"`; got != want {
				t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
			}
		}
	}
}

// Objects made from the same literal keys share their keys; whatever one of them goes through (keys added, array
// indexes put first, keys removed, writes undone), the others keep theirs.
func TestObjectsOfOneShapeKeepTheirOwnKeys(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	make5 := func(i int) *Object { return NewObject("id", i, "name", "n", "type", "T", "status", "S", "last", nil) }
	make5(0) // the first one teaches the shape
	for round := 0; round < 2000; round++ {
		a, b := make5(1), make5(2)
		if &a.keys[0] != &b.keys[0] {
			t.Fatal("objects of one shape do not share their keys")
		}
		ctx := &Ctx{tx: &tx{saved: map[*Object]bool{}}}
		for n := 0; n < 1+r.Intn(6); n++ {
			switch k := []string{"id", "name", "type", "status", "last", "extra", "7", "0", "x"}[r.Intn(9)]; r.Intn(3) {
			case 0:
				ctx.Delete(a, k)
			default:
				ctx.Set(a, k, n)
			}
		}
		if got := string(Marshal(b)); got != `{"id":2,"name":"n","type":"T","status":"S","last":null}` {
			t.Fatalf("round %d: the other object became %s (this one is %s)", round, got, Marshal(a))
		}
		ctx.tx.rollback()
		if got := string(Marshal(a)); got != `{"id":1,"name":"n","type":"T","status":"S","last":null}` {
			t.Fatalf("round %d: rolled back to %s", round, got)
		}
		if got := string(Marshal(make5(3))); got != `{"id":3,"name":"n","type":"T","status":"S","last":null}` {
			t.Fatalf("round %d: a new object of the shape is %s", round, got)
		}
	}
	// Keys that repeat, or that JavaScript orders otherwise (array indexes), are not a shape: the object is made key by key.
	for i := 0; i < 3; i++ {
		if got := string(Marshal(NewObject("a", 1, "b", 2, "a", 3))); got != `{"a":3,"b":2}` {
			t.Fatalf("repeated keys: %s", got)
		}
		if got := string(Marshal(NewObject("b", 1, "2", 2, "1", 3))); got != `{"1":3,"2":2,"b":1}` {
			t.Fatalf("array indexes: %s", got)
		}
	}
}

// The same with a shape of more keys than an object is saved whole for (its writes are undone key by key).
func TestLargerObjectsOfOneShapeKeepTheirOwnKeys(t *testing.T) {
	r := rand.New(rand.NewSource(17))
	keys := []string{"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13"}
	make14 := func(v int) *Object {
		return NewObject("k0", v, "k1", v, "k2", v, "k3", v, "k4", v, "k5", v, "k6", v, "k7", v, "k8", v, "k9", v, "k10", v, "k11", v, "k12", v, "k13", v)
	}
	make14(0)
	want := func(v int) string { return string(Marshal(make14(v))) }
	for round := 0; round < 2000; round++ {
		a, b := make14(1), make14(2)
		if &a.keys[0] != &b.keys[0] {
			t.Fatal("objects of one shape do not share their keys")
		}
		before := string(Marshal(a))
		ctx := &Ctx{tx: &tx{saved: map[*Object]bool{}}}
		for n := 0; n < 1+r.Intn(8); n++ {
			k := append(keys, "5", "x", "0")[r.Intn(len(keys)+3)]
			if r.Intn(3) == 0 {
				ctx.Delete(a, k)
			} else {
				ctx.Set(a, k, n+10)
			}
		}
		if got := string(Marshal(b)); got != want(2) {
			t.Fatalf("round %d: the other object became %s", round, got)
		}
		ctx.tx.rollback()
		if got := string(Marshal(a)); got != before {
			t.Fatalf("round %d: rolled back to %s, want %s", round, got, before)
		}
	}
}

// CopyObject gives what copying key by key gives: the same keys in the same order, the same values, an index
// when large.
func TestCopyObjectIsACopyKeyByKey(t *testing.T) {
	r := rand.New(rand.NewSource(19))
	keys := []string{"a", "b", "3", "0", "17", "x", "login", "email", "z", "y", "w", "v", "u", "t", "s", "q", "p", "o"}
	for round := 0; round < 3000; round++ {
		o := NewObject()
		for n := r.Intn(len(keys) + 1); n > 0; n-- {
			o.Set(keys[r.Intn(len(keys))], n)
		}
		want := NewObject()
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			want.Set(k, v)
		}
		c := CopyObject(o)
		if string(Marshal(c)) != string(Marshal(want)) {
			t.Fatalf("copy %s, want %s", Marshal(c), Marshal(want))
		}
		c.Set("new", 1)
		if o.Has("new") || string(Marshal(o)) != string(Marshal(want)) {
			t.Fatal("the copy shares its keys with the original")
		}
		for _, k := range want.Keys() {
			if got, _ := c.Get(k); got != mustGet(want, k) {
				t.Fatalf("the copy finds %v under %s", got, k)
			}
		}
	}
	if CopyObject(nil).Len() != 0 || string(Marshal(CopyObject(nil))) != "{}" {
		t.Fatal("a copy of nothing is not an empty object")
	}
}

// Copies (Clone, CopyObject) of an object of a known shape share its keys, and stay apart from it whatever either
// goes through.
func TestCopiesOfAShapeKeepTheirOwnKeys(t *testing.T) {
	r := rand.New(rand.NewSource(29))
	make4 := func(i int) *Object { return NewObject("a", i, "b", "x", "c", "y", "d", nil) }
	make4(0)
	for round := 0; round < 2000; round++ {
		original := make4(1)
		copies := []*Object{CloneObj(original), CopyObject(original)}
		for _, c := range copies {
			if &c.keys[0] != &original.keys[0] {
				t.Fatal("a copy of a shape does not share its keys")
			}
		}
		victim := []*Object{original, copies[0], copies[1]}[r.Intn(3)]
		for n := 0; n < 1+r.Intn(5); n++ {
			k := []string{"a", "b", "c", "d", "e", "3", "0"}[r.Intn(7)]
			if r.Intn(3) == 0 {
				victim.Delete(k)
			} else {
				victim.Set(k, n)
			}
		}
		for _, o := range []*Object{original, copies[0], copies[1]} {
			if o != victim && string(Marshal(o)) != `{"a":1,"b":"x","c":"y","d":null}` {
				t.Fatalf("round %d: an untouched copy became %s", round, Marshal(o))
			}
		}
	}
}
