package goengine

// Unlocked runs work without the twin's lock, for a handler that waits on another server before it answers (Okta's
// verification of an event hook, an inline hook's execute). The other server may be the twin itself (a hook's token
// URL can be the twin's own token endpoint), which would otherwise wait for the lock this request holds; and other
// requests go on meanwhile instead of queueing behind the wait.
//
// Only a request that has written nothing lets go of the lock: one that has would let other requests see, or undo,
// half of its change, so its work runs under the lock. Afterwards the request holds the lock again and reads the
// state as it is now (a reset or an import may have replaced it), so a handler looks up again what it read before.
func (c *Ctx) Unlocked(work func()) {
	t := c.Twin
	if c.tx != nil && c.tx.wrote {
		work()
		return
	}
	func() {
		if c.shared {
			t.mu.RUnlock()
			defer t.mu.RLock()
		} else {
			t.mu.Unlock()
			defer t.mu.Lock()
		}
		work()
	}()
	c.State, c.IDs = t.Store.State, t.Store.IDs
}
