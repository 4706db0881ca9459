package goengine

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// The built-in plugins as data (src/plugins/builtins.ts): a name and options, as POST /__twin/plugins takes them,
// with the options checked against the same JSON schemas and refused in ajv's words, so that both backends answer
// a bad plugin with the same message.

// optionSchema is the part of JSON Schema the built-in plugins' options use.
type optionSchema struct {
	kind     string
	minimum  *float64
	maximum  *float64
	enum     []any
	anyOf    []*optionSchema
	items    *optionSchema
	valuesOf *optionSchema
}

type optionProperty struct {
	name   string
	schema *optionSchema
}

type builtIn struct {
	name       string
	properties []optionProperty
	create     func(options *Object) (*Plugin, error)
}

func bound(n float64) *float64 { return &n }

var (
	oneOrMany   = &optionSchema{anyOf: []*optionSchema{{kind: "string"}, {kind: "array", items: &optionSchema{kind: "string"}}}}
	msOption    = &optionSchema{kind: "number", minimum: bound(0)}
	atLeastOne  = &optionSchema{kind: "integer", minimum: bound(1)}
	atLeastZero = &optionSchema{kind: "integer", minimum: bound(0)}
)

var targetProperties = []optionProperty{{"operationId", oneOrMany}, {"method", oneOrMany}, {"path", oneOrMany}}

var scheduleProperties = []optionProperty{{"nth", atLeastOne}, {"every", atLeastOne}, {"probability", &optionSchema{kind: "number", minimum: bound(0), maximum: bound(1)}}}

// builtIns are the built-in plugins in the TypeScript twin's order (its error messages list them in it).
var builtIns = []builtIn{
	{"rate-limit", []optionProperty{{"limit", atLeastZero}, {"limits", &optionSchema{kind: "object", valuesOf: atLeastZero}}, {"windowSeconds", atLeastOne}, {"enforce", &optionSchema{kind: "boolean"}}},
		func(o *Object) (*Plugin, error) { return rateLimitPlugin(o), nil }},
	{"fault", append([]optionProperty{{"fault", &optionSchema{enum: []any{float64(500), float64(503), "500", "503", "drop", "hang"}}}, {"retryAfterSeconds", atLeastZero}}, scheduleProperties...),
		func(o *Object) (*Plugin, error) {
			// "500" and "503" (as a command line gives them) are the statuses.
			if s := o.Str("fault"); allDigits.MatchString(s) {
				n, _ := strconv.ParseFloat(s, 64)
				o.Set("fault", n)
			}
			return faultPlugin(o), nil
		}},
	{"latency", []optionProperty{{"ms", msOption}, {"min", msOption}, {"max", msOption}, {"median", msOption}, {"p99", msOption}}, latencyPlugin},
	{"lag", []optionProperty{{"ms", msOption}}, lagPlugin},
	{"expire-credentials", []optionProperty{{"credential", &optionSchema{kind: "string"}}, {"at", &optionSchema{kind: "string"}}, {"afterCalls", atLeastZero}, {"revoked", &optionSchema{kind: "boolean"}}}, expireCredentialsPlugin},
	{"pagination", []optionProperty{{"shortPage", atLeastOne}, {"emptyBeforeLast", &optionSchema{kind: "boolean"}}}, paginationPlugin},
}

var allDigits = regexp.MustCompile(`^\d+$`)

func builtInNames() string {
	names := make([]string, len(builtIns))
	for i, b := range builtIns {
		names[i] = b.name
	}
	return strings.Join(names, ", ")
}

// PluginFromSpec makes a built-in plugin from data ({ "name": ..., "options": {...} }), checking its options
// (strings are coerced, as a command line gives them); the error names what is wrong.
func PluginFromSpec(spec any) (*Plugin, error) {
	o, isObject := spec.(*Object)
	name, hasName := "", false
	if isObject {
		v, _ := o.Get("name")
		name, hasName = v.(string)
	}
	if !hasName {
		return nil, fmt.Errorf(`[twinverse] a plugin is given as { "name": "<built-in plugin>", "options": {...} }; built-in plugins: %s`, builtInNames())
	}
	var entry *builtIn
	for i := range builtIns {
		if builtIns[i].name == name {
			entry = &builtIns[i]
		}
	}
	if entry == nil {
		return nil, fmt.Errorf("[twinverse] no built-in plugin is named %s; built-in plugins: %s", jsQuote(name), builtInNames())
	}
	options, given := o.Get("options")
	if !given || options == nil {
		options = NewObject()
	}
	checked, problems := checkOptions(entry.properties, Clone(options))
	if len(problems) > 0 {
		return nil, fmt.Errorf("[twinverse] plugin %s: %s", name, strings.Join(problems, "; "))
	}
	return entry.create(checked)
}

// ParsePluginArgument reads a command line's `--plugin name:key=value,key=value` as a spec for PluginFromSpec (a
// value with `|` is a list: `operationId=getUser|listUsers`).
func ParsePluginArgument(text string) (*Object, error) {
	name, rest, _ := strings.Cut(text, ":")
	options := NewObject()
	for _, pair := range strings.Split(rest, ",") {
		if pair == "" {
			continue
		}
		eq := strings.Index(pair, "=")
		if eq <= 0 {
			return nil, fmt.Errorf("[twinverse] --plugin %s: %s is not key=value", text, jsQuote(pair))
		}
		value := pair[eq+1:]
		if strings.Contains(value, "|") {
			parts := strings.Split(value, "|")
			list := make([]any, len(parts))
			for i, p := range parts {
				list[i] = p
			}
			options.Set(pair[:eq], list)
		} else {
			options.Set(pair[:eq], value)
		}
	}
	return NewObject("name", name, "options", options), nil
}

// targetOf reads a plugin's target from its checked options.
func targetOf(options *Object) pluginTarget {
	list := func(key string) []string {
		v, ok := options.Get(key)
		if !ok {
			return nil
		}
		if s, isText := v.(string); isText {
			return []string{s}
		}
		out := []string{}
		for _, x := range v.([]any) {
			out = append(out, x.(string))
		}
		return out
	}
	return pluginTarget{operationIDs: list("operationId"), methods: list("method"), paths: list("path")}
}

// checkOptions validates options as ajv does with allErrors and coerceTypes against
// { type: object, properties, additionalProperties: false }: the options come back with their values coerced, or
// with the problems in ajv's order and words.
func checkOptions(properties []optionProperty, options any) (*Object, []string) {
	o, isObject := options.(*Object)
	if !isObject {
		return nil, []string{"options must be object"}
	}
	var problems []string
	fail := func(path, message string) {
		where := strings.TrimPrefix(path, "/")
		if where == "" {
			where = "options"
		}
		problems = append(problems, where+" "+message)
	}
	known := map[string]bool{}
	for _, p := range properties {
		known[p.name] = true
	}
	all := append(append([]optionProperty(nil), properties...), targetProperties...)
	for _, p := range targetProperties {
		known[p.name] = true
	}
	// ajv checks additionalProperties before properties, over the data's keys in JavaScript's order.
	for _, k := range o.Keys() {
		if !known[k] {
			problems = append(problems, fmt.Sprintf("options must NOT have additional properties (%s)", k))
		}
	}
	for _, p := range all {
		if v, has := o.Get(p.name); has {
			coerced, _ := checkValue(p.schema, v, "/"+pointerEscape(p.name), fail)
			o.Set(p.name, coerced)
		}
	}
	return o, problems
}

func pointerEscape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// checkValue checks one value, returning it coerced where ajv would have coerced it, and whether it is valid.
func checkValue(s *optionSchema, data any, path string, fail func(path, message string)) (any, bool) {
	valid := true
	if s.kind != "" && !hasKind(data, s.kind) {
		if coerced, ok := coerceTo(data, s.kind); ok {
			data = coerced
		} else {
			fail(path, "must be "+s.kind)
			valid = false
		}
	}
	if s.enum != nil {
		found := false
		for _, option := range s.enum {
			found = found || deepEqual(option, data)
		}
		if !found {
			fail(path, "must be equal to one of the allowed values")
			valid = false
		}
	}
	if n, isNumber := data.(float64); isNumber {
		if s.maximum != nil && (n > *s.maximum || math.IsNaN(n)) {
			fail(path, "must be <= "+jsNumberString(*s.maximum))
			valid = false
		}
		if s.minimum != nil && (n < *s.minimum || math.IsNaN(n)) {
			fail(path, "must be >= "+jsNumberString(*s.minimum))
			valid = false
		}
	}
	if list, isList := data.([]any); isList && s.items != nil {
		for i, item := range list {
			var ok bool
			list[i], ok = checkValue(s.items, item, path+"/"+strconv.Itoa(i), fail)
			valid = valid && ok
		}
	}
	if o, isObject := data.(*Object); isObject && s.valuesOf != nil {
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			coerced, ok := checkValue(s.valuesOf, v, path+"/"+pointerEscape(k), fail)
			o.Set(k, coerced)
			valid = valid && ok
		}
	}
	if s.anyOf != nil {
		// A branch that passes takes back the errors of those before it; with none passing, ajv adds its own.
		var branchProblems []string
		collect := func(p, m string) { branchProblems = append(branchProblems, p+"\x00"+m) }
		passed := false
		for _, branch := range s.anyOf {
			var ok bool
			data, ok = checkValue(branch, data, path, collect)
			if ok {
				passed = true
				break
			}
		}
		if !passed {
			for _, p := range branchProblems {
				where, message, _ := strings.Cut(p, "\x00")
				fail(where, message)
			}
			fail(path, "must match a schema in anyOf")
			valid = false
		}
	}
	return data, valid
}

// hasKind is ajv's type check.
func hasKind(data any, kind string) bool {
	switch v := data.(type) {
	case string:
		return kind == "string"
	case bool:
		return kind == "boolean"
	case float64:
		return kind == "number" || (kind == "integer" && v == math.Trunc(v) && !math.IsInf(v, 0))
	case []any:
		return kind == "array"
	case *Object:
		return kind == "object"
	}
	return false
}

// coerceTo is ajv's coerceTypes for one value: numbers and booleans become strings, numeric strings, booleans and
// null become numbers, "true"/"false"/1/0/null become booleans; anything else is not coerced.
func coerceTo(data any, kind string) (any, bool) {
	switch kind {
	case "string":
		switch v := data.(type) {
		case float64:
			return jsNumberString(v), true
		case bool:
			return strconv.FormatBool(v), true
		case nil:
			return "", true
		}
	case "number", "integer":
		switch v := data.(type) {
		case bool:
			if v {
				return float64(1), true
			}
			return float64(0), true
		case nil:
			return float64(0), true
		case string:
			n, ok := jsStringToNumber(v)
			if v == "" || !ok || (kind == "integer" && !math.IsInf(n, 0) && n != math.Trunc(n)) {
				return nil, false
			}
			return n, true
		}
	case "boolean":
		switch data {
		case "false", float64(0), nil:
			return false, true
		case "true", float64(1):
			return true, true
		}
	}
	return nil, false
}

var (
	decimalLiteral = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity)$`)
	radixLiteral   = regexp.MustCompile(`^0([xXoObB])([0-9a-fA-F]+)$`)
)

// jsStringToNumber is JavaScript's Number(text): false where that is NaN.
func jsStringToNumber(text string) (float64, bool) {
	s := strings.TrimFunc(text, isJSSpace)
	if s == "" {
		return 0, true
	}
	if m := radixLiteral.FindStringSubmatch(s); m != nil {
		base := map[byte]int{'x': 16, 'o': 8, 'b': 2}[strings.ToLower(m[1])[0]]
		n, ok := new(big.Int).SetString(m[2], base)
		if !ok {
			return 0, false
		}
		f, _ := new(big.Float).SetInt(n).Float64()
		return f, true
	}
	if !decimalLiteral.MatchString(s) {
		return 0, false
	}
	if strings.HasSuffix(s, "Infinity") {
		if s[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return n, true
}

// isJSSpace is what String.prototype.trim removes: white space and line terminators.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}
