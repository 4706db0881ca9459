package main

import (
	"regexp"

	e "twinverse/twins/goengine"
)

// User profile schemas (twins/okta/model/schemas.ts and api/schemas.ts).

const schemaDescription = "Okta user profile template with default permission settings"

// loginPatternForm: a login pattern is ".+" or a character set "[...]+".
var loginPatternForm = regexp.MustCompile(`^(\.\+|\[` + jsDot + `+\]\+)$`)

func changeableBaseKeys(name string) []string {
	switch name {
	case "firstName", "lastName":
		return []string{"permissions", "required"}
	case "login":
		return []string{"permissions", "pattern"}
	}
	return []string{"permissions"}
}

func customDefaults() *e.Object {
	return e.NewObject("mutability", "READ_WRITE", "scope", "NONE", "permissions", []any{e.NewObject("principal", "SELF", "action", "READ_ONLY")}, "master", e.NewObject("type", "PROFILE_MASTER"))
}

func requireSchema(state *e.Object, schemaID string) (*e.Object, error) {
	var s *e.Object
	if schemaID == "default" {
		s = state.Obj("userSchemas").Obj(defaultUserType(state).Str("schemaId"))
	} else {
		s = state.Obj("userSchemas").Obj(schemaID)
	}
	if s == nil {
		return nil, notFound(schemaID, "UserSchema")
	}
	return s, nil
}

func requiredNames(properties *e.Object) []any {
	out := []any{}
	for _, name := range properties.Keys() {
		if get(properties.Obj(name), "required") == true {
			out = append(out, name)
		}
	}
	return out
}

// schemaJSON is a user schema as Okta sends it: `id` echoes the path's schema id (`default` or `osc…`).
func schemaJSON(ctx *e.Ctx, schema *e.Object, requestedID string) *e.Object {
	base := effectiveBase(schema)
	custom := e.CloneObj(schema.Obj("custom"))
	if custom == nil {
		custom = e.NewObject()
	}
	return e.NewObject(
		"id", ctx.BaseURL+"/meta/schemas/user/"+requestedID,
		"$schema", "http://json-schema.org/draft-04/schema#",
		"name", "user",
		"title", get(schema, "title"),
		"description", schemaDescription,
		"lastUpdated", get(schema, "lastUpdated"),
		"created", get(schema, "created"),
		"definitions", e.NewObject(
			"base", e.NewObject("id", "#base", "type", "object", "properties", base, "required", requiredNames(base)),
			"custom", e.NewObject("id", "#custom", "type", "object", "properties", custom, "required", requiredNames(custom)),
		),
		"type", "object",
		"properties", e.NewObject("profile", e.NewObject("allOf", []any{e.NewObject("$ref", "#/definitions/base"), e.NewObject("$ref", "#/definitions/custom")})),
		"_links", e.NewObject("self", e.NewObject("href", ctx.BaseURL+"/api/v1/meta/schemas/user/"+schema.Str("id"))),
	)
}

func withoutNulls(attribute *e.Object) *e.Object {
	out := e.NewObject()
	for _, k := range attribute.Keys() {
		if v := get(attribute, k); v != nil {
			out.Set(k, v)
		}
	}
	return out
}

// deepEqualJSON is node's isDeepStrictEqual on JSON values (object key order does not matter).
func deepEqualJSON(a, b any) bool {
	switch x := a.(type) {
	case *e.Object:
		y, isObj := b.(*e.Object)
		if !isObj || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			yv, has := y.Get(k)
			if !has || !deepEqualJSON(get(x, k), yv) {
				return false
			}
		}
		return true
	case []any:
		y, isArr := b.([]any)
		if !isArr || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !deepEqualJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return strictEqual(a, b)
}

func changeCustom(schema *e.Object, changes *e.Object, cs *[]profileCause, removed *[]string) {
	field := func(property, s string) { *cs = append(*cs, profileCause{property, property + ": " + s}) }
	base := baseProperties()
	custom := schema.Obj("custom")
	for _, name := range changes.Keys() {
		change := get(changes, name)
		if !customNameFormat.MatchString(name) {
			field(name, "Invalid property name. Property name should only have alphanumeric characters and underscores. It should not start with a digit.")
			continue
		}
		conflicts := false
		for _, b := range base.Keys() {
			if jsLower(b) == jsLower(name) {
				conflicts = true
			}
		}
		if conflicts {
			field(name, "Custom property names must not conflict with a base property name")
			continue
		}
		existing := custom.Obj(name)
		if change == nil {
			if existing != nil {
				custom.Delete(name)
				*removed = append(*removed, name)
			}
			continue
		}
		clash := ""
		for _, other := range custom.Keys() {
			if other != name && jsLower(other) == jsLower(name) {
				clash = other
				break
			}
		}
		if clash != "" {
			field(name, "Property name conflicts with the existing property '"+clash+"'")
			continue
		}
		changeObj, _ := change.(*e.Object)
		if existing != nil && changeObj.Has("type") && get(changeObj, "type") != get(existing, "type") {
			field(name+".type", "The type of an existing property cannot be changed")
			continue
		}
		start := existing
		if start == nil {
			start = customDefaults()
		}
		next := withoutNulls(merge(shallow(start), changeObj))
		if !next.Has("type") {
			field(name+".type", "The field cannot be left blank")
			continue
		}
		if get(next, "type") == "array" && !truthy(get(next.Obj("items"), "type")) {
			*cs = append(*cs, profileCause{"", "Items not present for array property: " + name + "."})
			continue
		}
		custom.Set(name, e.CloneObj(next))
	}
}

func changeBase(schema *e.Object, changes *e.Object, cs *[]profileCause) {
	current := effectiveBase(schema)
	field := func(property, s string) { *cs = append(*cs, profileCause{property, property + ": " + s}) }
	overrides := schema.Obj("base")
	for _, name := range changes.Keys() {
		change := get(changes, name)
		attr := current.Obj(name)
		if attr == nil {
			*cs = append(*cs, profileCause{"", "Property name '" + name + "' is not defined in the base profile"})
			continue
		}
		if change == nil {
			field(name, "Base properties cannot be removed")
			continue
		}
		changeObj, _ := change.(*e.Object)
		for _, key := range changeObj.Keys() {
			value := get(changeObj, key)
			currentValue, hasCurrent := attr.Get(key)
			unchanged := (value == nil && !hasCurrent) || (value != nil && hasCurrent && deepEqualJSON(value, currentValue)) || (key == "required" && value == false && !hasCurrent)
			if unchanged {
				continue
			}
			if !contains(changeableBaseKeys(name), key) {
				field(name+"."+key, "Only the permissions of a base property, the nullability of firstName and lastName and the pattern of login can be changed")
				continue
			}
			if key == "pattern" && value != nil {
				s, isStr := value.(string)
				if !isStr || !loginPatternForm.MatchString(s) {
					field("login.pattern", `The pattern must be ".+" or a character set of the form "[...]+"`)
					continue
				}
				if _, err := compileJSRegExp(s); err != nil {
					field("login.pattern", `The pattern must be ".+" or a character set of the form "[...]+"`)
					continue
				}
			}
			next := shallow(overrides.Obj(name))
			if key == "required" {
				next.Set(key, value == true)
			} else {
				next.Set(key, value)
			}
			overrides.Set(name, next)
		}
	}
}

// updateSchema applies a schema update to a copy, so a refused update changes nothing; removing a custom
// property removes its values from the profiles of the users of that schema.
func updateSchema(ctx *e.Ctx, schema *e.Object, b *e.Object) (*e.Object, error) {
	draft := e.CloneObj(schema)
	var cs []profileCause
	var removed []string
	changeBase(draft, b.Obj("definitions").Obj("base").Obj("properties"), &cs)
	changeCustom(draft, b.Obj("definitions").Obj("custom").Obj("properties"), &cs, &removed)
	if len(cs) > 0 {
		first := cs[0].property
		if first == "" {
			first = "userSchema"
		}
		summaries := make([]string, len(cs))
		for i, c := range cs {
			summaries[i] = c.summary
		}
		return nil, oktaErr("E0000001", detail(first), causes(summaries...))
	}
	if title, isStr := get(b, "title").(string); isStr && jsTrim(title) != "" {
		draft.Set("title", title)
	}
	draft.Set("lastUpdated", ctx.Now())
	ctx.Set(ctx.State.Obj("userSchemas"), schema.Str("id"), draft)
	if len(removed) > 0 {
		for _, user := range values(ctx.State.Obj("users")) {
			if schemaForType(ctx.State, user.Obj("type").Str("id")).Str("id") != schema.Str("id") {
				continue
			}
			profile := user.Obj("profile")
			for _, name := range removed {
				ctx.Delete(profile, name)
			}
		}
	}
	return draft, nil
}

func schemaHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"getUserSchema": func(ctx *e.Ctx) (*e.Result, error) {
			s, err := requireSchema(ctx.State, ctx.Params["schemaId"])
			if err != nil {
				return nil, err
			}
			return ok(schemaJSON(ctx, s, ctx.Params["schemaId"]))
		},
		"updateUserProfile": func(ctx *e.Ctx) (*e.Result, error) {
			s, err := requireSchema(ctx.State, ctx.Params["schemaId"])
			if err != nil {
				return nil, err
			}
			updated, err := updateSchema(ctx, s, body(ctx))
			if err != nil {
				return nil, err
			}
			return ok(schemaJSON(ctx, updated, ctx.Params["schemaId"]))
		},
	}
}
