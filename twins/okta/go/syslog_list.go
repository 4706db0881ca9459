package main

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"

	e "twinverse/twins/goengine"
)

// The System Log listing (GET /api/v1/logs), as twins/okta/api/system-log.ts.

const (
	defaultLogWindowMs = 7 * 24 * 60 * 60 * 1000
	maxLogKeywords     = 10
	maxLogKeywordLen   = 40
)

var (
	isoPrefix   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T`)
	logCursorRE = regexp.MustCompile(`^log:(-?\d+)$`)
)

// readPath reads a dotted path through arrays: `target.id` is every target's id.
func readPath(node any, path []string) any {
	if len(path) == 0 {
		return node
	}
	switch n := node.(type) {
	case []any:
		out := []any{}
		for _, item := range n {
			switch v := readPath(item, path).(type) {
			case nil:
				if isUndefinedPath(item, path) {
					continue
				}
				out = append(out, nil)
			case []any:
				out = append(out, v...)
			default:
				out = append(out, v)
			}
		}
		return out
	case *e.Object:
		v, has := n.Get(path[0])
		if !has {
			return nil
		}
		return readPath(v, path[1:])
	}
	return nil
}

// isUndefinedPath tells a missing property (undefined, left out of a flattened list) from a null one.
func isUndefinedPath(node any, path []string) bool {
	for _, key := range path {
		o, isObj := node.(*e.Object)
		if !isObj {
			return true
		}
		v, has := o.Get(key)
		if !has {
			return true
		}
		node = v
	}
	return false
}

func logFilterRules() filterRules {
	return filterRules{
		supports: func(string, string) bool { return true },
		read:     func(event *e.Object, property string) any { return readPath(event, strings.Split(property, ".")) },
		dates:    map[string]bool{"published": true},
	}
}

func logInstant(ctx *e.Ctx, name string) (float64, bool, error) {
	v, has := ctx.Query[name]
	if !has {
		return 0, false, nil
	}
	text := jsString(v)
	if !isoPrefix.MatchString(text) {
		return 0, false, oktaErr("E0000030")
	}
	ms, valid := instantMs(text)
	if !valid {
		return 0, false, oktaErr("E0000030")
	}
	return ms, true, nil
}

func encodeLogCursor(position int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("log:" + strconv.Itoa(position)))
}

func decodeLogCursor(after string, length int) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(after, "="))
	position := -2
	if err == nil {
		if m := logCursorRE.FindStringSubmatch(string(raw)); m != nil {
			position, _ = strconv.Atoi(m[1])
		}
	}
	if position < -1 || position > length {
		return 0, invalidFields([][2]string{{"after", "The after cursor is not valid for this query"}})
	}
	return position, nil
}

func logLinks(ctx *e.Ctx, next int, hasNext bool) []string {
	url := func(after string, hasAfter bool) string {
		params := &e.SearchParams{}
		for _, kv := range ctx.Search.Pairs() {
			if kv[0] != "after" {
				params.Append(kv[0], kv[1])
			}
		}
		if hasAfter {
			params.Set("after", after)
		}
		query := params.Encode()
		if query != "" {
			query = "?" + query
		}
		return ctx.BaseURL + "/api/v1/logs" + query
	}
	after, hasAfter := qString(ctx, "after")
	out := []string{"<" + url(after, hasAfter) + `>; rel="self"`}
	if hasNext {
		out = append(out, "<"+url(encodeLogCursor(next), true)+`>; rel="next"`)
	}
	return out
}

func listLogEvents(ctx *e.Ctx) (*e.Result, error) {
	log := ctx.State.Arr("systemLog")
	until, hasUntil, err := logInstant(ctx, "until")
	if err != nil {
		return nil, err
	}
	upper := float64(ctx.Clock.NowMs())
	if hasUntil {
		upper = until
	}
	since, hasSince, err := logInstant(ctx, "since")
	if err != nil {
		return nil, err
	}
	if !hasSince {
		since = upper - defaultLogWindowMs
	}
	if hasUntil && since > until {
		return nil, invalidFields([][2]string{{"since", "since must be earlier than until"}})
	}
	order, _ := qString(ctx, "sortOrder")
	descending := order == "DESCENDING"
	polling := !hasUntil && !descending
	limit := 100
	if l, has := qNumber(ctx, "limit"); has {
		limit = int(l)
	}
	var matchesFilter func(*e.Object) bool
	if filter, has := ctx.Query["filter"]; has {
		if matchesFilter, err = compileFilter(jsString(filter), logFilterRules()); err != nil {
			return nil, err
		}
	}
	var keywords []string
	if q, has := ctx.Query["q"]; has && jsTrim(jsString(q)) != "" {
		keywords = jsWords(jsLower(jsString(q)))
		if len(keywords) > maxLogKeywords {
			return nil, invalidFields([][2]string{{"q", "At most 10 keywords are allowed"}})
		}
		for _, k := range keywords {
			if jsLen(k) > maxLogKeywordLen {
				return nil, invalidFields([][2]string{{"q", "A keyword has at most 40 characters"}})
			}
		}
	}
	wanted := func(event *e.Object) bool {
		published, _ := instantMs(event.Str("published"))
		if published < since || (hasUntil && published >= until) || (!hasUntil && published > upper) {
			return false
		}
		if matchesFilter != nil && !matchesFilter(event) {
			return false
		}
		if len(keywords) > 0 {
			text := jsLower(string(e.Marshal(event)))
			for _, k := range keywords {
				if !strings.Contains(text, k) {
					return false
				}
			}
		}
		return true
	}
	step := 1
	position := 0
	if descending {
		step, position = -1, len(log)-1
	}
	if after, has := qString(ctx, "after"); has {
		if position, err = decodeLogCursor(after, len(log)); err != nil {
			return nil, err
		}
	}
	page := []any{}
	for ; position >= 0 && position < len(log) && len(page) < limit; position += step {
		if event, isObj := log[position].(*e.Object); isObj && wanted(event) {
			page = append(page, event)
		}
	}
	more := false
	for p := position; !polling && p >= 0 && p < len(log); p += step {
		if event, isObj := log[p].(*e.Object); isObj && wanted(event) {
			more = true
			break
		}
	}
	return okLinks(page, logLinks(ctx, position, polling || more))
}
