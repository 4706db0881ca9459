package main

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"

	e "twinverse/twins/goengine"
)

// Event hook filters (twins/okta/model/event-hook-filter.ts): for some of a hook's subscribed types, an Okta
// Expression Language condition an event must meet to be delivered, over these fields only:
//   event.eventType, event.outcome.reason, event.outcome.result, event.actor.id, event.actor.type,
//   event.actor.alternateId, event.actor.displayName, event.debugData.changedAttributes,
//   and the targets as a selection: event.target.?[<condition on id, type, alternateId, displayName>].size()
// with eq, ne, && and || (and == / !=), comparisons of a selection's size with a number, parentheses and `!`.
// Anything else is refused when the hook is created or replaced, rather than stored and silently never matched.

// eventFilterFields are the fields a filter may read, in the order the refusal lists them, and where each is.
var eventFilterFields = []struct {
	name string
	path []string
}{
	{"event.eventType", []string{"eventType"}},
	{"event.outcome.reason", []string{"outcome", "reason"}},
	{"event.outcome.result", []string{"outcome", "result"}},
	{"event.actor.id", []string{"actor", "id"}},
	{"event.actor.type", []string{"actor", "type"}},
	{"event.actor.alternateId", []string{"actor", "alternateId"}},
	{"event.actor.displayName", []string{"actor", "displayName"}},
	{"event.debugData.changedAttributes", []string{"debugContext", "debugData", "changedAttributes"}},
}

var targetFilterFields = []string{"id", "type", "alternateId", "displayName"}

func eventFilterField(name string) []string {
	for _, f := range eventFilterFields {
		if f.name == name {
			return f.path
		}
	}
	return nil
}

// filterProblem is a refusal of a filter: the field and what is wrong with it, for Okta's E0000001 errorCauses.
type filterProblem struct{ field, message string }

// filterSyntaxError is what the parser cannot read; it becomes part of a filterProblem's message.
type filterSyntaxError struct{ message string }

func (x *filterSyntaxError) Error() string { return x.message }

type filterValue struct {
	kind    string // literal, field or count
	literal any
	name    string
	where   *filterNode
}

type filterNode struct {
	kind        string // or, and, not, compare, value
	left, right *filterNode
	op          string
	lv, rv      filterValue
}

type filterToken struct {
	typ  string // string, number, name, op, select, eof
	text string
	at   int
}

var (
	filterOperators = []string{"&&", "||", "==", "!=", ">=", "<=", ">", "<", "!", "(", ")", "]"}
	filterNumber    = regexp.MustCompile(`^\d+(\.\d+)?`)
	filterName      = regexp.MustCompile(`^\.?[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\(\))?`)
)

// tokenizeFilter reads the expression as JavaScript strings are indexed (UTF-16 units), so that the positions in
// a refusal are the TypeScript twin's.
func tokenizeFilter(source string) ([]filterToken, error) {
	units := utf16.Encode([]rune(source))
	text := func(from, to int) string { return string(utf16.Decode(units[from:to])) }
	var tokens []filterToken
	i := 0
	for i < len(units) {
		c := rune(units[i])
		if jsWhitespace(c) {
			i++
			continue
		}
		if c == '\'' || c == '"' {
			var content []uint16
			j := i + 1
			for j < len(units) && rune(units[j]) != c {
				// A backslash takes the next character as it is, as the kit's tokenizer reads strings.
				if units[j] == '\\' && j+1 < len(units) {
					j++
				}
				content = append(content, units[j])
				j++
			}
			if j >= len(units) {
				return nil, &filterSyntaxError{"an unterminated string at position " + strconv.Itoa(i+1)}
			}
			tokens = append(tokens, filterToken{"string", string(utf16.Decode(content)), i})
			i = j + 1
			continue
		}
		rest := text(i, len(units))
		if strings.HasPrefix(rest, ".?[") {
			tokens = append(tokens, filterToken{"select", ".?[", i})
			i += 3
			continue
		}
		matched := false
		for _, op := range filterOperators {
			if strings.HasPrefix(rest, op) {
				tokens = append(tokens, filterToken{"op", op, i})
				i += len(op)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if m := filterNumber.FindString(rest); m != "" {
			tokens = append(tokens, filterToken{"number", m, i})
			i += len(m)
			continue
		}
		if m := filterName.FindString(rest); m != "" {
			tokens = append(tokens, filterToken{"name", m, i})
			i += len(m)
			continue
		}
		return nil, &filterSyntaxError{"'" + text(i, i+1) + "' at position " + strconv.Itoa(i+1)}
	}
	return append(tokens, filterToken{"eof", "", len(units)}), nil
}

// filterParser is a recursive-descent parser of the filter language; inTarget is true inside event.target.?[...].
type filterParser struct {
	tokens []filterToken
	pos    int
}

func (p *filterParser) peek() filterToken { return p.tokens[p.pos] }

func (p *filterParser) next() filterToken {
	t := p.tokens[p.pos]
	if p.pos < len(p.tokens)-1 {
		p.pos++
	}
	return t
}

func (p *filterParser) accept(text string) bool {
	t := p.peek()
	if (t.typ == "op" || t.typ == "name") && (t.text == text || (text == "&&" && t.text == "and") || (text == "||" && t.text == "or")) {
		p.pos++
		return true
	}
	return false
}

func (p *filterParser) parse() (*filterNode, error) {
	node, err := p.or(false)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.typ != "eof" {
		return nil, &filterSyntaxError{"'" + t.text + "' at position " + strconv.Itoa(t.at+1)}
	}
	return node, nil
}

func (p *filterParser) or(inTarget bool) (*filterNode, error) {
	left, err := p.and(inTarget)
	for err == nil && p.accept("||") {
		var right *filterNode
		if right, err = p.and(inTarget); err == nil {
			left = &filterNode{kind: "or", left: left, right: right}
		}
	}
	return left, err
}

func (p *filterParser) and(inTarget bool) (*filterNode, error) {
	left, err := p.unary(inTarget)
	for err == nil && p.accept("&&") {
		var right *filterNode
		if right, err = p.unary(inTarget); err == nil {
			left = &filterNode{kind: "and", left: left, right: right}
		}
	}
	return left, err
}

func (p *filterParser) unary(inTarget bool) (*filterNode, error) {
	if p.accept("!") {
		operand, err := p.unary(inTarget)
		return &filterNode{kind: "not", left: operand}, err
	}
	if p.accept("(") {
		inner, err := p.or(inTarget)
		if err != nil {
			return nil, err
		}
		if !p.accept(")") {
			return nil, &filterSyntaxError{"a missing ')' at position " + strconv.Itoa(p.peek().at+1)}
		}
		return inner, nil
	}
	left, err := p.value(inTarget)
	if err != nil {
		return nil, err
	}
	op := p.comparison()
	if op == "" {
		return &filterNode{kind: "value", lv: left}, nil
	}
	right, err := p.value(inTarget)
	return &filterNode{kind: "compare", op: op, lv: left, rv: right}, err
}

func (p *filterParser) comparison() string {
	t := p.peek()
	if t.typ != "op" && t.typ != "name" {
		return ""
	}
	spelled := map[string]string{"eq": "==", "ne": "!=", "==": "==", "!=": "!=", ">": ">", ">=": ">=", "<": "<", "<=": "<=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
	if op, known := spelled[t.text]; known {
		p.pos++
		return op
	}
	return ""
}

func (p *filterParser) value(inTarget bool) (filterValue, error) {
	t := p.next()
	switch t.typ {
	case "string":
		return filterValue{kind: "literal", literal: t.text}, nil
	case "number":
		n, _ := strconv.ParseFloat(t.text, 64)
		return filterValue{kind: "literal", literal: n}, nil
	case "eof":
		return filterValue{}, &filterSyntaxError{"an expression that ends too soon"}
	case "name":
	default:
		return filterValue{}, &filterSyntaxError{"'" + t.text + "' at position " + strconv.Itoa(t.at+1)}
	}
	switch t.text {
	case "true", "false":
		return filterValue{kind: "literal", literal: t.text == "true"}, nil
	case "null":
		return filterValue{kind: "literal", literal: nil}, nil
	}
	if inTarget {
		if !contains(targetFilterFields, t.text) {
			return filterValue{}, &filterSyntaxError{"the target field '" + t.text + "' (Okta filters targets on id, type, alternateId and displayName)"}
		}
		return filterValue{kind: "field", name: t.text}, nil
	}
	if t.text == "event.target" {
		if p.next().typ != "select" {
			return filterValue{}, &filterSyntaxError{"'event.target' without a selection (write event.target.?[...].size())"}
		}
		where, err := p.or(true)
		if err != nil {
			return filterValue{}, err
		}
		if !p.accept("]") {
			return filterValue{}, &filterSyntaxError{"a missing ']' at position " + strconv.Itoa(p.peek().at+1)}
		}
		if size := p.next(); size.typ != "name" || size.text != ".size()" {
			return filterValue{}, &filterSyntaxError{"a target selection not followed by .size()"}
		}
		return filterValue{kind: "count", where: where}, nil
	}
	if eventFilterField(t.text) == nil {
		names := make([]string, len(eventFilterFields))
		for i, f := range eventFilterFields {
			names[i] = f.name
		}
		return filterValue{}, &filterSyntaxError{"the field '" + t.text + "' (Okta filters on " + strings.Join(names, ", ") + " and event.target.?[...])"}
	}
	return filterValue{kind: "field", name: t.text}, nil
}

// parseFilterCondition parses one condition, or says what the twin cannot evaluate in it.
func parseFilterCondition(expression string) (*filterNode, error) {
	tokens, err := tokenizeFilter(expression)
	var node *filterNode
	if err == nil {
		node, err = (&filterParser{tokens: tokens}).parse()
	}
	if err != nil {
		return nil, &filterSyntaxError{"The twin cannot evaluate " + err.Error() + " in the event hook filter expression \"" + expression + "\""}
	}
	return node, nil
}

// checkEventHookFilter checks an event hook's events.filter and returns it as stored: type EXPRESSION_LANGUAGE and an
// eventFilterMap whose entries each name one of the hook's types (once) with a condition the twin can evaluate.
// Absent or null is no filter.
func checkEventHookFilter(raw any, present bool, items []string) (any, *filterProblem) {
	if !present || raw == nil {
		return nil, nil
	}
	filter, isObj := raw.(*e.Object)
	if !isObj {
		return nil, &filterProblem{"events.filter", "The filter must be an object with type and eventFilterMap"}
	}
	if get(filter, "type") != "EXPRESSION_LANGUAGE" {
		return nil, &filterProblem{"events.filter.type", "The filter type must be EXPRESSION_LANGUAGE"}
	}
	entries, isList := get(filter, "eventFilterMap").([]any)
	if !isList {
		return nil, &filterProblem{"events.filter.eventFilterMap", "The eventFilterMap must be a list"}
	}
	seen := map[string]bool{}
	out := make([]any, 0, len(entries))
	for _, item := range entries {
		entry, _ := item.(*e.Object)
		raw, has := entry.Get("event")
		event, isStr := raw.(string)
		if !isStr || !contains(items, event) {
			shown := "undefined"
			if has {
				shown = string(e.Marshal(raw))
			}
			return nil, &filterProblem{"events.filter.eventFilterMap.event", "The filtered event type " + shown + " is not one of the event hook's event types"}
		}
		if seen[event] {
			return nil, &filterProblem{"events.filter.eventFilterMap.event", "The event type " + event + " has more than one filter"}
		}
		seen[event] = true
		condition, _ := get(entry, "condition").(*e.Object)
		expression, isStr := get(condition, "expression").(string)
		if !isStr || jsTrim(expression) == "" {
			return nil, &filterProblem{"events.filter.eventFilterMap.condition.expression", "The field cannot be left blank"}
		}
		if _, err := parseFilterCondition(expression); err != nil {
			return nil, &filterProblem{"events.filter.eventFilterMap.condition.expression", err.Error()}
		}
		var version any
		if v, isStr := get(condition, "version").(string); isStr {
			version = v
		}
		out = append(out, e.NewObject("event", event, "condition", e.NewObject("expression", expression, "version", version)))
	}
	return e.NewObject("type", "EXPRESSION_LANGUAGE", "eventFilterMap", out), nil
}

// eventAt reads a path of keys in an event; absent and null are both nil (the TypeScript `?? null`).
func eventAt(o *e.Object, path []string) any {
	var v any = o
	for _, k := range path {
		obj, isObj := v.(*e.Object)
		if !isObj {
			return nil
		}
		v = get(obj, k)
	}
	return v
}

func filterValueOf(v filterValue, event, target *e.Object) any {
	switch v.kind {
	case "literal":
		return v.literal
	case "count":
		n := 0
		for _, t := range objects(event.Arr("target")) {
			if evaluateFilter(v.where, event, t) == true {
				n++
			}
		}
		return float64(n)
	}
	if target != nil {
		return get(target, v.name)
	}
	return eventAt(event, eventFilterField(v.name))
}

// filterEqual is JavaScript's ===: values of the filter language are equal when of one kind and value; a list or an
// object read from an event equals nothing the language can write.
func filterEqual(a, b any) bool {
	switch a.(type) {
	case nil, string, float64, bool:
		switch b.(type) {
		case nil, string, float64, bool:
			return a == b
		}
	}
	return false
}

func evaluateFilter(n *filterNode, event, target *e.Object) any {
	switch n.kind {
	case "or":
		return evaluateFilter(n.left, event, target) == true || evaluateFilter(n.right, event, target) == true
	case "and":
		return evaluateFilter(n.left, event, target) == true && evaluateFilter(n.right, event, target) == true
	case "not":
		return evaluateFilter(n.left, event, target) != true
	case "value":
		return filterValueOf(n.lv, event, target)
	}
	left, right := filterValueOf(n.lv, event, target), filterValueOf(n.rv, event, target)
	switch n.op {
	case "==":
		return filterEqual(left, right)
	case "!=":
		return !filterEqual(left, right)
	}
	l, lNum := left.(float64)
	r, rNum := right.(float64)
	if !lNum || !rNum {
		return false
	}
	switch n.op {
	case ">":
		return l > r
	case ">=":
		return l >= r
	case "<":
		return l < r
	}
	return l <= r
}

// passesEventHookFilter says whether a hook with this filter delivers the event: yes when no entry names its type,
// else when the entry's condition is true. A stored filter the twin cannot read (an imported state) delivers nothing.
func passesEventHookFilter(filter *e.Object, event *e.Object) bool {
	for _, entry := range objects(filter.Arr("eventFilterMap")) {
		if get(entry, "event") != event.Str("eventType") {
			continue
		}
		expression, _ := get(entry.Obj("condition"), "expression").(string)
		node, err := parseFilterCondition(expression)
		if err != nil {
			return false
		}
		return evaluateFilter(node, event, nil) == true
	}
	return true
}
