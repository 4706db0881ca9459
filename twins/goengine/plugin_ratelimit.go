package goengine

import (
	"fmt"
	"strconv"
)

// The rate-limit plugin (src/plugins/rate-limit.ts): each request counts against its bucket's window, every
// response carries the vendor's rate-limit headers, and a request over the limit gets the vendor's 429 (rendered by
// the twin from the rate_limited refusal), headers included.

type rateLimitOptions struct {
	limit         *float64
	limits        *Object
	windowSeconds *float64
	enforce       bool
}

type rateWindow struct {
	resetAt int64
	used    int
}

type rateLimit struct {
	noPhases
	options rateLimitOptions
	windows map[string]*rateWindow
}

func rateLimitPlugin(options *Object) *Plugin {
	o := rateLimitOptions{enforce: true}
	if v, ok := options.Get("limit"); ok {
		n := v.(float64)
		o.limit = &n
	}
	o.limits = options.Obj("limits")
	if v, ok := options.Get("windowSeconds"); ok {
		n := v.(float64)
		o.windowSeconds = &n
	}
	if v, ok := options.Get("enforce"); ok {
		o.enforce = v.(bool)
	}
	return &Plugin{name: "rate-limit", key: "rate-limit", options: options, target: targetOf(options), phases: func() pluginPhases {
		return &rateLimit{options: o, windows: map[string]*rateWindow{}}
	}}
}

// count counts a request against its bucket once, whichever phase sees it first, and says where the bucket stands.
func (p *rateLimit) count(ctx *Ctx, s *pluginScope) Window {
	for _, c := range ctx.counted {
		if c.inst == s.inst {
			return c.window
		}
	}
	policy := s.chain.policy()
	b := policy.Bucket(ctx)
	limit := b.Limit
	if n, ok := getNumber(p.options.limits, b.Key); ok {
		limit = wholeNumber(n)
	} else if p.options.limit != nil {
		limit = wholeNumber(*p.options.limit)
	}
	windowSeconds := b.WindowSeconds
	if p.options.windowSeconds != nil {
		windowSeconds = wholeNumber(*p.options.windowSeconds)
	}
	now := ctx.Clock.NowMs()
	windowMs := int64(windowSeconds) * 1000
	w := p.windows[b.Key]
	// A window opens with its bucket's first request and is whole seconds long, as vendors report it in epoch seconds.
	if w == nil || now >= w.resetAt || now < w.resetAt-windowMs {
		w = &rateWindow{resetAt: floorDiv(now, 1000)*1000 + windowMs}
		p.windows[b.Key] = w
	}
	w.used++
	window := Window{Key: b.Key, Limit: limit, Used: w.used, Remaining: max(0, limit-w.used), ResetAt: w.resetAt, WindowSeconds: windowSeconds}
	if ctx.counted == nil {
		ctx.counted = ctx.countedBuf[:0]
	}
	ctx.counted = append(ctx.counted, countedWindow{s.inst, window})
	return window
}

func (p *rateLimit) before(ctx *Ctx, s *pluginScope) (*Result, error) {
	w := p.count(ctx, s)
	if !p.options.enforce || w.Used <= w.Limit {
		return nil, nil
	}
	retry := max(1, ceilDiv(w.ResetAt-ctx.Clock.NowMs(), 1000))
	s.note(fmt.Sprintf("refused with 429: %d requests to %s within %ds, limit %d", w.Used, w.Key, w.WindowSeconds, w.Limit))
	return nil, &EngineError{Kind: "rate_limited", Message: fmt.Sprintf("API call exceeded rate limit due to too many requests (%s: %d per %ds)", w.Key, w.Limit, w.WindowSeconds), RetryAfter: int(retry), HasRetry: true}
}

// after: requests refused before the plugins ran (no route, bad credentials) count too, as vendors count what reaches them.
func (p *rateLimit) after(ctx *Ctx, draft *Result, s *pluginScope) *Result {
	w := p.count(ctx, s)
	refused := draft.Status == 429 && w.Used > w.Limit
	policy := s.chain.policy()
	if policy.SetHeaders != nil {
		policy.SetHeaders(w, refused, ctx, draft.Headers)
		return draft
	}
	for k, v := range policy.Headers(w, refused, ctx) {
		draft.Headers.Set(k, v)
	}
	return draft
}

// wholeNumber is a checked option as an int; an option coerced from "Infinity" stays the largest int rather than wrapping.
func wholeNumber(f float64) int {
	if f >= 1<<53 {
		return 1 << 53
	}
	return int(f)
}

// policy is the twin's rate-limit policy, or the one of a vendor that declares none: one bucket of 600 requests a
// minute, and Retry-After on a refusal.
func (c *pluginChain) policy() *RateLimitPolicy {
	if c.def.RateLimits != nil {
		return c.def.RateLimits
	}
	return &RateLimitPolicy{
		Bucket: func(*Ctx) Bucket { return Bucket{Key: "all", Limit: 600, WindowSeconds: 60} },
		Headers: func(w Window, refused bool, ctx *Ctx) map[string]string {
			if !refused {
				return nil
			}
			return map[string]string{"retry-after": strconv.FormatInt(max(1, ceilDiv(w.ResetAt-ctx.Clock.NowMs(), 1000)), 10)}
		},
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }
