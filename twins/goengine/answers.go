package goengine

import (
	"strconv"
	"sync"
	"sync/atomic"
)

// The answer cache: a read-only operation a twin keys (Definition.AnswerKey) is answered from the text of the same
// answer made before, as long as the state has not changed since. A change to the state needs the twin's lock alone
// (a read-only request panics on a write), so the lock's version, which moves each time that lock is let go of,
// moves with every change: a request or a background job that ran alone, an admin call (reset, import, a clock
// move, plugins added), a delayed request that waited. An answer is kept with the version it was made at, and is
// never served at another. Strict mode checks every answer, so it makes each anew.

// versionedLock is the twin's lock; Unlock of the exclusive lock moves its version.
type versionedLock struct {
	sync.RWMutex
	version atomic.Uint64
}

// Unlock lets go of the lock held alone: what it guarded may have changed.
func (l *versionedLock) Unlock() {
	l.version.Add(1)
	l.RWMutex.Unlock()
}

// answerLimit is how many answers are kept at most; more empties the cache.
const answerLimit = 1024

type answerCache struct {
	mu      sync.RWMutex
	version uint64
	count   int
	// answers are by operation, then by the twin's key of the request: each a RawJSON, made a body (an any) once.
	answers map[string]map[string]any
}

func (c *answerCache) get(version uint64, op string, key []byte) (any, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.version != version {
		return nil, false
	}
	body, ok := c.answers[op][string(key)]
	return body, ok
}

func (c *answerCache) put(version uint64, op string, key []byte, body any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.answers == nil || c.count >= answerLimit {
		c.answers = map[string]map[string]any{}
		c.count = 0
		c.version = version
	}
	byKey := c.answers[op]
	if byKey == nil {
		byKey = map[string]any{}
		c.answers[op] = byKey
	}
	if _, kept := byKey[string(key)]; !kept {
		c.count++
	}
	byKey[string(key)] = body
}

// cachedAnswer runs a keyed operation's handler, or answers from the cache. Only a plain answer is kept: a 200 with
// a JSON body and no header of its own (the engine and the plugins add theirs to every answer alike).
func (t *Twin) cachedAnswer(ctx *Ctx, handler Handler) (*Result, error) {
	key, keyed := t.def.AnswerKey(ctx, ctx.answerKey[:0])
	if !keyed {
		return handler(ctx)
	}
	// The request holds the lock shared: the version cannot move before the handler has answered.
	version := t.mu.version.Load()
	if body, hit := t.answers.get(version, ctx.Op.ID, key); hit {
		return OK(body), nil
	}
	res, err := handler(ctx)
	if err != nil || res == nil || res.Status != 200 || len(res.Headers) > 0 || res.NoBody || res.Fault != "" || res.Body == nil {
		return res, err
	}
	if _, isText := res.Body.(string); isText {
		// A text answer is sent as text/plain; the cached one would be JSON.
		return res, err
	}
	var body any = RawJSON(appendValue(nil, res.Body))
	t.answers.put(version, ctx.Op.ID, key, body)
	res.Body = body
	return res, nil
}

// AnswerKeyPart appends a part to an answer key, led by its length (see Definition.AnswerKey).
func AnswerKeyPart(key []byte, part string) []byte {
	key = strconv.AppendInt(key, int64(len(part)), 10)
	key = append(key, ':')
	return append(key, part...)
}

// KeptAnswers is how many answers the cache holds for the state as it is now (for tests).
func (t *Twin) KeptAnswers() int {
	t.answers.mu.RLock()
	defer t.answers.mu.RUnlock()
	if t.answers.version != t.mu.version.Load() {
		return 0
	}
	return t.answers.count
}
