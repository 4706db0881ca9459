package goengine

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Diagnostic is one reason a request (or, in strict mode, a response) does not match the document.
type Diagnostic struct {
	In      string
	Name    string
	Message string
}

// schemaError is a failed keyword at a place in the instance, in ajv's words (the TypeScript engine
// validates with ajv, so refusals read the same from both backends).
type schemaError struct {
	path    []string
	keyword string
	message string
	missing string
	allowed []any
}

type validator struct {
	spec   *Spec
	errors []schemaError
	// Only the first few hundred problems are kept: a huge invalid body must not cost more than a small one.
	limit int
}

var patternCache sync.Map

func (v *validator) add(e schemaError) {
	if len(v.errors) < v.limit {
		v.errors = append(v.errors, e)
	}
}

func typeOf(data any) string {
	switch t := data.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		// ajv's integer check is !(x % 1) && !isNaN(x): an infinity passes it (formats and bounds refuse it).
		if t == math.Trunc(t) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case *Object:
		return "object"
	}
	return "unknown"
}

func matchesType(data any, t string) bool {
	actual := typeOf(data)
	return actual == t || (t == "number" && actual == "integer")
}

func schemaTypes(s *Object) []string {
	var types []string
	switch t, _ := s.Get("type"); tv := t.(type) {
	case string:
		types = []string{tv}
	case []any:
		for _, x := range tv {
			if str, ok := x.(string); ok {
				types = append(types, str)
			}
		}
	}
	return types
}

func num(s *Object, key string) (float64, bool) { return getNumber(s, key) }

func (v *validator) validate(schemaNode any, data any, path []string) {
	s, ok := schemaNode.(*Object)
	if !ok {
		return
	}
	s = v.spec.resolve(s)
	if s == nil {
		return
	}
	types := schemaTypes(s)
	typeOK := true
	if len(types) > 0 {
		typeOK = false
		for _, t := range types {
			if matchesType(data, t) {
				typeOK = true
			}
		}
		if nullable, _ := s.Get("nullable"); nullable == true && data == nil {
			typeOK = true
		}
		if !typeOK {
			v.add(schemaError{path: path, keyword: "type", message: "must be " + strings.Join(types, ",")})
		}
	}
	// Keywords for any type come first, as ajv orders them.
	if enum, has := s.Get("enum"); has {
		list, _ := enum.([]any)
		found := false
		for _, option := range list {
			if deepEqual(option, data) {
				found = true
				break
			}
		}
		nullable, _ := s.Get("nullable")
		if !found && !(nullable == true && data == nil) {
			v.add(schemaError{path: path, keyword: "enum", message: "must be equal to one of the allowed values", allowed: list})
		}
	}
	if c, has := s.Get("const"); has && !deepEqual(c, data) {
		v.add(schemaError{path: path, keyword: "const", message: "must be equal to constant"})
	}
	for _, sub := range s.Arr("allOf") {
		v.validate(sub, data, path)
	}
	if list := s.Arr("anyOf"); list != nil {
		before := len(v.errors)
		passed := false
		for _, sub := range list {
			mark := len(v.errors)
			v.validate(sub, data, path)
			if len(v.errors) == mark {
				passed = true
				break
			}
		}
		if passed {
			v.errors = v.errors[:before]
		} else {
			v.add(schemaError{path: path, keyword: "anyOf", message: "must match a schema in anyOf"})
		}
	}
	if list := s.Arr("oneOf"); list != nil {
		before := len(v.errors)
		passing := 0
		for _, sub := range list {
			mark := len(v.errors)
			v.validate(sub, data, path)
			if len(v.errors) == mark {
				passing++
			}
		}
		if passing == 1 {
			v.errors = v.errors[:before]
		} else {
			if passing > 1 {
				v.errors = v.errors[:before]
			}
			v.add(schemaError{path: path, keyword: "oneOf", message: "must match exactly one schema in oneOf"})
		}
	}
	if not, has := s.Get("not"); has {
		probe := &validator{spec: v.spec, limit: 1}
		probe.validate(not, data, path)
		if len(probe.errors) == 0 {
			v.add(schemaError{path: path, keyword: "not", message: "must NOT be valid"})
		}
	}
	switch d := data.(type) {
	case float64:
		if m, has := num(s, "maximum"); has && d > m {
			v.add(schemaError{path: path, keyword: "maximum", message: "must be <= " + FormatNumber(m)})
		}
		if m, has := num(s, "minimum"); has && d < m {
			v.add(schemaError{path: path, keyword: "minimum", message: "must be >= " + FormatNumber(m)})
		}
		if m, has := num(s, "multipleOf"); has && m != 0 && math.Mod(d, m) != 0 {
			v.add(schemaError{path: path, keyword: "multipleOf", message: "must be multiple of " + FormatNumber(m)})
		}
		if s.Str("format") == "int32" && (d != math.Trunc(d) || d < math.MinInt32 || d > math.MaxInt32) {
			v.add(schemaError{path: path, keyword: "format", message: `must match format "int32"`})
		}
	case string:
		n := float64(CodePoints(d))
		if m, has := num(s, "maxLength"); has && n > m {
			v.add(schemaError{path: path, keyword: "maxLength", message: "must NOT have more than " + FormatNumber(m) + " characters"})
		}
		if m, has := num(s, "minLength"); has && n < m {
			v.add(schemaError{path: path, keyword: "minLength", message: "must NOT have fewer than " + FormatNumber(m) + " characters"})
		}
		if p := s.Str("pattern"); p != "" {
			if re := compiledPattern(p); re != nil && !re.MatchString(d) {
				v.add(schemaError{path: path, keyword: "pattern", message: `must match pattern "` + p + `"`})
			}
		}
		if f := s.Str("format"); f != "" && !formatOK(f, d) {
			v.add(schemaError{path: path, keyword: "format", message: `must match format "` + f + `"`})
		}
	case []any:
		n := float64(len(d))
		if m, has := num(s, "maxItems"); has && n > m {
			v.add(schemaError{path: path, keyword: "maxItems", message: "must NOT have more than " + FormatNumber(m) + " items"})
		}
		if m, has := num(s, "minItems"); has && n < m {
			v.add(schemaError{path: path, keyword: "minItems", message: "must NOT have fewer than " + FormatNumber(m) + " items"})
		}
		if items, has := s.Get("items"); has {
			for i, x := range d {
				v.validate(items, x, appendPath(path, strconv.Itoa(i)))
			}
		}
		if unique, _ := s.Get("uniqueItems"); unique == true {
			for i := len(d) - 1; i > 0; i-- {
				for j := i - 1; j >= 0; j-- {
					if deepEqual(d[i], d[j]) {
						v.add(schemaError{path: path, keyword: "uniqueItems", message: "must NOT have duplicate items (items ## " + strconv.Itoa(j) + " and " + strconv.Itoa(i) + " are identical)"})
						i = 0
						break
					}
				}
			}
		}
	case *Object:
		n := float64(d.Len())
		if m, has := num(s, "maxProperties"); has && n > m {
			v.add(schemaError{path: path, keyword: "maxProperties", message: "must NOT have more than " + FormatNumber(m) + " properties"})
		}
		if m, has := num(s, "minProperties"); has && n < m {
			v.add(schemaError{path: path, keyword: "minProperties", message: "must NOT have fewer than " + FormatNumber(m) + " properties"})
		}
		for _, r := range s.Arr("required") {
			name, _ := r.(string)
			if !d.Has(name) {
				v.add(schemaError{path: path, keyword: "required", message: "must have required property '" + name + "'", missing: name})
			}
		}
		props := s.Obj("properties")
		if extra, has := s.Get("additionalProperties"); has {
			switch e := extra.(type) {
			case bool:
				if !e {
					for _, k := range d.Keys() {
						if !props.Has(k) {
							v.add(schemaError{path: path, keyword: "additionalProperties", message: "must NOT have additional properties"})
						}
					}
				}
			case *Object:
				for _, k := range d.Keys() {
					if !props.Has(k) {
						x, _ := d.Get(k)
						v.validate(e, x, appendPath(path, k))
					}
				}
			}
		}
		for _, k := range props.Keys() {
			if x, has := d.Get(k); has {
				v.validate(props.Obj(k), x, appendPath(path, k))
			}
		}
	}
}

func appendPath(path []string, part string) []string {
	out := make([]string, len(path)+1)
	copy(out, path)
	out[len(path)] = part
	return out
}

func compiledPattern(p string) *regexp.Regexp {
	if re, ok := patternCache.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil
	}
	patternCache.Store(p, re)
	return re
}

var dateTimeRE = regexp.MustCompile(`(?i)^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$`)

// formatOK checks the formats the document uses, as ajv-formats does; others are not checked (ajv, not strict, ignores them).
func formatOK(format, s string) bool {
	switch format {
	case "date-time":
		if !dateTimeRE.MatchString(s) {
			return false
		}
		_, err := time.Parse("2006-01-02", s[:10])
		return err == nil
	case "date":
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	case "int32":
		return true
	}
	return true
}

func deepEqual(a, b any) bool {
	switch x := a.(type) {
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			xv, _ := x.Get(k)
			yv, has := y.Get(k)
			if !has || !deepEqual(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !deepEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

func (v *validator) diagnostics(where, root string) []Diagnostic {
	out := make([]Diagnostic, 0, len(v.errors))
	for _, e := range v.errors {
		parts := append([]string(nil), e.path...)
		if e.keyword == "required" {
			parts = append(parts, e.missing)
		}
		var named []string
		if root != "" {
			named = append(named, root)
		}
		for _, p := range parts {
			if p != "" {
				named = append(named, p)
			}
		}
		name := strings.Join(named, ".")
		if name == "" {
			if where == "body" {
				name = "body"
			} else {
				name = root
			}
		}
		message := e.message
		switch e.keyword {
		case "required":
			message = "is required"
		case "enum":
			values := make([]string, len(e.allowed))
			for i, a := range e.allowed {
				values[i] = jsString(a)
			}
			message = e.message + ": " + strings.Join(values, ", ")
		}
		out = append(out, Diagnostic{In: where, Name: name, Message: message})
	}
	return out
}

// jsString is String(value) in JavaScript, for the values an enum lists.
func jsString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return "null"
	case float64:
		return FormatNumber(t)
	case bool:
		if t {
			return "true"
		}
		return "false"
	case *Object:
		return "[object Object]"
	default:
		return string(Marshal(v))
	}
}

// coerce converts a parameter's text to its schema's type as ajv's coerceTypes "array" does; a value that does
// not convert stays as it is, for validation to refuse.
func (s *Spec) coerce(schemaNode any, value any) any {
	schema := s.resolve(asObject(schemaNode))
	types := schemaTypes(schema)
	if len(types) == 0 {
		return value
	}
	if arr, isArr := value.([]any); isArr {
		if types[0] == "array" {
			items := schema.Obj("items")
			out := make([]any, len(arr))
			for i, x := range arr {
				out[i] = s.coerce(items, x)
			}
			return out
		}
		if len(arr) == 1 {
			return s.coerce(schema, arr[0])
		}
		return value
	}
	str, isStr := value.(string)
	if !isStr {
		return value
	}
	for _, t := range types {
		if t == "string" {
			return value
		}
	}
	switch types[0] {
	case "integer", "number", "boolean":
		if coerced, ok := coerceTo(str, types[0]); ok {
			return coerced
		}
	case "array":
		items := schema.Obj("items")
		return []any{s.coerce(items, str)}
	}
	return value
}

func asObject(v any) *Object {
	o, _ := v.(*Object)
	return o
}

// ValidateParameters coerces, defaults and checks an operation's path, query and header parameters, in that
// group order (as the TypeScript engine does); raw holds each group's values as text, or []any of text for arrays.
func (op *Operation) ValidateParameters(raw map[string]map[string]any) (map[string]map[string]any, []Diagnostic) {
	out := map[string]map[string]any{"path": {}, "query": {}, "header": {}}
	var diagnostics []Diagnostic
	for _, where := range []string{"path", "query", "header"} {
		var v *validator
		for _, p := range op.Params {
			if p.In != where {
				continue
			}
			if v == nil {
				v = &validator{spec: op.spec, limit: 200}
			}
			value, has := raw[where][p.Name]
			schema := op.spec.resolve(asObject(p.schema))
			if !has {
				if def, hasDefault := schema.Get("default"); hasDefault {
					out[where][p.Name] = Clone(def)
					continue
				}
				if p.Required {
					v.add(schemaError{keyword: "required", message: "is required", missing: p.Name})
				}
				continue
			}
			coerced := op.spec.coerce(schema, value)
			out[where][p.Name] = coerced
			v.validate(schema, coerced, []string{p.Name})
		}
		if v != nil {
			diagnostics = append(diagnostics, v.diagnostics(where, "")...)
		}
	}
	return out, diagnostics
}

// checkParameters is ValidateParameters on the request itself: each declared parameter is read where the request
// has it, without gathering the raw values first. It gives the query's values (nil when there are none), the path's
// text values and the diagnostics. A parameter whose schema is a plain string takes its text as it is, which is
// what coercing and validating it would conclude.
func (op *Operation) checkParameters(ctx *Ctx) (query map[string]any, path [][2]string, diagnostics []Diagnostic) {
	for _, where := range [...]string{"path", "query", "header"} {
		var v *validator
		for i := range op.Params {
			p := &op.Params[i]
			if p.In != where {
				continue
			}
			text, items, has := parameterValue(ctx, p)
			if has && p.plain && !p.IsArray {
				// A path parameter keeps the text the route gave it: nothing to replace.
				if where != "path" {
					query, path = keepParameter(query, path, where, p.Name, text)
				}
				continue
			}
			var value any = text
			if p.In == "query" && p.IsArray {
				value = items
			}
			schema := op.spec.resolve(asObject(p.schema))
			if !has {
				if def, hasDefault := schema.Get("default"); hasDefault {
					query, path = keepParameter(query, path, where, p.Name, Clone(def))
					continue
				}
				if p.Required {
					v = op.parameterValidator(v)
					v.add(schemaError{keyword: "required", message: "is required", missing: p.Name})
				}
				continue
			}
			v = op.parameterValidator(v)
			coerced := op.spec.coerce(schema, value)
			query, path = keepParameter(query, path, where, p.Name, coerced)
			v.validate(schema, coerced, []string{p.Name})
		}
		if v != nil {
			diagnostics = append(diagnostics, v.diagnostics(where, "")...)
		}
	}
	return query, path, diagnostics
}

// parameterValidator is v, or a new validator of the operation's parameters where there is none yet: a request
// whose parameters need no check (all plain, or absent and optional) makes none.
func (op *Operation) parameterValidator(v *validator) *validator {
	if v == nil {
		return &validator{spec: op.spec, limit: 200}
	}
	return v
}

// parameterValue is a parameter's raw value as the request has it: text, or (an array in the query) items of text.
func parameterValue(ctx *Ctx, p *Param) (text string, items []any, has bool) {
	switch p.In {
	case "path":
		text, has = ctx.Params[p.Name]
		return text, nil, has
	case "query":
		if !p.IsArray {
			text, has = ctx.Search.Get(p.Name)
			return text, nil, has
		}
		for _, v := range ctx.Search.GetAll(p.Name) {
			for _, part := range strings.Split(v, ",") {
				items = append(items, part)
			}
		}
		return "", items, items != nil
	case "header":
		text, has = ctx.Headers[p.Name]
		return text, nil, has
	}
	return "", nil, false
}

// keepParameter keeps a checked value: the query's in its map, the path's text ones (which replace the route's).
func keepParameter(query map[string]any, path [][2]string, where, name string, value any) (map[string]any, [][2]string) {
	switch where {
	case "query":
		if query == nil {
			query = map[string]any{}
		}
		query[name] = value
	case "path":
		if s, ok := value.(string); ok {
			path = append(path, [2]string{name, s})
		}
	}
	return query, path
}

// plainString says whether a parameter's schema is just { type: string } (with words that do not validate): any
// text then passes as it is.
func plainString(schema *Object) bool {
	if schema == nil || schema.Str("type") != "string" {
		return false
	}
	for _, k := range schema.Keys() {
		switch k {
		case "type", "description", "title", "example", "examples", "deprecated":
		default:
			if !strings.HasPrefix(k, "x-") {
				return false
			}
		}
	}
	return true
}

// ValidateBody checks a parsed body against the schema of its media type.
func (op *Operation) ValidateBody(mediaType string, body any) []Diagnostic {
	schema, ok := op.bodySchemas[mediaType]
	if !ok {
		schema, ok = op.bodySchemas["*/*"]
	}
	if !ok {
		return nil
	}
	v := &validator{spec: op.spec, limit: 200}
	if strings.Contains(mediaType, "form") {
		body = op.spec.coerceForm(schema, body)
	}
	v.validate(schema, body, nil)
	return v.diagnostics("body", "")
}

// coerceForm converts form fields (text) to their properties' types, as parameters are.
func (s *Spec) coerceForm(schemaNode any, body any) any {
	o, ok := body.(*Object)
	schema := s.resolve(asObject(schemaNode))
	if !ok || schema == nil {
		return body
	}
	props := schema.Obj("properties")
	for _, k := range o.Keys() {
		if p := props.Obj(k); p != nil {
			x, _ := o.Get(k)
			o.Set(k, s.coerce(p, x))
		}
	}
	return o
}

// ValidateResponse is strict mode's check of an answer against the document.
func (op *Operation) ValidateResponse(status int, mediaType string, body any, hasBody bool) []Diagnostic {
	code := strconv.Itoa(status)
	entry, ok := op.responses[code]
	if !ok {
		entry, ok = op.responses[code[:1]+"XX"]
	}
	if !ok {
		entry, ok = op.responses["DEFAULT"]
	}
	if !ok {
		return []Diagnostic{{In: "response", Name: "status", Message: "status " + code + " is not documented for " + op.ID}}
	}
	if !hasBody {
		return nil
	}
	if !entry.hasContent {
		return []Diagnostic{{In: "response", Name: "body", Message: "status " + code + " of " + op.ID + " is documented without a body, but one was sent"}}
	}
	schema, found := entry.media[mediaType]
	if !found && len(entry.media) == 1 {
		for _, only := range entry.media {
			schema, found = only, true
		}
	}
	if !found {
		return nil
	}
	v := &validator{spec: op.spec, limit: 200}
	v.validate(schema, body, nil)
	return v.diagnostics("response", "body")
}
