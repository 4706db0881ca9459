package goengine

import (
	"math"
	"sync"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// IDs hands out deterministic ids exactly as the TypeScript engine does (mulberry32 over the same seed and
// counters), so a state exported by either backend goes on with the same ids in the other.
type IDs struct {
	// mu: reads that run in parallel still draw ids (a request id on every answer, an error id on every refusal).
	mu  sync.Mutex
	rng uint32
	// seq holds the named counters in the order an export lists them, each as a *float64 that Sequence moves on
	// in place (a float64 put in an interface would be a new allocation at every step).
	seq   *Object
	draws float64
}

// NewIDs starts a source at a saved position (an export's "ids").
func NewIDs(rng uint32) *IDs {
	return &IDs{rng: rng, seq: NewObject()}
}

// NameSeed is the default seed of a twin: FNV-1a of its name, so twins of two kinds draw different ids.
func NameSeed(name string) uint32 {
	h := uint32(2166136261)
	for _, c := range name {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

func (s *IDs) next() float64 {
	s.draws++
	s.rng += 0x6d2b79f5
	t := s.rng
	t = (t ^ (t >> 15)) * (t | 1)
	t ^= t + (t^(t>>7))*(t|61)
	return float64(t^(t>>14)) / 4294967296
}

// Token draws `length` characters from the alphabet (base62 when empty).
func (s *IDs) Token(length int, alphabet string) string {
	if alphabet == "" {
		alphabet = base62
	}
	out := make([]byte, length)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range out {
		out[i] = alphabet[int(math.Floor(s.next()*float64(len(alphabet))))]
	}
	return string(out)
}

// Sequence gives the next value of a named counter that starts at `start`.
func (s *IDs) Sequence(name string, start float64) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.seq.Get(name); ok {
		counter := v.(*float64)
		value := *counter
		*counter = value + 1
		return value
	}
	counter := new(float64)
	*counter = start + 1
	s.seq.Set(name, counter)
	return start
}

// Save is the position as an export writes it: { rng, seq, draws }.
func (s *IDs) Save() *Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq := NewObjectSize(s.seq.Len())
	for _, name := range s.seq.Keys() {
		v, _ := s.seq.Get(name)
		seq.Set(name, *v.(*float64))
	}
	return NewObject("rng", float64(s.rng), "seq", seq, "draws", s.draws)
}

// AdvanceTo moves to a saved position, or stays if that is behind: an id once given out is never given again.
func (s *IDs) AdvanceTo(saved *Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	draws, _ := getNumber(saved, "draws")
	if draws > s.draws {
		rng, _ := getNumber(saved, "rng")
		s.rng = uint32(int64(rng))
		s.draws = draws
	}
	seq := saved.Obj("seq")
	for _, name := range seq.Keys() {
		v, _ := seq.Get(name)
		value, ok := v.(float64)
		if !ok {
			continue
		}
		if cur, has := s.seq.Get(name); has {
			if counter := cur.(*float64); !(*counter > value) {
				*counter = value
			}
			continue
		}
		counter := new(float64)
		*counter = value
		s.seq.Set(name, counter)
	}
}

func getNumber(o *Object, key string) (float64, bool) {
	v, ok := o.Get(key)
	f, isNum := v.(float64)
	return f, ok && isNum
}
