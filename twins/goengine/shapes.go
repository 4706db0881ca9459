package goengine

import (
	"sync/atomic"
	"unsafe"
)

// Shapes: objects made by NewObject from the same literal keys (a System Log event, a user record, the parts of
// each) share one array of keys, as a JavaScript engine's objects of one shape share their hidden class. A twin
// keeps thousands of such records, and their keys would otherwise be a fifth of its memory.
//
// A shared array is never written: its slices are full (length = capacity), so a key added to an object appends to
// a new array; a key removed makes a new one (Delete), or a shorter full slice of the same; and the keys' order
// changes only by such a new array (an array index put first). Only objects without an index (indexAbove keys at
// most) share keys, since the index would be shared too.

// shape is a remembered list of keys; keys holds the very strings the pairs gave (their text is the same memory).
type shape struct{ keys []string }

const shapeSlots = 4096

// shapes is a direct-mapped table of shapes, found by where their first and last keys' text is and how many they are.
var shapes [shapeSlots]atomic.Pointer[shape]

// shapeSlot is where the shape of pairs would be, or -1 when pairs cannot have one (a key that is not a string,
// too many keys, an odd count).
func shapeSlot(pairs []any) int {
	n := len(pairs) / 2
	if n == 0 || n > indexAbove || len(pairs)%2 != 0 {
		return -1
	}
	first, ok1 := pairs[0].(string)
	last, ok2 := pairs[len(pairs)-2].(string)
	if !ok1 || !ok2 {
		return -1
	}
	h := uint64(uintptr(unsafe.Pointer(unsafe.StringData(first))))*0x9E3779B97F4A7C15 ^
		uint64(uintptr(unsafe.Pointer(unsafe.StringData(last))))*0xC2B2AE3D27D4EB4F ^ uint64(n)*0x165667B19E3779F9
	return int((h ^ h>>29) % shapeSlots)
}

// shapeSlotOfKeys is shapeSlot for an object's keys.
func shapeSlotOfKeys(keys []string) int {
	n := len(keys)
	if n == 0 || n > indexAbove {
		return -1
	}
	h := uint64(uintptr(unsafe.Pointer(unsafe.StringData(keys[0]))))*0x9E3779B97F4A7C15 ^
		uint64(uintptr(unsafe.Pointer(unsafe.StringData(keys[n-1]))))*0xC2B2AE3D27D4EB4F ^ uint64(n)*0x165667B19E3779F9
	return int((h ^ h>>29) % shapeSlots)
}

// shapeOfKeys is the shared keys that are the same strings as keys, if remembered: a copy of an object made from a
// shape (Clone) shares them too.
func shapeOfKeys(keys []string) []string {
	slot := shapeSlotOfKeys(keys)
	if slot < 0 {
		return nil
	}
	sh := shapes[slot].Load()
	if sh == nil || len(sh.keys) != len(keys) {
		return nil
	}
	for i, k := range sh.keys {
		if len(keys[i]) != len(k) || unsafe.StringData(keys[i]) != unsafe.StringData(k) {
			return nil
		}
	}
	return sh.keys
}

// knownShape is the shared keys of pairs (their keys, in order, with no repeat and no array index) if remembered.
func knownShape(pairs []any) []string {
	slot := shapeSlot(pairs)
	if slot < 0 {
		return nil
	}
	sh := shapes[slot].Load()
	if sh == nil || len(sh.keys) != len(pairs)/2 {
		return nil
	}
	for i, k := range sh.keys {
		// The same text in the same memory: the same literal key, with no need to compare the text.
		p, ok := pairs[2*i].(string)
		if !ok || len(p) != len(k) || unsafe.StringData(p) != unsafe.StringData(k) {
			return nil
		}
	}
	return sh.keys
}

// shapeMisses counts, per slot, the objects made with other keys than the slot's shape: a slot changes hands only
// after several, so that keys made at run time (never the same memory twice) do not make a shape on every call.
var shapeMisses [shapeSlots]atomic.Uint32

// rememberShape remembers the keys of an object NewObject made from pairs, when they are the pairs' keys as given.
func rememberShape(pairs []any, o *Object) {
	slot := shapeSlot(pairs)
	if slot < 0 || len(o.keys) != len(pairs)/2 {
		return
	}
	for i, k := range o.keys {
		if p, _ := pairs[2*i].(string); len(p) != len(k) || unsafe.StringData(p) != unsafe.StringData(k) {
			return
		}
	}
	if shapes[slot].Load() != nil && shapeMisses[slot].Add(1)%16 != 0 {
		return
	}
	keys := make([]string, len(o.keys))
	copy(keys, o.keys)
	shapes[slot].Store(&shape{keys: keys})
}

// Objects whose keys are shared keep only their values with them, in one allocation.
type (
	objectV1 struct {
		Object
		v [1]any
	}
	objectV2 struct {
		Object
		v [2]any
	}
	objectV3 struct {
		Object
		v [3]any
	}
	objectV4 struct {
		Object
		v [4]any
	}
	objectV5 struct {
		Object
		v [5]any
	}
	objectV6 struct {
		Object
		v [6]any
	}
	objectV8 struct {
		Object
		v [8]any
	}
	objectV10 struct {
		Object
		v [10]any
	}
	objectV12 struct {
		Object
		v [12]any
	}
	objectV16 struct {
		Object
		v [16]any
	}
)

// newObjectVals makes an object with room for n values and no keys (the caller gives it shared ones).
func newObjectVals(n int) *Object {
	switch {
	case n == 1:
		s := &objectV1{}
		s.vals = s.v[:0]
		return &s.Object
	case n == 2:
		s := &objectV2{}
		s.vals = s.v[:0]
		return &s.Object
	case n == 3:
		s := &objectV3{}
		s.vals = s.v[:0]
		return &s.Object
	case n == 4:
		s := &objectV4{}
		s.vals = s.v[:0]
		return &s.Object
	case n == 5:
		s := &objectV5{}
		s.vals = s.v[:0]
		return &s.Object
	case n == 6:
		s := &objectV6{}
		s.vals = s.v[:0]
		return &s.Object
	case n <= 8:
		s := &objectV8{}
		s.vals = s.v[:0]
		return &s.Object
	case n <= 10:
		s := &objectV10{}
		s.vals = s.v[:0]
		return &s.Object
	case n <= 12:
		s := &objectV12{}
		s.vals = s.v[:0]
		return &s.Object
	case n <= 16:
		s := &objectV16{}
		s.vals = s.v[:0]
		return &s.Object
	}
	return &Object{vals: make([]any, 0, n)}
}
