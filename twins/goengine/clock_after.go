package goengine

import "time"

// After is a Sleep that does not block: the channel is closed once ms have passed on this clock (a fixed clock moved
// past the deadline, or real time on the wall clock). stop withdraws the wait once it is not needed (what it bounded
// has ended), so that it neither stays pending nor keeps a timer.
func (c *Clock) After(ms int64) (<-chan struct{}, func()) {
	s := &sleeper{done: make(chan struct{})}
	if ms <= 0 {
		close(s.done)
		return s.done, func() {}
	}
	c.mu.Lock()
	s.until = c.NowMs() + ms
	c.sleepers = append(c.sleepers, s)
	c.mu.Unlock()
	var timer *time.Timer
	if c.system {
		timer = time.AfterFunc(time.Duration(ms)*time.Millisecond, func() { c.wake(s) })
	}
	stop := func() {
		if timer != nil {
			timer.Stop()
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, other := range c.sleepers {
			if other == s {
				c.sleepers = append(c.sleepers[:i:i], c.sleepers[i+1:]...)
				return
			}
		}
	}
	return s.done, stop
}
