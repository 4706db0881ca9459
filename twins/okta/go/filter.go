package main

import (
	"regexp"
	"strconv"
	"strings"

	e "twinverse/twins/goengine"
)

// filterRules say which properties and operators a filter or search parameter takes and how to read a property
// (twins/okta/model/filter.ts: SCIM filters as Okta takes them).
type filterRules struct {
	supports      func(property, operator string) bool
	read          func(record *e.Object, property string) any
	dates         map[string]bool
	caseSensitive bool
}

type expression struct {
	kind     string // present, compare, and, or
	property string
	operator string
	value    any
	left     *expression
	right    *expression
}

type token struct {
	kind string // word, string, symbol, end
	text string
}

var comparisonOperators = map[string]bool{"eq": true, "ne": true, "sw": true, "co": true, "ew": true, "gt": true, "ge": true, "lt": true, "le": true}

func syntaxError() error       { return oktaErr("E0000031", causes("Invalid search syntax.")) }
func unsupportedFilter() error { return oktaErr("E0000031") }

// tokenize reads double-quoted strings (with backslash escapes), parentheses and words between them.
func tokenize(text string) ([]token, error) {
	var out []token
	runes := []rune(text)
	for i := 0; i < len(runes); {
		c := runes[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			out = append(out, token{"symbol", string(c)})
			i++
		case c == '"':
			var b strings.Builder
			i++
			closed := false
			for i < len(runes) {
				if runes[i] == '\\' && i+1 < len(runes) {
					b.WriteRune(runes[i+1])
					i += 2
					continue
				}
				if runes[i] == '"' {
					closed = true
					i++
					break
				}
				b.WriteRune(runes[i])
				i++
			}
			if !closed {
				return nil, syntaxError()
			}
			out = append(out, token{"string", b.String()})
		default:
			start := i
			for i < len(runes) && !strings.ContainsRune(" \t\n\r()\"", runes[i]) {
				i++
			}
			out = append(out, token{"word", string(runes[start:i])})
		}
	}
	return append(out, token{kind: "end"}), nil
}

var (
	propertyName = regexp.MustCompile(`^[A-Za-z_][\w.]*$`)
	bareNumber   = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

func bareLiteral(word string) (any, error) {
	lowered := jsLower(word)
	switch lowered {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if bareNumber.MatchString(word) {
		f, _ := strconv.ParseFloat(word, 64)
		return f, nil
	}
	return nil, syntaxError()
}

func parseExpression(text string) (*expression, error) {
	list, err := tokenize(text)
	if err != nil {
		return nil, err
	}
	pos := 0
	atKeyword := func(k string) bool { return list[pos].kind == "word" && jsLower(list[pos].text) == k }
	var parseOr, parseAnd, parseTerm func() (*expression, error)
	next := func() token {
		t := list[pos]
		if pos < len(list)-1 {
			pos++
		}
		return t
	}
	parseOr = func() (*expression, error) {
		left, err := parseAnd()
		if err != nil {
			return nil, err
		}
		for atKeyword("or") {
			pos++
			right, err := parseAnd()
			if err != nil {
				return nil, err
			}
			left = &expression{kind: "or", left: left, right: right}
		}
		return left, nil
	}
	parseAnd = func() (*expression, error) {
		left, err := parseTerm()
		if err != nil {
			return nil, err
		}
		for atKeyword("and") {
			pos++
			right, err := parseTerm()
			if err != nil {
				return nil, err
			}
			left = &expression{kind: "and", left: left, right: right}
		}
		return left, nil
	}
	parseTerm = func() (*expression, error) {
		first := next()
		if first.kind == "symbol" && first.text == "(" {
			inner, err := parseOr()
			if err != nil {
				return nil, err
			}
			if closing := next(); closing.kind != "symbol" || closing.text != ")" {
				return nil, syntaxError()
			}
			return inner, nil
		}
		if first.kind != "word" || !propertyName.MatchString(first.text) {
			return nil, syntaxError()
		}
		op := next()
		if op.kind != "word" {
			return nil, syntaxError()
		}
		operator := jsLower(op.text)
		if operator == "pr" {
			return &expression{kind: "present", property: first.text}, nil
		}
		if !comparisonOperators[operator] {
			return nil, syntaxError()
		}
		value := next()
		switch value.kind {
		case "string":
			return &expression{kind: "compare", property: first.text, operator: operator, value: value.text}, nil
		case "word":
			literal, err := bareLiteral(value.text)
			if err != nil {
				return nil, err
			}
			return &expression{kind: "compare", property: first.text, operator: operator, value: literal}, nil
		}
		return nil, syntaxError()
	}
	expr, err := parseOr()
	if err != nil {
		return nil, err
	}
	if list[pos].kind != "end" {
		return nil, syntaxError()
	}
	return expr, nil
}

func eachTerm(x *expression, visit func(*expression) error) error {
	if x.kind == "present" || x.kind == "compare" {
		return visit(x)
	}
	if err := eachTerm(x.left, visit); err != nil {
		return err
	}
	return eachTerm(x.right, visit)
}

// compileFilter parses an expression and checks it against the parameter's rules.
func compileFilter(text string, rules filterRules) (func(*e.Object) bool, error) {
	x, err := parseExpression(text)
	if err != nil {
		return nil, err
	}
	err = eachTerm(x, func(t *expression) error {
		op := t.operator
		if t.kind == "present" {
			op = "pr"
		}
		if !rules.supports(t.property, op) {
			return unsupportedFilter()
		}
		if t.kind == "compare" && rules.dates[t.property] {
			s, isStr := t.value.(string)
			if !isStr {
				return unsupportedFilter()
			}
			if _, err := e.ParseInstant(s); err != nil {
				return unsupportedFilter()
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return func(record *e.Object) bool { return matches(record, x, rules) }, nil
}

func matches(record *e.Object, x *expression, rules filterRules) bool {
	switch x.kind {
	case "and":
		return matches(record, x.left, rules) && matches(record, x.right, rules)
	case "or":
		return matches(record, x.left, rules) || matches(record, x.right, rules)
	case "present":
		v := rules.read(record, x.property)
		if arr, isArr := v.([]any); isArr {
			return len(arr) > 0
		}
		return v != nil && v != ""
	}
	v := rules.read(record, x.property)
	list, isArr := v.([]any)
	if !isArr {
		list = []any{v}
	}
	test := func(operator string) bool {
		for _, item := range list {
			if compareValue(item, operator, x.value, rules.dates[x.property], rules.caseSensitive) {
				return true
			}
		}
		return false
	}
	if x.operator == "ne" {
		return !test("eq")
	}
	return test(x.operator)
}

func ordered(diff float64, operator string) bool {
	switch operator {
	case "eq":
		return diff == 0
	case "gt":
		return diff > 0
	case "ge":
		return diff >= 0
	case "lt":
		return diff < 0
	case "le":
		return diff <= 0
	}
	return false
}

// instantMs reads a date value of an expression (or a record's timestamp) in epoch milliseconds, by the one
// definition of an instant both twins share (e.ParseInstant, src/state/instant.ts).
func instantMs(s string) (float64, bool) {
	t, err := e.ParseInstant(s)
	if err != nil {
		return 0, false
	}
	return float64(t.UnixMilli()), true
}

func compareValue(actual any, operator string, expected any, isDate, caseSensitive bool) bool {
	if actual == nil {
		return operator == "eq" && expected == nil
	}
	if expected == nil {
		return false
	}
	text := func(v any) string {
		if caseSensitive {
			return jsString(v)
		}
		return jsLower(jsString(v))
	}
	switch operator {
	case "sw":
		return strings.HasPrefix(text(actual), text(expected))
	case "co":
		return strings.Contains(text(actual), text(expected))
	}
	if isDate {
		a, okA := instantMs(jsString(actual))
		b, okB := instantMs(jsString(expected))
		if !okA || !okB {
			return false
		}
		return ordered(a-b, operator)
	}
	if a, isNum := actual.(float64); isNum {
		if b, isNum := expected.(float64); isNum {
			return ordered(a-b, operator)
		}
	}
	_, aBool := actual.(bool)
	_, bBool := expected.(bool)
	if aBool || bBool {
		return operator == "eq" && jsString(actual) == jsString(expected)
	}
	a, b := text(actual), text(expected)
	diff := 0.0
	if jsLess(a, b) {
		diff = -1
	} else if a != b {
		diff = 1
	}
	return ordered(diff, operator)
}

// pathValue is the value at a dotted path of a record.
func pathValue(record *e.Object, path string) any {
	var node any = record
	for _, key := range strings.Split(path, ".") {
		o, isObj := node.(*e.Object)
		if !isObj {
			return nil
		}
		node = get(o, key)
	}
	return node
}

var (
	userTopLevel  = map[string]bool{"id": true, "status": true, "created": true, "activated": true, "statusChanged": true, "lastUpdated": true, "lastLogin": true, "passwordChanged": true, "type.id": true}
	userDates     = map[string]bool{"created": true, "activated": true, "statusChanged": true, "lastUpdated": true, "lastLogin": true, "passwordChanged": true}
	userContains  = map[string]bool{"profile.firstName": true, "profile.lastName": true, "profile.email": true, "profile.login": true}
	userFilterSet = map[string]bool{"status": true, "lastUpdated": true, "id": true, "profile.login": true, "profile.email": true, "profile.firstName": true, "profile.lastName": true}
	searchOps     = map[string]bool{"eq": true, "sw": true, "co": true, "gt": true, "ge": true, "lt": true, "le": true, "pr": true}
	inequalities  = map[string]bool{"gt": true, "ge": true, "lt": true, "le": true}
)

func userAttribute(user *e.Object, attribute string) any {
	if strings.HasPrefix(attribute, "profile.") {
		return get(user.Obj("profile"), strings.TrimPrefix(attribute, "profile."))
	}
	if attribute == "type.id" {
		return get(user.Obj("type"), "id")
	}
	return get(user, attribute)
}

func userSearchRules() filterRules {
	return filterRules{
		supports: func(p, op string) bool {
			return (strings.HasPrefix(p, "profile.") || userTopLevel[p]) && searchOps[op] && (op != "co" || userContains[p])
		},
		read:  userAttribute,
		dates: userDates,
	}
}

func userFilterRules() filterRules {
	return filterRules{
		supports: func(p, op string) bool {
			return userFilterSet[p] && (op == "eq" || (p == "lastUpdated" && inequalities[op]))
		},
		read:          userAttribute,
		dates:         userDates,
		caseSensitive: true,
	}
}

// projectionSpec is a parsed `fields`: top-level names, and profile properties (all of them for a bare profile).
type projectionSpec struct {
	top        []string
	profile    []string
	profileAll bool
	hasProfile bool
}

var fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
var nestedProfile = regexp.MustCompile(`^profile[` + jsSpace + `]*:[` + jsSpace + `]*\((` + jsDot + `*)\)$`)

func fieldsRefused() error {
	return validationFailed("fields: The fields parameter must be a comma-separated list of properties, with profile properties inside profile:(...)")
}

func parseFields(fields string) (*projectionSpec, error) {
	p := &projectionSpec{}
	var items []string
	depth := 0
	var current strings.Builder
	for _, c := range fields {
		if c == '(' {
			depth++
		}
		if c == ')' {
			depth--
		}
		if depth < 0 || depth > 1 {
			return nil, fieldsRefused()
		}
		if c == ',' && depth == 0 {
			items = append(items, current.String())
			current.Reset()
		} else {
			current.WriteRune(c)
		}
	}
	if depth != 0 {
		return nil, fieldsRefused()
	}
	items = append(items, current.String())
	seen := map[string]bool{}
	for _, raw := range items {
		raw = jsTrim(raw)
		if m := nestedProfile.FindStringSubmatch(raw); m != nil {
			var names []string
			for _, n := range strings.Split(m[1], ",") {
				n = jsTrim(n)
				if !fieldName.MatchString(n) {
					return nil, fieldsRefused()
				}
				names = append(names, n)
			}
			p.hasProfile = true
			if !p.profileAll {
				p.profile = append(p.profile, names...)
			}
		} else if raw == "profile" {
			p.hasProfile, p.profileAll = true, true
		} else if fieldName.MatchString(raw) {
			if !seen[raw] {
				seen[raw] = true
				p.top = append(p.top, raw)
			}
		} else {
			return nil, fieldsRefused()
		}
	}
	return p, nil
}

// project keeps the id, always, and only the fields asked for (Okta's listUsers `fields`).
func project(user *e.Object, p *projectionSpec) *e.Object {
	out := e.NewObject("id", get(user, "id"))
	for _, name := range p.top {
		if v, has := user.Get(name); has {
			out.Set(name, v)
		}
	}
	if p.profileAll {
		out.Set("profile", get(user, "profile"))
	} else if p.hasProfile {
		profile := user.Obj("profile")
		picked := e.NewObject()
		for _, name := range p.profile {
			if v, has := profile.Get(name); has {
				picked.Set(name, v)
			}
		}
		out.Set("profile", picked)
	}
	return out
}
