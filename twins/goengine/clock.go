package goengine

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Clock is the twin's clock: fixed at an instant (moving only when told) or the wall clock. at is read without the
// lock (NowMs runs several times a request); it is written under the lock, so that moves and sleepers stay in order.
type Clock struct {
	mu     sync.Mutex
	system bool
	start  int64
	at     atomic.Int64
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
		return nil, fmt.Errorf("[twinverse] clock: %s is not a valid instant; pass an ISO-8601 string with its zone", option)
	}
	c.start = t.UnixMilli()
	c.at.Store(c.start)
	return c, nil
}

// instantPattern is an ISO-8601 instant as a caller writes one (src/state/instant.ts, the same definition): a date-time
// with its zone (Z or ±hh:mm, seconds and a 1-9 digit fraction optional) or a calendar date alone (midnight UTC).
// Upper-case T and Z only; a date-time without a zone is no instant, as it would be read in the host's time zone.
var instantPattern = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2})))?$`)

// ParseInstant reads an instant of instantPattern that names a real calendar date and time of day (no February 30,
// hour 24 or second 60) in a zone within ±23:59, as src/state/instant.ts parseInstant does. It is strict where
// time.Parse is lenient (a comma fraction, more than 9 fraction digits, a zone of +05:60 or +24:00) so that both
// backends take and refuse the same values.
func ParseInstant(s string) (time.Time, error) {
	parts := instantPattern.FindStringSubmatch(s)
	if parts == nil {
		return time.Time{}, fmt.Errorf("not an instant: %s", s)
	}
	field := func(group int) int {
		n, _ := strconv.Atoi(parts[group])
		return n
	}
	year, month, day, hour, minute, second, zoneHour, zoneMinute := field(1), field(2), field(3), field(4), field(5), field(6), field(9), field(10)
	if month < 1 || month > 12 || day < 1 || day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() ||
		hour > 23 || minute > 59 || second > 59 || zoneHour > 23 || zoneMinute > 59 {
		return time.Time{}, fmt.Errorf("not an instant: %s", s)
	}
	nanos, _ := strconv.Atoi((parts[7] + "000000000")[:9])
	offset := time.Duration(zoneHour)*time.Hour + time.Duration(zoneMinute)*time.Minute
	if parts[8] == "-" {
		offset = -offset
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, nanos, time.UTC).Add(-offset), nil
}

// Fixed reports whether the clock was started at a fixed instant.
func (c *Clock) Fixed() bool { return !c.system }

// NowMs is the clock's now in epoch milliseconds.
func (c *Clock) NowMs() int64 {
	if c.system {
		return c.now().UnixMilli() + c.at.Load()
	}
	return c.at.Load()
}

// Now is the clock's now.
func (c *Clock) Now() time.Time { return time.UnixMilli(c.NowMs()).UTC() }

// Advance moves the clock by ms milliseconds.
func (c *Clock) Advance(ms int64) {
	c.mu.Lock()
	c.at.Add(ms)
	c.wakeDueLocked()
	c.mu.Unlock()
}

// Reset puts the clock back where it started.
func (c *Clock) Reset() {
	c.mu.Lock()
	c.at.Store(c.start)
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
