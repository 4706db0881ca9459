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
	answers map[answerKey]RawJSON
}

// answerKey is an operation and the twin's key of a request to it.
type answerKey struct{ op, key string }

func (c *answerCache) get(version uint64, key answerKey) (RawJSON, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.version != version {
		return "", false
	}
	text, ok := c.answers[key]
	return text, ok
}

func (c *answerCache) put(version uint64, key answerKey, text RawJSON) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.answers == nil || len(c.answers) >= answerLimit {
		c.answers = map[answerKey]RawJSON{}
		c.version = version
	}
	c.answers[key] = text
}

// cachedAnswer runs a keyed operation's handler, or answers from the cache. Only a plain answer is kept: a 200 with
// a JSON body and no header of its own (the engine and the plugins add theirs to every answer alike).
func (t *Twin) cachedAnswer(ctx *Ctx, handler Handler) (*Result, error) {
	twinKey, keyed := t.def.AnswerKey(ctx)
	if !keyed {
		return handler(ctx)
	}
	// The request holds the lock shared: the version cannot move before the handler has answered.
	version := t.mu.version.Load()
	key := answerKey{ctx.Op.ID, twinKey}
	if text, hit := t.answers.get(version, key); hit {
		return OK(text), nil
	}
	res, err := handler(ctx)
	if err != nil || res == nil || res.Status != 200 || len(res.Headers) > 0 || res.NoBody || res.Fault != "" || res.Body == nil {
		return res, err
	}
	if _, isText := res.Body.(string); isText {
		// A text answer is sent as text/plain; the cached one would be JSON.
		return res, err
	}
	text := RawJSON(appendValue(nil, res.Body))
	t.answers.put(version, key, text)
	res.Body = text
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
	return len(t.answers.answers)
}
