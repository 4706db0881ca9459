package goengine

import (
	"errors"
	"math"
)

// The latency plugin (src/plugins/latency.ts): delays answers on the twin's clock, before the handler runs. On the
// wall clock that is a real wait; on a fixed clock the answer waits until the clock is moved on (POST /__twin/clock),
// so a test decides when a slow answer arrives and never sleeps. Delays come from the plugin's seeded generator.

// z99 is the standard normal quantile of 0.99.
const z99 = 2.3263478740408408

type latency struct {
	noPhases
	draw func(random func() float64) float64
}

func latencyPlugin(options *Object) (*Plugin, error) {
	ms, hasMs := getNumber(options, "ms")
	low, hasMin := getNumber(options, "min")
	high, hasMax := getNumber(options, "max")
	median, hasMedian := getNumber(options, "median")
	p99, hasP99 := getNumber(options, "p99")
	var draw func(random func() float64) float64
	switch {
	case hasMs:
		draw = func(func() float64) float64 { return ms }
	case hasMin && hasMax && high >= low:
		draw = func(random func() float64) float64 { return low + (high-low)*random() }
	case hasMedian && hasP99 && p99 >= median && median > 0:
		sigma := math.Log(p99/median) / z99
		draw = func(random func() float64) float64 {
			// Box-Muller: a standard normal draw from two uniform ones, drawn in the TypeScript plugin's order.
			u1 := random()
			u2 := random()
			z := math.Sqrt(-2*math.Log(1-u1)) * math.Cos(2*math.Pi*u2)
			return median * math.Exp(sigma*z)
		}
	default:
		return nil, errors.New("[twinverse] latency: give { ms } for a fixed delay, { min, max } (max >= min) for a uniform one, or { median, p99 } (p99 >= median > 0) for a long tail")
	}
	return &Plugin{name: "latency", options: options, target: targetOf(options), phases: func() pluginPhases { return &latency{draw: draw} }}, nil
}

func (p *latency) before(_ *Ctx, s *pluginScope) (*Result, error) {
	delay := jsRound(p.draw(s.random))
	s.note("delayed " + jsNumberString(delay) + " ms")
	if delay > 0 {
		s.wait = int64(math.Min(delay, 1<<53))
	}
	return nil, nil
}

// jsRound is JavaScript's Math.round: halves go up, toward positive infinity.
func jsRound(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r := math.Floor(x)
	if x-r >= 0.5 {
		r++
	}
	return r
}

// jsNumberString is String(n) in JavaScript.
func jsNumberString(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	}
	return FormatNumber(n)
}
