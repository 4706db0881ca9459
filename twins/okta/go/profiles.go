package main

import (
	"math"
	"regexp"
	"strings"
	"sync/atomic"
	"unicode"

	"golang.org/x/text/unicode/norm"

	e "twinverse/twins/goengine"
)

// loginKey: logins that differ only in case or diacritical marks are one login (the spec's UserProfile.login).
func loginKey(login any) string {
	s := ""
	if login != nil {
		s = jsString(login)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.M, r) {
			b.WriteRune(r)
		}
	}
	return jsLower(b.String())
}

var (
	emailPattern     = regexp.MustCompile(`^[^` + jsSpace + `@]+@[^` + jsSpace + `@]+\.[^` + jsSpace + `@]+$`)
	customNameFormat = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// baseAttribute is one of Okta's #base user properties as the Schemas API shows it.
func baseAttribute(title, selfAction string, required bool, format string, minLength, maxLength int) *e.Object {
	a := e.NewObject("title", title, "type", "string")
	if required {
		a.Set("required", true)
	}
	if format != "" {
		a.Set("format", format)
	}
	a.Set("mutability", "READ_WRITE")
	a.Set("scope", "NONE")
	if minLength >= 0 {
		a.Set("minLength", float64(minLength))
	}
	if maxLength >= 0 {
		a.Set("maxLength", float64(maxLength))
	}
	a.Set("permissions", []any{e.NewObject("principal", "SELF", "action", selfAction)})
	a.Set("master", e.NewObject("type", "PROFILE_MASTER"))
	return a
}

// baseProperties are Okta's #base user properties in the order Okta lists them, with their titles, formats and
// lengths (twins/okta/model/schemas.ts).
func baseProperties() *e.Object {
	rw, ro := "READ_WRITE", "READ_ONLY"
	b := func(title, action string) *e.Object { return baseAttribute(title, action, false, "", -1, -1) }
	return e.NewObject(
		"login", baseAttribute("Username", rw, true, "", 5, 100),
		"firstName", baseAttribute("First name", rw, true, "", 1, 50),
		"lastName", baseAttribute("Last name", rw, true, "", 1, 50),
		"middleName", b("Middle name", ro),
		"honorificPrefix", b("Honorific prefix", ro),
		"honorificSuffix", b("Honorific suffix", ro),
		"email", baseAttribute("Primary email", rw, true, "email", 5, 100),
		"title", b("Title", ro),
		"displayName", b("Display name", ro),
		"nickName", b("Nickname", ro),
		"profileUrl", baseAttribute("Profile Url", ro, false, "uri", -1, -1),
		"secondEmail", baseAttribute("Secondary email", rw, false, "email", -1, 100),
		"mobilePhone", baseAttribute("Mobile phone", rw, false, "", 0, 100),
		"primaryPhone", baseAttribute("Primary phone", rw, false, "", 0, 100),
		"streetAddress", baseAttribute("Street address", rw, false, "", -1, 1024),
		"city", baseAttribute("City", rw, false, "", -1, 128),
		"state", baseAttribute("State", rw, false, "", -1, 128),
		"zipCode", baseAttribute("Zip code", rw, false, "", -1, 50),
		"countryCode", baseAttribute("Country code", rw, false, "country-code", -1, 2),
		"postalAddress", baseAttribute("Postal Address", rw, false, "", -1, 4096),
		"preferredLanguage", baseAttribute("Preferred language", ro, false, "language-code", -1, -1),
		"locale", baseAttribute("Locale", ro, false, "locale", -1, -1),
		"timezone", baseAttribute("Time zone", ro, false, "timezone", -1, -1),
		"userType", b("User type", ro),
		"employeeNumber", b("Employee number", ro),
		"costCenter", b("Cost center", ro),
		"organization", b("Organization", ro),
		"division", b("Division", ro),
		"department", b("Department", ro),
		"managerId", b("ManagerId", ro),
		"manager", b("Manager", ro),
	)
}

// effectiveBase is the base properties with what the org changed of them (null and false values dropped).
func effectiveBase(schema *e.Object) *e.Object {
	base := baseProperties()
	overrides := schema.Obj("base")
	out := e.NewObject()
	for _, name := range base.Keys() {
		merged := shallow(base.Obj(name))
		merge(merged, overrides.Obj(name))
		for _, k := range append([]string(nil), merged.Keys()...) {
			if v := get(merged, k); v == nil || v == false {
				merged.Delete(k)
			}
		}
		out.Set(name, merged)
	}
	return out
}

// keptBase is the last effective base made, and the text of the overrides it was made from.
type keptBase struct {
	overrides string
	base      *e.Object
}

// keptEffectiveBase is effectiveBase for a profile check, which only reads it: made again only when the schema's
// overrides change, since every user write checks its profile against it.
func keptEffectiveBase(ctx *e.Ctx, schema *e.Object) *e.Object {
	overrides := string(e.Marshal(schema.Obj("base")))
	kept := ctx.Memo("okta.effectiveBase", func() any { return &atomic.Pointer[keptBase]{} }).(*atomic.Pointer[keptBase])
	if last := kept.Load(); last != nil && last.overrides == overrides {
		return last.base
	}
	base := effectiveBase(schema)
	kept.Store(&keptBase{overrides: overrides, base: base})
	return base
}

func defaultUserType(state *e.Object) *e.Object {
	for _, t := range values(state.Obj("userTypes")) {
		if get(t, "default") == true {
			return t
		}
	}
	return e.NewObject()
}

func requireUserType(state *e.Object, id string) (*e.Object, error) {
	if id == "default" {
		return defaultUserType(state), nil
	}
	if t := state.Obj("userTypes").Obj(id); t != nil {
		return t, nil
	}
	return nil, notFound(id, "UserType")
}

func schemaForType(state *e.Object, typeID string) *e.Object {
	t := state.Obj("userTypes").Obj(typeID)
	if t == nil {
		t = defaultUserType(state)
	}
	s := state.Obj("userSchemas").Obj(t.Str("schemaId"))
	if s == nil {
		return e.NewObject("base", e.NewObject(), "custom", e.NewObject())
	}
	return s
}

// withDefaultProperties: the default profile always shows mobilePhone and secondEmail, null when unset.
func withDefaultProperties(profile *e.Object) *e.Object {
	out := e.CloneObj(profile)
	for _, k := range []string{"mobilePhone", "secondEmail"} {
		if v, has := out.Get(k); !has || v == nil {
			out.Set(k, nil)
		}
	}
	return out
}

// withCustomDefaults fills in the default of custom properties a profile leaves out.
func withCustomDefaults(state *e.Object, typeID string, profile *e.Object) *e.Object {
	out := e.CloneObj(profile)
	custom := schemaForType(state, typeID).Obj("custom")
	for _, name := range custom.Keys() {
		attr := custom.Obj(name)
		def, hasDef := attr.Get("default")
		if _, has := out.Get(name); !has && hasDef {
			out.Set(name, e.Clone(def))
		}
	}
	return out
}

type profileCause struct {
	property string
	summary  string
}

func isBlank(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return jsTrim(t) == ""
	case []any:
		return len(t) == 0
	}
	return false
}

func hasType(v any, t string) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		f, ok := v.(float64)
		return ok && !math.IsInf(f, 0)
	case "integer":
		f, ok := v.(float64)
		return ok && !math.IsInf(f, 0) && f == math.Trunc(f)
	}
	_, ok := v.([]any)
	return ok
}

// profileCauses is what is wrong with a profile under its type's schema (twins/okta/model/schemas.ts).
func profileCauses(ctx *e.Ctx, typeID string, profile *e.Object) []profileCause {
	schema := schemaForType(ctx.State, typeID)
	base := keptEffectiveBase(ctx, schema)
	all := shallow(base)
	merge(all, schema.Obj("custom"))
	var cs []profileCause
	field := func(property, s string) { cs = append(cs, profileCause{property, property + ": " + s}) }
	for _, name := range all.Keys() {
		if get(all.Obj(name), "required") == true && isBlank(get(profile, name)) {
			field(name, "The field cannot be left blank")
		}
	}
	// Okta adds the login format cause even to a blank login.
	login, _ := get(profile, "login").(string)
	pattern, _ := get(base.Obj("login"), "pattern").(string)
	if !loginMatches(login, pattern) {
		if pattern != "" {
			field("login", "Does not match required pattern")
		} else {
			field("login", "Username must be in the form of an email address")
		}
	}
	for _, name := range []string{"email", "secondEmail"} {
		if s, ok := get(profile, name).(string); ok && jsTrim(s) != "" && !emailPattern.MatchString(s) {
			field(name, "Does not match required pattern")
		}
	}
	for _, name := range profile.Keys() {
		value := get(profile, name)
		attr := all.Obj(name)
		if attr == nil {
			cs = append(cs, profileCause{"", "Property name '" + name + "' is not defined in profile"})
			continue
		}
		if value == nil {
			continue
		}
		t := attr.Str("type")
		itemsType := "string"
		if it := attr.Obj("items"); it != nil && it.Str("type") != "" {
			itemsType = it.Str("type")
		}
		bad := !hasType(value, t)
		if arr, isArr := value.([]any); isArr && t == "array" {
			for _, item := range arr {
				if !hasType(item, itemsType) {
					bad = true
				}
			}
		}
		if bad {
			cs = append(cs, profileCause{"", "Invalid value data type for property '" + name + "'"})
			continue
		}
		if s, isStr := value.(string); isStr {
			n := float64(e.CodePoints(s))
			if m, has := get(attr, "maxLength").(float64); has && n > m {
				field(name, "The field cannot be longer than "+e.FormatNumber(m)+" characters")
			} else if m, has := get(attr, "minLength").(float64); has && s != "" && n < m {
				field(name, "The field cannot be shorter than "+e.FormatNumber(m)+" characters")
			}
		}
		var allowed []any
		if t == "array" {
			allowed = attr.Obj("items").Arr("enum")
		} else {
			allowed = attr.Arr("enum")
		}
		if allowed != nil {
			candidates := []any{value}
			if arr, isArr := value.([]any); isArr {
				candidates = arr
			}
			for _, item := range candidates {
				found := false
				for _, option := range allowed {
					if string(e.Marshal(option)) == string(e.Marshal(item)) {
						found = true
					}
				}
				if !found {
					names := make([]string, len(allowed))
					for i, a := range allowed {
						names[i] = jsString(a)
					}
					field(name, "Value '"+jsString(item)+"' for property '"+name+"' is not allowed for enum ["+strings.Join(names, ", ")+"]")
					break
				}
			}
		}
	}
	return cs
}

func itoa(n int) string { return e.FormatNumber(float64(n)) }

func loginMatches(login, pattern string) bool {
	if pattern == "" {
		return emailPattern.MatchString(login)
	}
	if pattern == ".+" {
		return login != ""
	}
	re, err := compileJSRegExp("^" + pattern + "$")
	return err == nil && re.test(login)
}

// checkProfile refuses a profile its schema refuses, or a login another user has.
func checkProfile(ctx *e.Ctx, profile *e.Object, typeID, exceptID, objectName string) error {
	cs := profileCauses(ctx, typeID, profile)
	if len(cs) == 0 {
		if owner := userByLogin(ctx, get(profile, "login")); owner != nil && owner.Str("id") != exceptID {
			cs = append(cs, profileCause{"login", "login: An object with this field already exists in the current organization"})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	first := cs[0].property
	if first == "" {
		first = objectName
	}
	summaries := make([]string, len(cs))
	for i, c := range cs {
		summaries[i] = c.summary
	}
	return oktaErr("E0000001", detail(first), causes(summaries...))
}
