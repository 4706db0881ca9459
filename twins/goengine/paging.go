package goengine

import "strconv"

// Page is one cursor page of a list and the Link header values that go with it.
type Page struct {
	Items []*Object
	Links []string
}

// CursorPage is one page in cursor style, as the TypeScript kit's cursorPage: at most `limit` items after the
// one whose id is `after` (an unknown cursor ends the listing), among those `where` accepts; Link carries
// rel="self" and, when more items follow, rel="next" as absolute URLs on the twin's own base URL.
func CursorPage(ctx *Ctx, items []*Object, limit int, after string, hasAfter bool, where func(*Object) bool) Page {
	var page []*Object
	more := false
	start := 0
	ok := true
	if hasAfter {
		ok = false
		for i, item := range items {
			if item.Str("id") == after {
				if where == nil || where(item) {
					ok = true
					start = i + 1
				}
				break
			}
		}
	}
	if ok && limit > 0 {
		for _, item := range items[start:] {
			if where != nil && !where(item) {
				continue
			}
			if len(page) == limit {
				more = true
				break
			}
			page = append(page, item)
		}
	}
	self := ctx.BaseURL + ctx.Request.Path
	query := ctx.Search.Clone()
	links := []string{"<" + withQuery(self, query) + `>; rel="self"`}
	if more {
		query.Set("after", page[len(page)-1].Str("id"))
		query.Set("limit", strconv.Itoa(limit))
		links = append(links, "<"+withQuery(self, query)+`>; rel="next"`)
	}
	return Page{Items: page, Links: links}
}

func withQuery(base string, q *SearchParams) string {
	if len(q.pairs) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}
