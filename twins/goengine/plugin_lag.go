package goengine

import (
	"fmt"
	"strings"
)

// The lag plugin (src/plugins/lag.ts): eventual consistency. A resource created or updated stays out of list and
// search results for ms of the twin's clock, then appears, as Okta documents for user search; reads by id are not
// affected. Its target picks the lists that lag; every write is watched.

var lagWrites = map[string]bool{"POST": true, "PUT": true, "PATCH": true}

type lag struct {
	noPhases
	ms     float64
	lists  pluginTarget
	recent map[string]float64
}

func lagPlugin(options *Object) (*Plugin, error) {
	ms, ok := getNumber(options, "ms")
	if !ok || !(ms >= 0) {
		return nil, fmt.Errorf("[twinverse] lag: ms is how long a write stays out of lists, a number of milliseconds >= 0")
	}
	lists := targetOf(options)
	// The plugin itself has no target: it must see every write, whichever lists lag.
	return &Plugin{name: "lag", options: options, phases: func() pluginPhases { return &lag{ms: ms, lists: lists, recent: map[string]float64{}} }}, nil
}

func (p *lag) after(ctx *Ctx, draft *Result, s *pluginScope) *Result {
	now := float64(ctx.Clock.NowMs())
	read := readsList(ctx)
	if !read && lagWrites[ctx.Request.Method] && ctx.Op != nil && draft.Status < 300 {
		if id, ok := listID(draft.Body); ok {
			p.recent[id] = now + p.ms
		}
		return nil
	}
	if !read || !p.lists.picks(ctx) {
		return nil
	}
	items, ok := listItems(draft)
	if !ok {
		return nil
	}
	var hidden []string
	kept := []any{}
	for _, item := range items {
		id, _ := listID(item)
		if until, seen := p.recent[id]; seen && until > now {
			hidden = append(hidden, id)
			continue
		}
		kept = append(kept, item)
	}
	if len(hidden) == 0 {
		return nil
	}
	s.note(fmt.Sprintf("hid %d item(s) written less than %s ms ago: %s", len(hidden), jsNumberString(p.ms), strings.Join(hidden, ", ")))
	var after any
	if hasNext(draft) {
		after = items[len(items)-1]
	}
	return rewriteList(draft, ctx, kept, after, false)
}
