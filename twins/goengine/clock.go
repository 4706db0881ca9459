package goengine

import (
	"fmt"
	"sync"
	"time"
)

// Clock is the twin's clock: fixed at an instant (moving only when told) or the wall clock.
type Clock struct {
	mu     sync.Mutex
	system bool
	start  int64
	at     int64
	now    func() time.Time
	// sleepers are the delayed answers waiting for this clock (clock_sleep.go); moving the clock wakes those due.
	sleepers []*sleeper
}

// NewClock makes a clock from the --clock option: "system" (or empty) follows the wall clock, an ISO-8601
// instant starts a fixed clock there.
func NewClock(option string) (*Clock, error) {
	c := &Clock{now: time.Now}
	if option == "" || option == "system" {
		c.system = true
		return c, nil
	}
	t, err := ParseInstant(option)
	if err != nil {
		return nil, fmt.Errorf("[twinverse] clock: %s is not a valid instant; pass an ISO-8601 string", option)
	}
	c.start = t.UnixMilli()
	c.at = c.start
	return c, nil
}

// ParseInstant reads the ISO-8601 forms Date.parse takes for instants.
func ParseInstant(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an instant: %s", s)
}

// Fixed reports whether the clock was started at a fixed instant.
func (c *Clock) Fixed() bool { return !c.system }

// NowMs is the clock's now in epoch milliseconds.
func (c *Clock) NowMs() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.system {
		return c.now().UnixMilli() + c.at
	}
	return c.at
}

// Now is the clock's now.
func (c *Clock) Now() time.Time { return time.UnixMilli(c.NowMs()).UTC() }

// Advance moves the clock by ms milliseconds.
func (c *Clock) Advance(ms int64) {
	c.mu.Lock()
	c.at += ms
	c.wakeDueLocked()
	c.mu.Unlock()
}

// Reset puts the clock back where it started.
func (c *Clock) Reset() {
	c.mu.Lock()
	c.at = c.start
	c.mu.Unlock()
}

// ISO formats an instant as JavaScript's Date.prototype.toISOString does.
func ISO(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}

// HTTPDate formats an instant as JavaScript's Date.prototype.toUTCString does (RFC 7231's IMF-fixdate).
func HTTPDate(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
}
