package goengine

import (
	"strconv"
	"sync/atomic"
)

// stamp is an instant and its text in one format.
type stamp struct {
	ms   int64
	text string
}

// stampCache remembers the last instant formatted: a twin formats the same few instants over and over (a fixed
// clock's, or the wall clock's current millisecond or second), so most requests reuse the text instead of
// formatting it again. It holds one instant; any other is formatted and then remembered.
type stampCache struct{ last atomic.Pointer[stamp] }

func (c *stampCache) format(ms int64, format func(int64) string) string {
	if s := c.last.Load(); s != nil && s.ms == ms {
		return s.text
	}
	text := format(ms)
	c.last.Store(&stamp{ms: ms, text: text})
	return text
}

// iso is ISO(ms), remembered.
func (t *Twin) iso(ms int64) string { return t.isoStamps.format(ms, ISO) }

// HTTPDate is HTTPDate(ms) (an answer's Date header), remembered across the requests of the twin.
func (c *Ctx) HTTPDate(ms int64) string {
	if c.Twin == nil {
		return HTTPDate(ms)
	}
	return c.Twin.dateStamps.format(ms, HTTPDate)
}

// origin is "http://" + host and whether the host is valid (validHost), remembered for the last host.
func (t *Twin) origin(host string) (string, bool) {
	if last := t.lastOrigin.Load(); last != nil && last.host == host {
		return last.origin, last.valid
	}
	origin, valid := "http://"+host, validHost(host)
	t.lastOrigin.Store(&hostOrigin{host: host, origin: origin, valid: valid})
	return origin, valid
}

type hostOrigin struct {
	host, origin string
	valid        bool
}

// NumberText is strconv.FormatInt with the last number remembered, for a header that repeats one number from
// answer to answer (a limit, a window's reset time). Safe for concurrent use.
type NumberText struct{ last stampCache }

// Text is n in decimal.
func (c *NumberText) Text(n int64) string {
	return c.last.format(n, func(n int64) string { return strconv.FormatInt(n, 10) })
}
