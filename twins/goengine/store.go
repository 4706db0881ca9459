package goengine

import (
	"errors"
	"fmt"
	"strings"
)

// Store is a twin's state: plain JSON data that resets to its seed, exports and imports whole.
type Store struct {
	twin      string
	seed      *Object
	State     *Object
	IDs       *IDs
	seedState *Object
	seedIDs   *Object
}

// NewStore starts a store from the seed document (the twin's seed.json, a bare state).
func NewStore(twin string, seed []byte, idSeed uint32) (*Store, error) {
	v, err := Parse(seed, 2*MaxJSONDepth)
	if err != nil {
		return nil, fmt.Errorf("[twinverse] %s twin: the seed is not JSON: %v", twin, err)
	}
	state, ok := v.(*Object)
	if !ok {
		return nil, fmt.Errorf("[twinverse] %s twin: the seed is not a JSON object", twin)
	}
	ids := NewIDs(idSeed)
	s := &Store{twin: twin, seed: state, seedState: CloneObj(state), seedIDs: ids.Save(), IDs: ids}
	s.State = CloneObj(state)
	return s, nil
}

// Reset puts the seed back; new ids go on from where they were.
func (s *Store) Reset() {
	s.State = CloneObj(s.seedState)
	s.IDs.AdvanceTo(s.seedIDs)
}

// Export is the portable form: { twinverse: 1, twin, state, ids }.
func (s *Store) Export() *Object {
	return NewObject("twinverse", float64(1), "twin", s.twin, "state", CloneObj(s.State), "ids", s.IDs.Save())
}

// Import replaces the state with an export, or changes nothing and says why.
func (s *Store) Import(doc any) error {
	state, ids, err := s.check(doc)
	if err != nil {
		return err
	}
	s.State = state
	s.IDs.AdvanceTo(ids)
	return nil
}

// Reseed makes an export the seed that Reset returns to, and loads it.
func (s *Store) Reseed(doc any) error {
	state, ids, err := s.check(doc)
	if err != nil {
		return err
	}
	s.seedState = CloneObj(state)
	s.seedIDs = ids
	s.State = state
	s.IDs.AdvanceTo(ids)
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "array"
	case *Object:
		return "object"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "undefined"
}

func (s *Store) check(doc any) (*Object, *Object, error) {
	d, ok := doc.(*Object)
	version, _ := d.Get("twinverse")
	if !ok || version != float64(1) || kindOf(mustGet(d, "twin")) != "string" {
		return nil, nil, errors.New(`[twinverse] not a twinverse state export: expected { "twinverse": 1, "twin": "<service>", "state": {...}, "ids": {...} } as GET /__twin/state returns it`)
	}
	if name := d.Str("twin"); name != s.twin {
		return nil, nil, fmt.Errorf("[twinverse] this state export is for the %s twin, not %s", name, s.twin)
	}
	state := d.Obj("state")
	if state == nil {
		return nil, nil, errors.New(`[twinverse] the state export has no "state" object`)
	}
	if problems := shapeProblems(s.seed, state); len(problems) > 0 {
		shown := problems
		more := ""
		if len(problems) > 5 {
			shown = problems[:5]
			more = fmt.Sprintf("; and %d more", len(problems)-5)
		}
		return nil, nil, fmt.Errorf("[twinverse] this state export does not have the %s twin's shape, so none of it was imported: %s%s", s.twin, strings.Join(shown, "; "), more)
	}
	ids := d.Obj("ids")
	if _, isNum := getNumber(ids, "rng"); !isNum || ids.Obj("seq") == nil {
		ids = NewObject("rng", float64(NameSeed(s.twin)), "seq", NewObject())
	}
	return CloneObj(state), ids, nil
}

func mustGet(o *Object, key string) any {
	v, _ := o.Get(key)
	return v
}

// shapeProblems checks a state against the seed's shape: every top-level collection the seed has is there with
// the same kind, and a collection of records holds only records.
func shapeProblems(seed, state *Object) []string {
	var problems []string
	for _, key := range seed.Keys() {
		model, _ := seed.Get(key)
		value, has := state.Get(key)
		if !has {
			problems = append(problems, fmt.Sprintf(`"%s" is missing`, key))
			continue
		}
		if kindOf(value) != kindOf(model) {
			problems = append(problems, fmt.Sprintf(`"%s" is %s, not %s`, key, kindOf(value), kindOf(model)))
			continue
		}
		m, isObj := model.(*Object)
		if !isObj || m.Len() == 0 {
			continue
		}
		records := true
		for _, k := range m.Keys() {
			if kindOf(mustGet(m, k)) != "object" {
				records = false
			}
		}
		if !records {
			continue
		}
		v := value.(*Object)
		for _, id := range v.Keys() {
			if k := kindOf(mustGet(v, id)); k != "object" {
				problems = append(problems, fmt.Sprintf(`"%s"."%s" is %s, not an object`, key, id, k))
			}
		}
	}
	return problems
}
