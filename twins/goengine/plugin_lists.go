package goengine

import (
	"regexp"
	"strings"
)

// How the lag and pagination plugins read and rewrite a twin's list responses (src/plugins/lists.ts). The Go twins
// so far page as the TypeScript default does, and as the Okta twin (which declares no list shape) relies on: a JSON
// array of objects with an id, paged with RFC 8288 Link headers whose rel="next" URL carries the id of the page's last
// item in `after`.
const listCursorParam = "after"

var nextRel = regexp.MustCompile(`;\s*rel="?next"?`)

// readsList says whether a request reads a list: a GET.
func readsList(ctx *Ctx) bool { return ctx.Request.Method == "GET" }

// listItems are the items of a list response, or nil when the response is not a list.
func listItems(r *Result) ([]any, bool) {
	if r.Status != 200 || r.NoBody {
		return nil, false
	}
	switch body := r.Body.(type) {
	case []any:
		return body, true
	case []*Object:
		return toAnySlice(body), true
	}
	return nil, false
}

func toAnySlice(items []*Object) []any {
	out := make([]any, len(items))
	for i, o := range items {
		out[i] = o
	}
	return out
}

// listID is the id of an item, or of the resource a write answered with: a string or a number, as text.
func listID(v any) (string, bool) {
	o, ok := v.(*Object)
	if !ok {
		return "", false
	}
	value, _ := o.Get("id")
	switch id := value.(type) {
	case string:
		return id, true
	case float64:
		return jsNumberString(id), true
	}
	return "", false
}

// linkValues are the response's Link values, one link each (a header value may list several).
func linkValues(r *Result) []string {
	var out []string
	for _, value := range r.Headers["link"] {
		start := 0
		for i := 0; i < len(value); i++ {
			if value[i] == ',' && strings.HasPrefix(strings.TrimLeft(value[i+1:], " \t\r\n\f\v"), "<") {
				out = append(out, strings.TrimSpace(value[start:i]))
				start = i + 1
			}
		}
		out = append(out, strings.TrimSpace(value[start:]))
	}
	return out
}

// hasNext says whether the response links to a next page.
func hasNext(r *Result) bool {
	for _, v := range linkValues(r) {
		if nextRel.MatchString(v) {
			return true
		}
	}
	return false
}

// rewriteList is the same response with other items, and its next link set: to the page that follows `after` (an
// item of this page), to this very request again (same), or to none.
func rewriteList(r *Result, ctx *Ctx, items []any, after any, same bool) *Result {
	kept := []string{}
	for _, v := range linkValues(r) {
		if !nextRel.MatchString(v) {
			kept = append(kept, v)
		}
	}
	here := ctx.BaseURL + ctx.Request.Path
	switch {
	case same:
		kept = append(kept, "<"+here+ctx.Request.Search()+`>; rel="next"`)
	case after != nil:
		id, _ := listID(after)
		query := ctx.Search.Clone()
		query.Set(listCursorParam, id)
		kept = append(kept, "<"+here+"?"+query.Encode()+`>; rel="next"`)
	}
	headers := make(Headers, len(r.Headers))
	for k, v := range r.Headers {
		headers[k] = v
	}
	headers["link"] = kept
	return &Result{Status: r.Status, Headers: headers, Body: items}
}
