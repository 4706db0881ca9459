package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	e "twinverse/twins/goengine"
)

// The subset of the Okta Expression Language that group rule conditions use, as
// twins/okta/model/expression-language.ts parses and evaluates it.

type exprError struct{ message string }

func (x *exprError) Error() string { return x.message }

type expr struct {
	kind     string // constant, attribute, call, not, logical, compare
	value    any
	name     string
	args     []*expr
	operator string
	left     *expr
	right    *expr
}

type exprToken struct {
	kind string // string, number, name, symbol, end
	text string
	at   int
}

type exprScope struct {
	attribute func(name string) any
	internal  func(name string) any
	groups    func() [][2]string
}

type exprFunction struct {
	arity    int
	variadic bool
	returns  string
	run      func(args []any, scope exprScope) any
}

func exprText(v any) (string, bool) {
	if v == nil {
		return "", false
	}
	return jsString(v), true
}

func exprFunctions(name string) (exprFunction, bool) {
	switch name {
	case "String.startsWith":
		return exprFunction{arity: 2, returns: "boolean", run: func(a []any, _ exprScope) any {
			s, ok := exprText(a[0])
			return ok && strings.HasPrefix(s, jsString(a[1]))
		}}, true
	case "String.stringContains":
		return exprFunction{arity: 2, returns: "boolean", run: func(a []any, _ exprScope) any {
			s, ok := exprText(a[0])
			return ok && strings.Contains(s, jsString(a[1]))
		}}, true
	case "String.toLowerCase":
		return exprFunction{arity: 1, returns: "string", run: func(a []any, _ exprScope) any {
			if s, ok := exprText(a[0]); ok {
				return jsLower(s)
			}
			return nil
		}}, true
	case "String.toUpperCase":
		return exprFunction{arity: 1, returns: "string", run: func(a []any, _ exprScope) any {
			if s, ok := exprText(a[0]); ok {
				return jsUpper(s)
			}
			return nil
		}}, true
	case "String.len":
		return exprFunction{arity: 1, returns: "number", run: func(a []any, _ exprScope) any {
			s, _ := exprText(a[0])
			return float64(jsLen(s))
		}}, true
	case "String.substringBefore":
		return exprFunction{arity: 2, returns: "string", run: func(a []any, _ exprScope) any {
			s, ok := exprText(a[0])
			if !ok {
				return nil
			}
			if i := strings.Index(s, jsString(a[1])); i >= 0 {
				return s[:i]
			}
			return s
		}}, true
	case "String.substringAfter":
		return exprFunction{arity: 2, returns: "string", run: func(a []any, _ exprScope) any {
			s, ok := exprText(a[0])
			if !ok {
				return nil
			}
			search := jsString(a[1])
			if i := strings.Index(s, search); i >= 0 {
				return s[i+len(search):]
			}
			return ""
		}}, true
	case "isMemberOfGroup":
		return exprFunction{arity: 1, returns: "boolean", run: func(a []any, s exprScope) any {
			return anyGroup(s, func(g [2]string) bool { return a[0] == g[0] })
		}}, true
	case "isMemberOfAnyGroup":
		return exprFunction{arity: 1, variadic: true, returns: "boolean", run: func(a []any, s exprScope) any {
			return anyGroup(s, func(g [2]string) bool {
				for _, id := range a {
					if id == g[0] {
						return true
					}
				}
				return false
			})
		}}, true
	case "isMemberOfGroupName":
		return exprFunction{arity: 1, returns: "boolean", run: func(a []any, s exprScope) any {
			return anyGroup(s, func(g [2]string) bool { return a[0] == g[1] })
		}}, true
	case "isMemberOfGroupNameStartsWith":
		return exprFunction{arity: 1, returns: "boolean", run: func(a []any, s exprScope) any {
			return anyGroup(s, func(g [2]string) bool { return strings.HasPrefix(g[1], jsString(a[0])) })
		}}, true
	case "isMemberOfGroupNameContains":
		return exprFunction{arity: 1, returns: "boolean", run: func(a []any, s exprScope) any {
			return anyGroup(s, func(g [2]string) bool { return strings.Contains(g[1], jsString(a[0])) })
		}}, true
	case "user.getInternalProperty":
		return exprFunction{arity: 1, returns: "any", run: func(a []any, s exprScope) any { return s.internal(jsString(a[0])) }}, true
	}
	return exprFunction{}, false
}

func anyGroup(s exprScope, test func([2]string) bool) bool {
	for _, g := range s.groups() {
		if test(g) {
			return true
		}
	}
	return false
}

var exprSymbols = []string{"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", ",", ".", "=", "?", ":", "+", "-", "*", "/", "{", "}", "[", "]"}

func isJSSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\uFEFF'
}

func exprTokens(source string) ([]exprToken, error) {
	runes := []rune(source)
	// Positions are counted as JavaScript counts them (UTF-16 units), as the TypeScript twin's messages show them.
	pos := make([]int, len(runes)+1)
	for i, r := range runes {
		pos[i+1] = pos[i] + 1
		if r >= 0x10000 {
			pos[i+1]++
		}
	}
	var out []exprToken
	for i := 0; i < len(runes); {
		c := runes[i]
		if isJSSpace(c) {
			i++
			continue
		}
		if c == '"' || c == '\'' {
			start := i
			i++
			var b strings.Builder
			for i < len(runes) && runes[i] != c {
				if runes[i] == '\\' && i+1 < len(runes) {
					i++
				}
				b.WriteRune(runes[i])
				i++
			}
			if i >= len(runes) {
				return nil, &exprError{fmt.Sprintf("Invalid expression: the string starting at position %d is not closed", pos[start]+1)}
			}
			i++
			out = append(out, exprToken{"string", b.String(), pos[start]})
			continue
		}
		if c >= '0' && c <= '9' {
			start := i
			for i < len(runes) && runes[i] >= '0' && runes[i] <= '9' {
				i++
			}
			if i+1 < len(runes) && runes[i] == '.' && runes[i+1] >= '0' && runes[i+1] <= '9' {
				i++
				for i < len(runes) && runes[i] >= '0' && runes[i] <= '9' {
					i++
				}
			}
			out = append(out, exprToken{"number", string(runes[start:i]), pos[start]})
			continue
		}
		if c == '_' || c == '$' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') {
			start := i
			for i < len(runes) && (runes[i] == '_' || runes[i] == '$' || (runes[i] >= 'A' && runes[i] <= 'Z') || (runes[i] >= 'a' && runes[i] <= 'z') || (runes[i] >= '0' && runes[i] <= '9')) {
				i++
			}
			out = append(out, exprToken{"name", string(runes[start:i]), pos[start]})
			continue
		}
		matched := ""
		for _, s := range exprSymbols {
			if strings.HasPrefix(string(runes[i:min(len(runes), i+len(s))]), s) {
				matched = s
				break
			}
		}
		if matched == "" {
			return nil, &exprError{fmt.Sprintf("Invalid expression: unexpected character '%c' at position %d", c, pos[i]+1)}
		}
		out = append(out, exprToken{"symbol", matched, pos[i]})
		i += len([]rune(matched))
	}
	return append(out, exprToken{"end", "", pos[len(runes)]}), nil
}

type exprParser struct {
	tokens []exprToken
	i      int
}

func (p *exprParser) peek() exprToken { return p.tokens[p.i] }

func (p *exprParser) take() exprToken {
	t := p.tokens[p.i]
	if p.i < len(p.tokens)-1 {
		p.i++
	}
	return t
}

func (p *exprParser) isSymbol(v string) bool { t := p.peek(); return t.kind == "symbol" && t.text == v }

func (p *exprParser) isKeyword(k string) bool {
	t := p.peek()
	return t.kind == "name" && jsLower(t.text) == k
}

func (p *exprParser) unexpected(t exprToken, wanted string) error {
	if t.kind == "symbol" && t.text == "=" {
		return &exprError{"Invalid expression: an expression cannot contain an assignment ('='); use '==' to compare"}
	}
	if t.kind == "symbol" && (t.text == "?" || t.text == ":") {
		return &exprError{"Invalid expression: conditional (? :) expressions are not supported in group rule conditions"}
	}
	seen := "end of expression"
	if t.kind == "number" {
		f, _ := strconv.ParseFloat(t.text, 64)
		seen = "'" + e.FormatNumber(f) + "'"
	} else if t.kind != "end" {
		seen = "'" + t.text + "'"
	}
	msg := fmt.Sprintf("Invalid expression: unexpected %s at position %d", seen, t.at+1)
	if wanted != "" {
		msg += ", expected " + wanted
	}
	return &exprError{msg}
}

func (p *exprParser) expect(v string) error {
	if !p.isSymbol(v) {
		return p.unexpected(p.peek(), "'"+v+"'")
	}
	p.i++
	return nil
}

func (p *exprParser) or() (*expr, error) {
	left, err := p.and()
	for err == nil && (p.isSymbol("||") || p.isKeyword("or")) {
		p.i++
		var right *expr
		if right, err = p.and(); err == nil {
			left = &expr{kind: "logical", operator: "or", left: left, right: right}
		}
	}
	return left, err
}

func (p *exprParser) and() (*expr, error) {
	left, err := p.unary()
	for err == nil && (p.isSymbol("&&") || p.isKeyword("and")) {
		p.i++
		var right *expr
		if right, err = p.unary(); err == nil {
			left = &expr{kind: "logical", operator: "and", left: left, right: right}
		}
	}
	return left, err
}

func (p *exprParser) unary() (*expr, error) {
	if p.isSymbol("!") || p.isKeyword("not") {
		p.i++
		operand, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &expr{kind: "not", left: operand}, nil
	}
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == "symbol" && contains([]string{"==", "!=", "<", ">", "<=", ">="}, t.text) {
		p.i++
		right, err := p.primary()
		if err != nil {
			return nil, err
		}
		return &expr{kind: "compare", operator: t.text, left: left, right: right}, nil
	}
	return left, nil
}

func (p *exprParser) primary() (*expr, error) {
	t := p.take()
	switch {
	case t.kind == "string":
		return &expr{kind: "constant", value: t.text}, nil
	case t.kind == "number":
		f, _ := strconv.ParseFloat(t.text, 64)
		return &expr{kind: "constant", value: f}, nil
	case t.kind == "symbol" && t.text == "(":
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return inner, nil
	case t.kind == "symbol" && t.text == "-" && p.peek().kind == "number":
		f, _ := strconv.ParseFloat(p.take().text, 64)
		return &expr{kind: "constant", value: -f}, nil
	case t.kind != "name":
		return nil, p.unexpected(t, "")
	}
	switch jsLower(t.text) {
	case "true", "false":
		return &expr{kind: "constant", value: jsLower(t.text) == "true"}, nil
	case "null":
		return &expr{kind: "constant", value: nil}, nil
	}
	path := []string{t.text}
	for p.isSymbol(".") {
		p.i++
		part := p.take()
		if part.kind != "name" {
			return nil, p.unexpected(part, "a name")
		}
		path = append(path, part.text)
	}
	name := strings.Join(path, ".")
	if p.isSymbol("(") {
		return p.call(name)
	}
	if path[0] == "user" && len(path) == 2 {
		return &expr{kind: "attribute", name: path[1]}, nil
	}
	if path[0] == "user" && len(path) > 2 {
		return nil, &exprError{"Invalid property " + strings.Join(path[1:], ".") + " in expression: user attributes are referenced as user.attributeName"}
	}
	return nil, &exprError{"Invalid expression: unknown variable '" + name + "'; group rules reference user attributes as user.attributeName"}
}

func (p *exprParser) call(name string) (*expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var args []*expr
	if !p.isSymbol(")") {
		arg, err := p.or()
		if err != nil {
			return nil, err
		}
		args = append(args, arg)
		for p.isSymbol(",") {
			p.i++
			if arg, err = p.or(); err != nil {
				return nil, err
			}
			args = append(args, arg)
		}
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	spec, ok := exprFunctions(name)
	if !ok {
		return nil, &exprError{"Function " + name + " is not supported in group rule expressions"}
	}
	if (spec.variadic && len(args) < spec.arity) || (!spec.variadic && len(args) != spec.arity) {
		want := strconv.Itoa(spec.arity)
		if spec.variadic {
			want = "at least " + want
		}
		return nil, &exprError{fmt.Sprintf("Parameter count mismatch for function %s: expected %s, got %d", name, want, len(args))}
	}
	return &expr{kind: "call", name: name, args: args}, nil
}

func exprType(x *expr) string {
	switch x.kind {
	case "constant":
		switch x.value.(type) {
		case nil:
			return "null"
		case string:
			return "string"
		case float64:
			return "number"
		}
		return "boolean"
	case "attribute":
		return "any"
	case "call":
		spec, _ := exprFunctions(x.name)
		return spec.returns
	}
	return "boolean"
}

var errNotBoolean = &exprError{"Invalid expression: the condition must evaluate to a Boolean value"}

func checkExprTypes(x *expr) error {
	boolean := func(y *expr) error {
		if err := checkExprTypes(y); err != nil {
			return err
		}
		if t := exprType(y); t != "boolean" && t != "any" {
			return errNotBoolean
		}
		return nil
	}
	switch x.kind {
	case "not":
		return boolean(x.left)
	case "logical":
		if err := boolean(x.left); err != nil {
			return err
		}
		return boolean(x.right)
	case "compare":
		if err := checkExprTypes(x.left); err != nil {
			return err
		}
		return checkExprTypes(x.right)
	case "call":
		for _, a := range x.args {
			if err := checkExprTypes(a); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseCondition parses a group rule condition, or says what is wrong with it: an expression that is Boolean.
func parseCondition(source string) (*expr, error) {
	x, err := parseClaimExpression(source)
	if err != nil {
		return nil, err
	}
	if t := exprType(x); t != "boolean" && t != "any" {
		return nil, errNotBoolean
	}
	return x, nil
}

func exprEqual(a, b any) bool {
	if a == nil && b == nil {
		return true
	}
	_, aNum := a.(float64)
	_, bNum := b.(float64)
	if aNum || bNum {
		if a == nil || b == nil {
			return false
		}
		return jsNumber(a) == jsNumber(b)
	}
	return strictEqual(a, b)
}

// jsNumber is JavaScript's Number(value) for the values an expression sees.
func jsNumber(v any) float64 {
	switch t := v.(type) {
	case float64:
		return t
	case bool:
		if t {
			return 1
		}
		return 0
	case string:
		s := jsTrim(t)
		if s == "" {
			return 0
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return math.NaN()
}

func exprOrdered(op string, a, b any) bool {
	if x, ok := a.(float64); ok {
		if y, ok := b.(float64); ok {
			return map[string]bool{"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
		}
		return false
	}
	x, okA := a.(string)
	y, okB := b.(string)
	if !okA || !okB {
		return false
	}
	less, greater := jsLess(x, y), jsLess(y, x)
	return map[string]bool{"<": less, ">": greater, "<=": !greater, ">=": !less}[op]
}

func evaluate(x *expr, scope exprScope) any {
	switch x.kind {
	case "constant":
		return x.value
	case "attribute":
		return scope.attribute(x.name)
	case "call":
		spec, _ := exprFunctions(x.name)
		args := make([]any, len(x.args))
		for i, a := range x.args {
			args[i] = evaluate(a, scope)
		}
		return spec.run(args, scope)
	case "not":
		return evaluate(x.left, scope) != true
	case "logical":
		left := evaluate(x.left, scope) == true
		if x.operator == "and" {
			return left && evaluate(x.right, scope) == true
		}
		return left || evaluate(x.right, scope) == true
	}
	left, right := evaluate(x.left, scope), evaluate(x.right, scope)
	switch x.operator {
	case "==":
		return exprEqual(left, right)
	case "!=":
		return !exprEqual(left, right)
	}
	return exprOrdered(x.operator, left, right)
}
