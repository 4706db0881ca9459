package goengine

// A clock's sleepers, as the TypeScript clock's sleep and pending (src/state/clock.ts): a delayed answer waits on the
// twin's clock, so on a fixed clock it waits until the clock is moved past its deadline, and on the wall clock for a
// real timer (or less, if the clock is moved on meanwhile).

type sleeper struct {
	until int64
	done  chan struct{}
}

// Sleep returns once ms have passed on this clock.
func (c *Clock) Sleep(ms int64) {
	done, stop := c.After(ms)
	defer stop()
	<-done
}

// Pending is how many sleeps are waiting for this clock: a test on a fixed clock can wait for a delayed answer to
// be pending, then move the clock on.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

func (c *Clock) wake(s *sleeper) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, other := range c.sleepers {
		if other == s {
			c.sleepers = append(c.sleepers[:i:i], c.sleepers[i+1:]...)
			close(s.done)
			return
		}
	}
}

// wakeDueLocked wakes the sleepers whose deadline the clock has reached; the caller holds c.mu.
func (c *Clock) wakeDueLocked() {
	now := c.NowMs()
	waiting := c.sleepers[:0:0]
	for _, s := range c.sleepers {
		if s.until <= now {
			close(s.done)
		} else {
			waiting = append(waiting, s)
		}
	}
	c.sleepers = waiting
}
