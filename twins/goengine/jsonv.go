package goengine

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Object is a JSON object that keeps its keys in the order JavaScript does: array-index keys ("0", "17")
// first in ascending order, then the others in insertion order. State exported by the TypeScript twin and
// by this one must serialize byte for byte alike, so the order is part of the data. Small objects (most
// records) are searched in order; a large one (a collection of records) also keeps an index by key.
type Object struct {
	keys  []string
	vals  []any
	index map[string]int
}

// indexAbove is the size from which an object keeps a map from key to position. A record (a user, an event: up to
// a few dozen keys) is searched in order, which is as fast as hashing at that size; a map would cost it about
// 50 bytes a key. Collections of records (users by id) are larger and keep one.
const indexAbove = 32

// Objects of up to 16 keys are one allocation: the object and the arrays of its keys and values together. They
// take the same memory as the three separate allocations would (the size classes match), in a third of the
// allocations; an object that grows past its room moves its keys and values out, as a slice does.
type (
	object1 struct {
		Object
		k [1]string
		v [1]any
	}
	object2 struct {
		Object
		k [2]string
		v [2]any
	}
	object3 struct {
		Object
		k [3]string
		v [3]any
	}
	object4 struct {
		Object
		k [4]string
		v [4]any
	}
	object5 struct {
		Object
		k [5]string
		v [5]any
	}
	object6 struct {
		Object
		k [6]string
		v [6]any
	}
	object8 struct {
		Object
		k [8]string
		v [8]any
	}
	object10 struct {
		Object
		k [10]string
		v [10]any
	}
	object12 struct {
		Object
		k [12]string
		v [12]any
	}
	object16 struct {
		Object
		k [16]string
		v [16]any
	}
)

// newObjectCap makes an empty object with room for n keys.
func newObjectCap(n int) *Object {
	switch {
	case n <= 0:
		return &Object{}
	case n == 1:
		s := &object1{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n == 2:
		s := &object2{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n == 3:
		s := &object3{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n == 4:
		s := &object4{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n == 5:
		s := &object5{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n == 6:
		s := &object6{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n <= 8:
		s := &object8{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n <= 10:
		s := &object10{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n <= 12:
		s := &object12{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	case n <= 16:
		s := &object16{}
		s.keys, s.vals = s.k[:0], s.v[:0]
		return &s.Object
	}
	return &Object{keys: make([]string, 0, n), vals: make([]any, 0, n)}
}

// NewObject makes an object from key/value pairs given in order.
func NewObject(pairs ...any) *Object {
	size := len(pairs) / 2
	if size == 0 {
		// An object made empty is mostly built key by key (an answer): room for a few keys saves growing through 1 and 2.
		return newObjectCap(4)
	}
	if keys := knownShape(pairs); keys != nil {
		o := newObjectVals(size)
		o.keys = keys
		for i := 0; i < size; i++ {
			o.vals = append(o.vals, pairs[2*i+1])
		}
		return o
	}
	o := newObjectCap(size)
	for i := 0; i+1 < len(pairs); i += 2 {
		o.Set(pairs[i].(string), pairs[i+1])
	}
	rememberShape(pairs, o)
	return o
}

// NewObjectSize makes an empty object with room for n keys, for one built key by key whose size is known.
func NewObjectSize(n int) *Object { return newObjectCap(n) }

// Len is the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Keys are the keys in order; the slice is the object's own and must not be changed.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

func (o *Object) find(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

func (o *Object) reindex() {
	if len(o.keys) <= indexAbove {
		o.index = nil
		return
	}
	o.index = make(map[string]int, len(o.keys))
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// Get reads a key.
func (o *Object) Get(key string) (any, bool) {
	if i := o.find(key); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// Has says whether the key is present.
func (o *Object) Has(key string) bool { return o.find(key) >= 0 }

// Set writes a key; a new key goes where JavaScript would put it, an existing one keeps its place.
func (o *Object) Set(key string, v any) {
	if i := o.find(key); i >= 0 {
		o.vals[i] = v
		return
	}
	if n, ok := arrayIndex(key); ok {
		i := 0
		for i < len(o.keys) {
			m, isIndex := arrayIndex(o.keys[i])
			if !isIndex || m > n {
				break
			}
			i++
		}
		o.keys = append(o.keys, "")
		o.vals = append(o.vals, nil)
		copy(o.keys[i+1:], o.keys[i:])
		copy(o.vals[i+1:], o.vals[i:])
		o.keys[i], o.vals[i] = key, v
		o.reindex()
		return
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	if o.index != nil {
		o.index[key] = len(o.keys) - 1
	} else if len(o.keys) > indexAbove {
		o.reindex()
	}
}

// Delete removes a key; it reports whether the key was there.
func (o *Object) Delete(key string) bool {
	i := o.find(key)
	if i < 0 {
		return false
	}
	o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i:i], o.vals[i+1:]...)
	if o.index != nil {
		o.reindex()
	}
	return true
}

// insertAt puts a deleted key back at its place (a transaction's undo of a Delete).
func (o *Object) insertAt(i int, key string, v any) {
	o.keys = append(o.keys, "")
	o.vals = append(o.vals, nil)
	copy(o.keys[i+1:], o.keys[i:])
	copy(o.vals[i+1:], o.vals[i:])
	o.keys[i], o.vals[i] = key, v
	o.reindex()
}

// restore puts back keys and values saved before a write (a transaction's undo).
func (o *Object) restore(keys []string, vals []any) {
	o.keys, o.vals = keys, vals
	o.reindex()
}

// arrayIndex reports whether a key is a canonical array index (which JavaScript orders first).
func arrayIndex(key string) (uint64, bool) {
	if key == "" || key[0] < '0' || key[0] > '9' || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(key, 10, 64)
	if err != nil || n >= math.MaxUint32 {
		return 0, false
	}
	return n, true
}

// Obj reads a key as an object (nil when absent or not an object).
func (o *Object) Obj(key string) *Object {
	v, _ := o.Get(key)
	m, _ := v.(*Object)
	return m
}

// Str reads a key as a string ("" when absent or not a string).
func (o *Object) Str(key string) string {
	v, _ := o.Get(key)
	s, _ := v.(string)
	return s
}

// Arr reads a key as an array (nil when absent or not an array).
func (o *Object) Arr(key string) []any {
	v, _ := o.Get(key)
	a, _ := v.([]any)
	return a
}

// Clone copies a JSON value deeply.
func Clone(v any) any {
	switch t := v.(type) {
	case *Object:
		if t == nil {
			return (*Object)(nil)
		}
		var c *Object
		if shared := shapeOfKeys(t.keys); shared != nil {
			c = newObjectVals(len(shared))
			c.keys = shared
		} else {
			c = newObjectCap(len(t.keys))
			c.keys = append(c.keys, t.keys...)
		}
		c.vals = c.vals[:len(t.vals)]
		for i, x := range t.vals {
			c.vals[i] = Clone(x)
		}
		c.reindex()
		return c
	case []any:
		return mapItems(t, Clone)
	default:
		return v
	}
}

// mapItems is a new array of f of each item, as Clone and Native walk arrays.
func mapItems(items []any, f func(any) any) []any {
	out := make([]any, len(items))
	for i, x := range items {
		out[i] = f(x)
	}
	return out
}

// CloneObj copies an object deeply.
func CloneObj(o *Object) *Object {
	c, _ := Clone(o).(*Object)
	return c
}

// Native turns a value into plain Go maps and slices, as JSON-schema validators take them.
func Native(v any) any {
	switch t := v.(type) {
	case *Object:
		if t == nil {
			return nil
		}
		m := make(map[string]any, len(t.keys))
		for i, k := range t.keys {
			m[k] = Native(t.vals[i])
		}
		return m
	case []any:
		return mapItems(t, Native)
	default:
		return v
	}
}

// ErrTooDeep is returned by Parse for text that nests deeper than it was allowed to.
var ErrTooDeep = errors.New("JSON nests too deep")

// Parse reads JSON text into ordered values (objects as *Object, numbers as float64), refusing text that
// nests more than maxDepth arrays and objects inside each other.
func Parse(data []byte, maxDepth int) (any, error) {
	p := &parser{data: data, maxDepth: maxDepth}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.data) {
		return nil, p.fail()
	}
	return v, nil
}

type parser struct {
	data     []byte
	pos      int
	maxDepth int
	// keys, vals and items are the members of the objects and arrays being read, nested ones above outer ones.
	keys  []string
	vals  []any
	items []any
}

func (p *parser) fail() error {
	return errors.New("malformed JSON at offset " + strconv.Itoa(p.pos))
}

func (p *parser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// open steps into an object or array at its opening bracket, refusing it past the depth limit; empty says it closes
// at once (its closer is then read).
func (p *parser) open(depth int, closer byte) (empty bool, err error) {
	if depth+1 > p.maxDepth {
		return false, ErrTooDeep
	}
	p.pos++
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == closer {
		p.pos++
		return true, nil
	}
	return false, nil
}

// more reads what follows a member of an object or array: a comma (more members follow) or its closer (it ends).
func (p *parser) more(closer byte) (bool, error) {
	p.space()
	if p.pos >= len(p.data) {
		return false, p.fail()
	}
	switch p.data[p.pos] {
	case ',':
		p.pos++
		return true, nil
	case closer:
		p.pos++
		return false, nil
	}
	return false, p.fail()
}

func (p *parser) value(depth int) (any, error) {
	if p.pos >= len(p.data) {
		return nil, p.fail()
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		if empty, err := p.open(depth, '}'); empty || err != nil {
			return newObjectCap(0), err
		}
		// The members are gathered on the parser's stack first, so that the object is made once, at its size.
		// A failure ends the whole parse, so only a success needs to take its members off the stack.
		mark := len(p.keys)
		for {
			p.space()
			if p.pos >= len(p.data) || p.data[p.pos] != '"' {
				return nil, p.fail()
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.pos >= len(p.data) || p.data[p.pos] != ':' {
				return nil, p.fail()
			}
			p.pos++
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			p.keys = append(p.keys, k)
			p.vals = append(p.vals, v)
			more, err := p.more('}')
			if err != nil {
				return nil, err
			}
			if !more {
				o := newObjectCap(len(p.keys) - mark)
				for i := mark; i < len(p.keys); i++ {
					o.Set(p.keys[i], p.vals[i])
				}
				clear(p.vals[mark:])
				p.keys, p.vals = p.keys[:mark], p.vals[:mark]
				return o, nil
			}
		}
	case c == '[':
		if empty, err := p.open(depth, ']'); empty || err != nil {
			return []any{}, err
		}
		mark := len(p.items)
		for {
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			p.items = append(p.items, v)
			more, err := p.more(']')
			if err != nil {
				return nil, err
			}
			if !more {
				a := append(make([]any, 0, len(p.items)-mark), p.items[mark:]...)
				clear(p.items[mark:])
				p.items = p.items[:mark]
				return a, nil
			}
		}
	case c == '"':
		return p.str()
	case c == 't':
		return p.word("true", true)
	case c == 'f':
		return p.word("false", false)
	case c == 'n':
		return p.word("null", nil)
	default:
		return p.number()
	}
}

func (p *parser) word(w string, v any) (any, error) {
	if !strings.HasPrefix(string(p.data[p.pos:min(len(p.data), p.pos+len(w))]), w) {
		return nil, p.fail()
	}
	p.pos += len(w)
	return v, nil
}

func (p *parser) number() (any, error) {
	start := p.pos
	if p.pos < len(p.data) && p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if digits() == 0 || (p.data[intStart] == '0' && p.pos-intStart > 1) {
		return nil, p.fail()
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.fail()
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.fail()
		}
	}
	f, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, p.fail()
	}
	return f, nil
}

func hexVal(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(n), err == nil
}

func (p *parser) str() (string, error) {
	p.pos++
	// Most strings have no escape: they are one slice of the text.
	for i := p.pos; i < len(p.data); i++ {
		c := p.data[i]
		if c == '"' {
			s := string(p.data[p.pos:i])
			p.pos = i + 1
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	var sb strings.Builder
	for {
		if p.pos >= len(p.data) {
			return "", p.fail()
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return sb.String(), nil
		case c < 0x20:
			return "", p.fail()
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				return "", p.fail()
			}
			e := p.data[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				sb.WriteByte(e)
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			case 't':
				sb.WriteByte('\t')
			case 'u':
				r, ok := hexVal(p.data[p.pos:])
				if !ok {
					return "", p.fail()
				}
				p.pos += 4
				if utf16.IsSurrogate(r) && p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					if r2, ok := hexVal(p.data[p.pos+2:]); ok {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							p.pos += 6
							r = pair
						}
					}
				}
				if utf16.IsSurrogate(r) {
					// A lone surrogate, which JSON.parse keeps in its string: kept as WTF-8 (text.go).
					var units [3]byte
					sb.Write(appendSurrogate(units[:0], r))
					continue
				}
				sb.WriteRune(r)
			default:
				return "", p.fail()
			}
		default:
			sb.WriteByte(c)
			p.pos++
		}
	}
}

// RawJSON is a value already written as JSON text, which Marshal writes as it is: an answer a handler writes
// itself, or part of one. The text must be one well-formed JSON value (Marshal does not check it).
type RawJSON string

// AppendJSON appends a value as Marshal writes it.
func AppendJSON(b []byte, v any) []byte { return appendValue(b, v) }

// AppendJSONString appends, as Marshal writes strings, the string the parts make together, without making it.
func AppendJSONString(b []byte, parts ...string) []byte {
	for _, p := range parts {
		if !utf8.ValidString(p) {
			// A part may end inside a character the next one finishes: the whole is written as one string.
			return appendString(b, strings.Join(parts, ""))
		}
	}
	// Valid parts make a valid whole with the same characters, each written on its own.
	b = append(b, '"')
	for _, p := range parts {
		b = appendStringBody(b, p)
	}
	return append(b, '"')
}

// AppendJSONText appends a string as Marshal writes it, without the quotes around it. Texts written one after the
// other inside one pair of quotes are their concatenation written, when each is valid UTF-8 (AppendJSONString).
func AppendJSONText(b []byte, s string) []byte { return appendStringBody(b, s) }

// CopyObject is a shallow copy of an object: its keys in their order, and the same values.
func CopyObject(o *Object) *Object {
	if o == nil {
		return newObjectCap(0)
	}
	var c *Object
	if shared := shapeOfKeys(o.keys); shared != nil {
		c = newObjectVals(len(shared))
		c.keys = shared
	} else {
		c = newObjectCap(len(o.keys))
		c.keys = append(c.keys, o.keys...)
	}
	c.vals = append(c.vals, o.vals...)
	c.reindex()
	return c
}

// Marshal writes a value as JavaScript's JSON.stringify does: no HTML escaping, lower-case \u escapes for
// control characters, numbers in JavaScript's shortest form.
func Marshal(v any) []byte {
	return appendValue(make([]byte, 0, 1024), v)
}

// appendArray appends a JSON array of the items, each written by appendItem.
func appendArray[T any](b []byte, items []T, appendItem func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, x)
	}
	return append(b, ']')
}

func appendValue(b []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if t {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case string:
		return appendString(b, t)
	case float64:
		return append(b, FormatNumber(t)...)
	case int:
		return strconv.AppendInt(b, int64(t), 10)
	case int64:
		return strconv.AppendInt(b, t, 10)
	case uint32:
		return strconv.AppendUint(b, uint64(t), 10)
	case *Object:
		if t == nil {
			return append(b, "null"...)
		}
		b = append(b, '{')
		for i, k := range t.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, t.vals[i])
		}
		return append(b, '}')
	case []any:
		return appendArray(b, t, appendValue)
	case []string:
		return appendArray(b, t, appendString)
	case RawJSON:
		return append(b, t...)
	default:
		return append(b, "null"...)
	}
}

const hexDigits = "0123456789abcdef"

// plainASCII8 says whether eight bytes (one in each byte of x) are all ASCII that JSON writes as it is: none is a
// control character (below 0x20), a quote, a backslash or a byte of a multi-byte character (0x80 and above).
func plainASCII8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below20 := (x - ones*0x20) & ^x
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	zeroQuote := (quote - ones) & ^quote
	zeroBackslash := (backslash - ones) & ^backslash
	return (x|below20|zeroQuote|zeroBackslash)&highs == 0
}

// appendString writes a string as JSON; a byte that is not UTF-8 becomes U+FFFD, as JavaScript's strings hold it,
// and a lone surrogate's WTF-8 its escape (appendIllFormed).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendStringBody(b, s)
	return append(b, '"')
}

// appendStringBody is appendString without the quotes.
func appendStringBody(b []byte, s string) []byte { return appendStringBytes(b, s, true) }

// appendStringBytes writes a string's text as appendStringBody does; by8 skips eight plain ASCII bytes at a time
// (the same text as byte by byte, which the tests compare).
func appendStringBytes(b []byte, s string, by8 bool) []byte {
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none of them needs a look (most text is plain ASCII).
		if by8 && i+8 <= len(s) && plainASCII8(binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))) {
			i += 8
			continue
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b, i = appendIllFormed(b, s, i)
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
		i++
		start = i
	}
	return append(b, s[start:]...)
}

// appendIllFormed writes the bytes at s[i:] that are not UTF-8 and returns where the text goes on: a lone
// surrogate's WTF-8 as JSON.stringify writes the surrogate (`\ud800`), a high one and a low one together as the
// character they make, and any other byte as U+FFFD, as JavaScript's strings hold it.
func appendIllFormed(b []byte, s string, i int) ([]byte, int) {
	unit := surrogateAt(s, i)
	if unit == 0 {
		return append(b, "\ufffd"...), i + 1
	}
	if low := surrogateAt(s, i+3); unit < 0xdc00 && low >= 0xdc00 {
		return utf8.AppendRune(b, utf16.DecodeRune(unit, low)), i + 6
	}
	return append(b, '\\', 'u', hexDigits[unit>>12], hexDigits[unit>>8&15], hexDigits[unit>>4&15], hexDigits[unit&15]), i + 3
}

// FormatNumber writes a number as JavaScript's Number.prototype.toString does.
func FormatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	if f == 0 {
		return "0"
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	// Go writes 1e+21 as "1e+21" and 1e-7 as "1e-07"; JavaScript drops the exponent's leading zeros.
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + string(sign) + exp
}
