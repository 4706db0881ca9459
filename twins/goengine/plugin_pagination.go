package goengine

import (
	"fmt"
	"strings"
)

// The pagination plugin (src/plugins/pagination.ts): pages as real services sometimes send them, to test that a
// client follows links rather than counting items: short pages that still link to a next one, and an empty page
// before the last. No item is lost or repeated.

type pagination struct {
	noPhases
	shortPage       *float64
	emptyBeforeLast bool
	emptied         map[string]bool
}

func paginationPlugin(options *Object) (*Plugin, error) {
	var shortPage *float64
	if n, ok := getNumber(options, "shortPage"); ok {
		shortPage = &n
	}
	emptyBeforeLast, _ := options.Get("emptyBeforeLast")
	if shortPage == nil && emptyBeforeLast != true {
		return nil, fmt.Errorf("[twinverse] pagination: give shortPage (items per page) and/or emptyBeforeLast: true")
	}
	return &Plugin{name: "pagination", options: options, target: targetOf(options), phases: func() pluginPhases {
		return &pagination{shortPage: shortPage, emptyBeforeLast: emptyBeforeLast == true, emptied: map[string]bool{}}
	}}, nil
}

func (p *pagination) after(ctx *Ctx, draft *Result, s *pluginScope) *Result {
	if !readsList(ctx) {
		return nil
	}
	items, ok := listItems(draft)
	if !ok || len(items) == 0 {
		return nil
	}
	if p.shortPage != nil && float64(len(items)) > *p.shortPage {
		kept := items[:int(*p.shortPage)]
		s.note(fmt.Sprintf("cut the page from %d to %d item(s); its next link goes on after the last one sent", len(items), len(kept)))
		return rewriteList(draft, ctx, kept, kept[len(kept)-1], false)
	}
	if !p.emptyBeforeLast || hasNext(draft) {
		return nil
	}
	// The empty page links to this same request; asked again, it gets the real last page (and the next listing the
	// quirk again). The page is known by its items, not its URL: a client that reads lists by POST sends its cursor
	// in the body.
	ids := make([]string, len(items))
	for i, item := range items {
		ids[i], _ = listID(item)
	}
	page := ctx.Request.Path + "\n" + strings.Join(ids, ",")
	if p.emptied[page] {
		delete(p.emptied, page)
		return nil
	}
	p.emptied[page] = true
	s.note("answered an empty page that links to the last one")
	return rewriteList(draft, ctx, []any{}, nil, true)
}
