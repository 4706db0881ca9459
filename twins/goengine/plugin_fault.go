package goengine

import (
	"fmt"
	"math"
)

// The fault plugin (src/plugins/fault.ts and schedule.ts): a vendor-shaped 500 or 503, a dropped connection, or a
// request that never answers, on the nth call, every nth call, or with a probability (seeded: the same seed fails
// the same calls).

// schedule is when a plugin acts among the requests its target picks; every call when none is given.
type schedule struct {
	nth, every, probability *float64
}

func scheduleOf(options *Object) schedule {
	var s schedule
	for _, field := range []struct {
		name string
		to   **float64
	}{{"nth", &s.nth}, {"every", &s.every}, {"probability", &s.probability}} {
		if v, ok := options.Get(field.name); ok {
			n := v.(float64)
			*field.to = &n
		}
	}
	return s
}

// due counts this matching call and says whether the schedule picks it, with the call's number for the journal.
func (s schedule) due(calls *int, scope *pluginScope) (bool, int) {
	*calls++
	call := *calls
	switch {
	case s.nth != nil:
		return float64(call) == *s.nth, call
	case s.every != nil:
		return math.Mod(float64(call), *s.every) == 0, call
	case s.probability != nil:
		return scope.random() < *s.probability, call
	}
	return true, call
}

// describe is the schedule's words for the journal: "call 3 (nth=3)".
func (s schedule) describe(call int) string {
	rule := "every call"
	switch {
	case s.nth != nil:
		rule = "nth=" + jsNumberString(*s.nth)
	case s.every != nil:
		rule = "every=" + jsNumberString(*s.every)
	case s.probability != nil:
		rule = "probability=" + jsNumberString(*s.probability)
	}
	return fmt.Sprintf("call %d (%s)", call, rule)
}

type fault struct {
	noPhases
	kind       any
	retryAfter *float64
	schedule   schedule
	calls      int
}

func faultPlugin(options *Object) *Plugin {
	kind := any(float64(503))
	if v, ok := options.Get("fault"); ok {
		kind = v
	}
	var retryAfter *float64
	if v, ok := options.Get("retryAfterSeconds"); ok {
		n := v.(float64)
		retryAfter = &n
	}
	sched := scheduleOf(options)
	return &Plugin{name: "fault", options: options, target: targetOf(options), phases: func() pluginPhases {
		return &fault{kind: kind, retryAfter: retryAfter, schedule: sched}
	}}
}

func (p *fault) before(_ *Ctx, s *pluginScope) (*Result, error) {
	due, call := p.schedule.due(&p.calls, s)
	if !due {
		return nil, nil
	}
	when := p.schedule.describe(call)
	switch p.kind {
	case "drop":
		s.note("dropped the connection: " + when)
		return &Result{Fault: "drop"}, nil
	case "hang":
		s.note("left the request unanswered: " + when)
		return &Result{Fault: "hang"}, nil
	}
	s.note(fmt.Sprintf("answered %s: %s", jsString(p.kind), when))
	if p.kind == float64(500) {
		return nil, &EngineError{Kind: "server_error", Message: fmt.Sprintf("Injected server error (%s)", when)}
	}
	refusal := &EngineError{Kind: "unavailable", Message: fmt.Sprintf("Injected unavailability (%s)", when)}
	if p.retryAfter != nil {
		refusal.RetryAfter, refusal.HasRetry = wholeNumber(*p.retryAfter), true
	}
	return nil, refusal
}
