package main

import (
	"strings"

	e "twinverse/twins/goengine"
)

// A custom authorization server's scopes and claims (model/authorization-servers.ts): what a client may ask the server
// for, and what the server adds to the tokens it mints (serverCustomClaims in oauth_tokens.go reads them).

var (
	scopeConsents        = []string{"IMPLICIT", "REQUIRED", "FLEXIBLE"}
	scopePublishing      = []string{"ALL_CLIENTS", "NO_CLIENTS"}
	claimGroupFilters    = []string{"STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"}
	reservedClaimNames   = []string{"acr", "amr", "aud", "auth_time", "at_hash", "c_hash", "cid", "exp", "iat", "idp", "iss", "jti", "nbf", "nonce", "scp", "sub", "uid", "ver", "cnf"}
	unconfiguredScopeMsg = "One or more scopes are not configured for the authorization server resource."
)

func selfLinked(record *e.Object, href string) *e.Object {
	out := e.CloneObj(record)
	out.Set("_links", e.NewObject("self", hintedLink(href, "GET", "PUT", "DELETE")))
	return out
}

// scopeJSON is a scope as Okta returns it; `optional` comes first, false unless the scope says otherwise.
func scopeJSON(ctx *e.Ctx, serverID string, scope *e.Object) *e.Object {
	out := e.NewObject("optional", false)
	merge(out, selfLinked(scope, ctx.BaseURL+"/api/v1/authorizationServers/"+serverID+"/scopes/"+scope.Str("id")))
	return out
}

func claimJSON(ctx *e.Ctx, serverID string, claim *e.Object) *e.Object {
	return selfLinked(claim, ctx.BaseURL+"/api/v1/authorizationServers/"+serverID+"/claims/"+claim.Str("id"))
}

// findByID is the object of the list with this id, or nil.
func findByID(list []any, id string) *e.Object {
	for _, o := range objects(list) {
		if get(o, "id") == id {
			return o
		}
	}
	return nil
}

// requireServerScope is the server's scope the path names.
func requireServerScope(ctx *e.Ctx, server *e.Object) (*e.Object, error) {
	id := ctx.Params["scopeId"]
	if scope := findByID(server.Arr("scopes"), id); scope != nil {
		return scope, nil
	}
	return nil, notFound(id, "OAuth2Scope")
}

// requireServerClaim is the server's claim the path names.
func requireServerClaim(ctx *e.Ctx, server *e.Object) (*e.Object, error) {
	id := ctx.Params["claimId"]
	if claim := findByID(server.Arr("claims"), id); claim != nil {
		return claim, nil
	}
	return nil, notFound(id, "OAuth2Claim")
}

func serverHasScope(server *e.Object, name string) bool {
	for _, s := range objects(server.Arr("scopes")) {
		if get(s, "name") == name {
			return true
		}
	}
	return false
}

// notIn: the key is present (null counts) and its value is none of the allowed strings.
func notIn(b *e.Object, key string, allowed []string) bool {
	v, has := b.Get(key)
	s, isString := v.(string)
	return has && !(isString && contains(allowed, s))
}

// scopeFromBody checks a scope body before anything is written (a name unique on the server, without spaces, never
// an Okta API scope, and a system scope keeps its name) and gives the scope's fields, the previous ones filling gaps.
func scopeFromBody(server, b, previous *e.Object) (*e.Object, error) {
	var problems [][2]string
	name, _ := get(b, "name").(string)
	switch {
	case jsTrim(name) == "":
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	case strings.IndexFunc(name, jsWhitespace) >= 0:
		problems = append(problems, [2]string{"name", "The scope name cannot contain spaces."})
	case strings.HasPrefix(name, "okta."):
		problems = append(problems, [2]string{"name", "Scope names cannot start with 'okta.'."})
	default:
		for _, s := range objects(server.Arr("scopes")) {
			if s != previous && get(s, "name") == name {
				problems = append(problems, [2]string{"name", "A scope with this name already exists."})
				break
			}
		}
	}
	if notIn(b, "consent", scopeConsents) {
		problems = append(problems, [2]string{"consent", "Must be one of " + strings.Join(scopeConsents, ", ") + "."})
	}
	if notIn(b, "metadataPublish", scopePublishing) {
		problems = append(problems, [2]string{"metadataPublish", "Must be one of " + strings.Join(scopePublishing, ", ") + "."})
	}
	if previous != nil && get(previous, "system") == true && name != previous.Str("name") {
		problems = append(problems, [2]string{"name", "The name of a system scope cannot be changed."})
	}
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	if previous == nil {
		previous = e.NewObject()
	}
	pick := func(key string, fallback any) any {
		return e.Clone(orDefault(b, key, orDefault(previous, key, fallback)))
	}
	return e.NewObject(
		"name", name,
		"displayName", pick("displayName", name),
		"description", pick("description", ""),
		"system", orDefault(previous, "system", false),
		"metadataPublish", pick("metadataPublish", "NO_CLIENTS"),
		"consent", pick("consent", "IMPLICIT"),
		"default", pick("default", false),
		"optional", pick("optional", false),
	), nil
}

// claimFromBody checks a claim body before anything is written: a name not reserved and unique per token type, a
// known type, a value that parses as Okta Expression Language (EXPRESSION) or a group filter (GROUPS), and condition
// scopes the server has.
func claimFromBody(server, b, previous *e.Object) (*e.Object, error) {
	var problems [][2]string
	name, _ := get(b, "name").(string)
	claimType := get(b, "claimType")
	valueType := orDefault(b, "valueType", "EXPRESSION")
	if jsTrim(name) == "" {
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	} else if contains(reservedClaimNames, name) {
		problems = append(problems, [2]string{"name", "'" + name + "' is a reserved claim name."})
	}
	if claimType != "RESOURCE" && claimType != "IDENTITY" {
		problems = append(problems, [2]string{"claimType", "Must be one of RESOURCE, IDENTITY."})
	} else {
		for _, c := range objects(server.Arr("claims")) {
			if c != previous && get(c, "name") == name && get(c, "claimType") == claimType {
				problems = append(problems, [2]string{"name", "A claim with this name already exists."})
				break
			}
		}
	}
	if valueType != "EXPRESSION" && valueType != "GROUPS" {
		problems = append(problems, [2]string{"valueType", "Must be one of EXPRESSION, GROUPS."})
	}
	value, _ := get(b, "value").(string)
	filter, _ := get(b, "group_filter_type").(string)
	switch {
	case jsTrim(value) == "":
		problems = append(problems, [2]string{"value", "The field cannot be left blank"})
	case valueType == "EXPRESSION":
		if _, err := parseClaimExpression(value); err != nil {
			problems = append(problems, [2]string{"value", err.Error()})
		}
	case valueType == "GROUPS":
		if !contains(claimGroupFilters, filter) {
			problems = append(problems, [2]string{"group_filter_type", "Must be one of " + strings.Join(claimGroupFilters, ", ") + "."})
		} else if _, err := compileJSRegExp(value); filter == "REGEX" && err != nil {
			problems = append(problems, [2]string{"value", "The value is not a valid regular expression."})
		}
	}
	scopes := orDefault(b.Obj("conditions"), "scopes", []any{})
	names, isList := jsStringList(scopes)
	if isList {
		for _, s := range names {
			isList = isList && serverHasScope(server, s)
		}
	}
	if !isList {
		problems = append(problems, [2]string{"conditions.scopes", unconfiguredScopeMsg})
	}
	if status, has := b.Get("status"); has && status != "ACTIVE" && status != "INACTIVE" {
		problems = append(problems, [2]string{"status", "Must be one of ACTIVE, INACTIVE."})
	}
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	if previous == nil {
		previous = e.NewObject()
	}
	// Okta: "The value is always TRUE for access token claims."
	always := any(true)
	if claimType == "IDENTITY" {
		always = orDefault(b, "alwaysIncludeInToken", true)
	}
	out := e.NewObject("name", name, "status", orDefault(b, "status", orDefault(previous, "status", "ACTIVE")), "claimType", claimType, "valueType", valueType,
		"value", value, "alwaysIncludeInToken", always, "system", false, "conditions", e.NewObject("scopes", e.Clone(scopes)))
	if valueType == "GROUPS" {
		out.Set("group_filter_type", filter)
	}
	return out, nil
}

// touchServer marks the server changed: its scopes and claims are part of it.
func touchServer(ctx *e.Ctx, server *e.Object) { ctx.Set(server, "lastUpdated", ctx.Now()) }

func withoutItem(list []any, item *e.Object) []any {
	out := []any{}
	for _, v := range list {
		if o, isObject := v.(*e.Object); !isObject || o != item {
			out = append(out, v)
		}
	}
	return out
}

func serverScopeHandlers() map[string]e.Handler {
	logScope := func(ctx *e.Ctx, server, scope *e.Object, action, message string) {
		logServerChange(ctx, "oauth2.scope."+action, message, namedEntity(scope, "OAuth2Scope"), customServerEntity(server))
	}
	return map[string]e.Handler{
		"listOAuth2Scopes": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			q, _ := qString(ctx, "q")
			out := []any{}
			for _, s := range objects(server.Arr("scopes")) {
				if q == "" || strings.HasPrefix(s.Str("name"), q) {
					out = append(out, scopeJSON(ctx, server.Str("id"), s))
				}
			}
			return ok(out)
		},
		"createOAuth2Scope": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			// The id is drawn before the body is checked, as the TypeScript twin draws it, so that both go on alike.
			scope := e.NewObject("id", oktaID(ctx, "scp"))
			sent, err := scopeFromBody(server, body(ctx), nil)
			if err != nil {
				return nil, err
			}
			merge(scope, sent)
			ctx.Set(server, "scopes", append(append([]any{}, server.Arr("scopes")...), scope))
			touchServer(ctx, server)
			logScope(ctx, server, scope, "created", "Create scope")
			return created201(scopeJSON(ctx, server.Str("id"), scope)), nil
		},
		"getOAuth2Scope": within(requireCustomServer, requireServerScope, func(ctx *e.Ctx, server, scope *e.Object) (*e.Result, error) {
			return ok(scopeJSON(ctx, server.Str("id"), scope))
		}),
		"replaceOAuth2Scope": within(requireCustomServer, requireServerScope, func(ctx *e.Ctx, server, scope *e.Object) (*e.Result, error) {
			sent, err := scopeFromBody(server, body(ctx), scope)
			if err != nil {
				return nil, err
			}
			assignAll(ctx, scope, sent)
			touchServer(ctx, server)
			logScope(ctx, server, scope, "updated", "Update scope")
			return ok(scopeJSON(ctx, server.Str("id"), scope))
		}),
		"deleteOAuth2Scope": within(requireCustomServer, requireServerScope, func(ctx *e.Ctx, server, scope *e.Object) (*e.Result, error) {
			if get(scope, "system") == true {
				// The wording is the TypeScript twin's: Okta's references show no body for this refusal.
				return nil, oktaErr("E0000006", causes("System scopes cannot be deleted."))
			}
			ctx.Set(server, "scopes", withoutItem(server.Arr("scopes"), scope))
			touchServer(ctx, server)
			logScope(ctx, server, scope, "deleted", "Delete scope")
			return e.NoContent(), nil
		}),
	}
}

func serverClaimHandlers() map[string]e.Handler {
	logClaim := func(ctx *e.Ctx, server, claim *e.Object, action, message string) {
		logServerChange(ctx, "oauth2.claim."+action, message, namedEntity(claim, "OAuth2Claim"), customServerEntity(server))
	}
	return map[string]e.Handler{
		"listOAuth2Claims": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, c := range objects(server.Arr("claims")) {
				out = append(out, claimJSON(ctx, server.Str("id"), c))
			}
			return ok(out)
		},
		"createOAuth2Claim": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			// The id is drawn before the body is checked, as the TypeScript twin draws it.
			claim := e.NewObject("id", oktaID(ctx, "ocl"))
			sent, err := claimFromBody(server, body(ctx), nil)
			if err != nil {
				return nil, err
			}
			merge(claim, sent)
			ctx.Set(server, "claims", append(append([]any{}, server.Arr("claims")...), claim))
			touchServer(ctx, server)
			logClaim(ctx, server, claim, "created", "Create claim")
			return created201(claimJSON(ctx, server.Str("id"), claim)), nil
		},
		"getOAuth2Claim": within(requireCustomServer, requireServerClaim, func(ctx *e.Ctx, server, claim *e.Object) (*e.Result, error) {
			return ok(claimJSON(ctx, server.Str("id"), claim))
		}),
		"replaceOAuth2Claim": within(requireCustomServer, requireServerClaim, func(ctx *e.Ctx, server, claim *e.Object) (*e.Result, error) {
			sent, err := claimFromBody(server, body(ctx), claim)
			if err != nil {
				return nil, err
			}
			assignAll(ctx, claim, sent)
			if get(claim, "valueType") != "GROUPS" {
				ctx.Delete(claim, "group_filter_type")
			}
			touchServer(ctx, server)
			logClaim(ctx, server, claim, "updated", "Update claim")
			return ok(claimJSON(ctx, server.Str("id"), claim))
		}),
		"deleteOAuth2Claim": within(requireCustomServer, requireServerClaim, func(ctx *e.Ctx, server, claim *e.Object) (*e.Result, error) {
			ctx.Set(server, "claims", withoutItem(server.Arr("claims"), claim))
			touchServer(ctx, server)
			logClaim(ctx, server, claim, "deleted", "Delete claim")
			return e.NoContent(), nil
		}),
	}
}
