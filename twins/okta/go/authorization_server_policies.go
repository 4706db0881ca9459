package main

import (
	"math"
	"strings"
	"unicode/utf16"

	e "twinverse/twins/goengine"
)

// A custom authorization server's access policies and their rules (model/authorization-servers.ts): which clients,
// users, grant types and scopes get tokens, and the tokens' lifetimes. accessRuleFor (oauth_servers.go) evaluates
// them at the token endpoint.

// accessRuleGrantTypes are the grant types an access rule may name (Okta's GrantTypePolicyRuleCondition).
var accessRuleGrantTypes = []string{
	"authorization_code", "implicit", "password", "client_credentials", "interaction_code",
	"urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange",
	"urn:ietf:params:oauth:grant-type:saml2-bearer", "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:openid:params:grant-type:ciba",
}

func requireServerPolicy(ctx *e.Ctx) (*e.Object, *e.Object, error) {
	server, err := requireCustomServer(ctx)
	if err != nil {
		return nil, nil, err
	}
	id := ctx.Params["policyId"]
	if policy := findByID(server.Arr("policies"), id); policy != nil {
		return server, policy, nil
	}
	return nil, nil, notFound(id, "Policy")
}

func requireServerPolicyRule(ctx *e.Ctx) (*e.Object, *e.Object, *e.Object, error) {
	server, policy, err := requireServerPolicy(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	id := ctx.Params["ruleId"]
	if rule := findByID(policy.Arr("rules"), id); rule != nil {
		return server, policy, rule, nil
	}
	return nil, nil, nil, notFound(id, "PolicyRule")
}

// lifecycleLinked adds the self link and the lifecycle link the record's status allows.
func lifecycleLinked(self string, status string, links *e.Object) *e.Object {
	lifecycle := "activate"
	if status == "ACTIVE" {
		lifecycle = "deactivate"
	}
	out := e.NewObject("self", hintedLink(self, "GET", "PUT", "DELETE"), lifecycle, hintedLink(self+"/lifecycle/"+lifecycle, "POST"))
	return merge(out, links)
}

// serverPolicyJSON is a policy as Okta returns it; its rules are read through their own endpoint.
func serverPolicyJSON(ctx *e.Ctx, serverID string, policy *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/authorizationServers/" + serverID + "/policies/" + policy.Str("id")
	out := e.NewObject()
	for _, k := range policy.Keys() {
		if k != "rules" {
			out.Set(k, e.Clone(get(policy, k)))
		}
	}
	out.Set("_links", lifecycleLinked(self, policy.Str("status"), e.NewObject("rules", hintedLink(self+"/rules", "GET"))))
	return out
}

func serverPolicyRuleJSON(ctx *e.Ctx, serverID, policyID string, rule *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/authorizationServers/" + serverID + "/policies/" + policyID + "/rules/" + rule.Str("id")
	out := e.CloneObj(rule)
	out.Set("_links", lifecycleLinked(self, rule.Str("status"), nil))
	return out
}

// priorityAndStatus checks the fields policies and rules share: a known status and a positive integer priority.
func priorityAndStatus(b *e.Object, problems [][2]string) [][2]string {
	if status, has := b.Get("status"); has && status != "ACTIVE" && status != "INACTIVE" {
		problems = append(problems, [2]string{"status", "Must be one of ACTIVE, INACTIVE."})
	}
	if priority, has := b.Get("priority"); has {
		if n, isNumber := priority.(float64); !isJSInteger(priority) || !isNumber || n < 1 {
			problems = append(problems, [2]string{"priority", "Must be a positive integer."})
		}
	}
	return problems
}

// policyFromBody checks a policy body before anything is written and gives its name, description and conditions.
func policyFromBody(b *e.Object) (*e.Object, error) {
	var problems [][2]string
	if t, has := b.Get("type"); has && t != "OAUTH_AUTHORIZATION_POLICY" {
		problems = append(problems, [2]string{"type", "Must be OAUTH_AUTHORIZATION_POLICY."})
	}
	name := trimmedString(b, "name")
	if name == "" {
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	} else if len(utf16.Encode([]rune(name))) > 100 {
		problems = append(problems, [2]string{"name", "The field must be at most 100 characters long."})
	}
	description := trimmedString(b, "description")
	if description == "" {
		problems = append(problems, [2]string{"description", "The field cannot be left blank"})
	}
	clients, isList := jsStringList(get(b.Obj("conditions").Obj("clients"), "include"))
	if !isList || len(clients) == 0 {
		problems = append(problems, [2]string{"conditions.clients.include", "The field cannot be left blank"})
	}
	problems = priorityAndStatus(b, problems)
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	return e.NewObject("name", name, "description", description, "conditions", e.NewObject("clients", e.NewObject("include", anyStrings(clients)))), nil
}

// peopleList is a people condition's list: absent or null is empty, anything but a list of strings is refused.
func peopleList(o *e.Object, key string) ([]string, bool) {
	v, has := o.Get(key)
	if !has || v == nil {
		return []string{}, true
	}
	return jsStringList(v)
}

// belowAccessLifetime is JavaScript's `lifetime < access` for a whole-number lifetime: an access lifetime that is no
// number is compared as JavaScript turns it into one.
func belowAccessLifetime(lifetime, access any) bool {
	x, y := jsNumber(lifetime), jsNumber(access)
	return !math.IsNaN(y) && x < y
}

func inRange(v any, low, high float64) bool {
	n, _ := v.(float64)
	return isJSInteger(v) && n >= low && n <= high
}

// policyRuleFromBody checks a rule body before anything is written. Okta's limits on the lifetimes: an access token
// lives 5 minutes to 1 day, a refresh token's window is 10 minutes to 5 years, and a refresh token's lifetime (0:
// unlimited) is at least the access token's.
func policyRuleFromBody(state, server, b *e.Object) (*e.Object, error) {
	var problems [][2]string
	if t, has := b.Get("type"); has && t != "RESOURCE_ACCESS" {
		problems = append(problems, [2]string{"type", "Must be RESOURCE_ACCESS."})
	}
	name := trimmedString(b, "name")
	if name == "" {
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	}
	conditions := b.Obj("conditions")
	grantTypes, isList := jsStringList(get(conditions.Obj("grantTypes"), "include"))
	if !isList || len(grantTypes) == 0 {
		problems = append(problems, [2]string{"conditions.grantTypes.include", "The field cannot be left blank"})
	} else {
		var unknown []string
		for _, g := range grantTypes {
			if !contains(accessRuleGrantTypes, g) {
				unknown = append(unknown, g)
			}
		}
		if len(unknown) > 0 {
			problems = append(problems, [2]string{"conditions.grantTypes.include", "Invalid grant types: " + strings.Join(unknown, ", ") + "."})
		}
	}
	scopes, isList := jsStringList(get(conditions.Obj("scopes"), "include"))
	if !isList || len(scopes) == 0 {
		problems = append(problems, [2]string{"conditions.scopes.include", "The field cannot be left blank"})
	} else if anyString(scopes, func(s string) bool { return s != "*" && !serverHasScope(server, s) }) {
		problems = append(problems, [2]string{"conditions.scopes.include", unconfiguredScopeMsg})
	}
	people := conditions.Obj("people")
	usersIn, okUI := peopleList(people.Obj("users"), "include")
	usersOut, okUO := peopleList(people.Obj("users"), "exclude")
	groupsIn, okGI := peopleList(people.Obj("groups"), "include")
	groupsOut, okGO := peopleList(people.Obj("groups"), "exclude")
	if !okUI || !okUO || !okGI || !okGO {
		problems = append(problems, [2]string{"conditions.people", "Users and groups must be lists of ids."})
	} else if len(usersIn) == 0 && len(groupsIn) == 0 {
		problems = append(problems, [2]string{"conditions.people", "The rule must include users or groups (EVERYONE for all)."})
	}
	token := b.Obj("actions").Obj("token")
	access := orDefault(token, "accessTokenLifetimeMinutes", 60.0)
	lifetime := orDefault(token, "refreshTokenLifetimeMinutes", 0.0)
	window := orDefault(token, "refreshTokenWindowMinutes", 10080.0)
	if !inRange(access, 5, 1440) {
		problems = append(problems, [2]string{"actions.token.accessTokenLifetimeMinutes", "The access token lifetime must be between 5 minutes and 1 day."})
	}
	if !inRange(window, 10, 2628000) {
		problems = append(problems, [2]string{"actions.token.refreshTokenWindowMinutes", "The refresh token window must be between 10 minutes and 5 years."})
	}
	if !isJSInteger(lifetime) || (lifetime != 0.0 && belowAccessLifetime(lifetime, access)) {
		problems = append(problems, [2]string{"actions.token.refreshTokenLifetimeMinutes", "The refresh token lifetime must be unlimited (0) or at least the access token lifetime."})
	}
	hookID, hasHook := token.Obj("inlineHook").Get("id")
	if hasHook {
		id, isString := hookID.(string)
		if !isString || state.Obj("inlineHooks").Obj(id).Str("type") != "com.okta.oauth2.tokens.transform" {
			problems = append(problems, [2]string{"actions.token.inlineHook.id", "The inline hook must be a token inline hook (com.okta.oauth2.tokens.transform)."})
		}
	}
	problems = priorityAndStatus(b, problems)
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	lifetimes := e.NewObject("accessTokenLifetimeMinutes", access, "refreshTokenLifetimeMinutes", lifetime, "refreshTokenWindowMinutes", window)
	if id, isString := hookID.(string); hasHook && isString {
		lifetimes.Set("inlineHook", e.NewObject("id", id))
	}
	list := func(items []string) *e.Object { return e.NewObject("include", anyStrings(items)) }
	return e.NewObject(
		"name", name,
		"conditions", e.NewObject(
			"people", e.NewObject(
				"users", e.NewObject("include", anyStrings(usersIn), "exclude", anyStrings(usersOut)),
				"groups", e.NewObject("include", anyStrings(groupsIn), "exclude", anyStrings(groupsOut)),
			),
			"grantTypes", list(grantTypes),
			"scopes", list(scopes),
		),
		"actions", e.NewObject("token", lifetimes),
	), nil
}

// placeByServerPriority puts an item at a priority (1 first; the end when none is given or it is past the end) and
// renumbers the list, as Okta keeps policy and rule priorities a dense 1..n order.
func placeByServerPriority(ctx *e.Ctx, holder *e.Object, key string, item *e.Object, priority any) {
	var without []*e.Object
	for _, o := range objects(holder.Arr(key)) {
		if o != item {
			without = append(without, o)
		}
	}
	without = inPriorityOrder(without)
	at := len(without)
	if p, isNumber := priority.(float64); isNumber {
		at = int(math.Trunc(math.Min(math.Max(p-1, 0), float64(len(without)))))
	}
	placed := make([]any, 0, len(without)+1)
	for _, o := range without[:at] {
		placed = append(placed, o)
	}
	placed = append(placed, item)
	for _, o := range without[at:] {
		placed = append(placed, o)
	}
	ctx.Set(holder, key, placed)
	renumber(ctx, placed)
}

// replaceRanked gives a ranked item (a server's policy, a policy's rule) what a replace body sent: its fields, and
// its status and priority unless the body leaves them out.
func replaceRanked(ctx *e.Ctx, holder *e.Object, key string, item, sent, b *e.Object) {
	assignAll(ctx, item, sent)
	ctx.Set(item, "status", statusOr(b, get(item, "status")))
	placeByServerPriority(ctx, holder, key, item, orDefault(b, "priority", get(item, "priority")))
	ctx.Set(item, "lastUpdated", ctx.Now())
}

// removeRanked takes the item out of the parent's ranked list and ranks the rest from 1 again.
func removeRanked(ctx *e.Ctx, parent *e.Object, key string, item *e.Object) {
	kept := withoutItem(parent.Arr(key), item)
	ctx.Set(parent, key, kept)
	renumber(ctx, kept)
}

func renumber(ctx *e.Ctx, list []any) {
	for i, o := range objects(list) {
		ctx.Set(o, "priority", float64(i+1))
	}
}

// statusOr is the status a body sets, or the fallback when it sets none.
func statusOr(b *e.Object, fallback any) any {
	if status := get(b, "status"); truthy(status) {
		return status
	}
	return fallback
}

func serverPolicyHandlers() map[string]e.Handler {
	logPolicy := func(ctx *e.Ctx, server, policy *e.Object, action, message string) {
		logServerChange(ctx, "policy.lifecycle."+action, message, namedEntity(policy, "Policy"), customServerEntity(server))
	}
	logRule := func(ctx *e.Ctx, policy, rule *e.Object, action, message string) {
		logServerChange(ctx, "policy.rule."+action, message, namedEntity(rule, "PolicyRule"), namedEntity(policy, "Policy"))
	}
	return map[string]e.Handler{
		"listAuthorizationServerPolicies": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, p := range inPriorityOrder(objects(server.Arr("policies"))) {
				out = append(out, serverPolicyJSON(ctx, server.Str("id"), p))
			}
			return ok(out)
		},
		"createAuthorizationServerPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			sent, err := policyFromBody(b)
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			policy := e.NewObject("id", oktaID(ctx, "00p"), "type", "OAUTH_AUTHORIZATION_POLICY")
			merge(policy, sent)
			merge(policy, e.NewObject("status", orDefault(b, "status", "ACTIVE"), "priority", 0.0, "system", false, "created", now, "lastUpdated", now, "rules", []any{}))
			if !server.Has("policies") {
				ctx.Set(server, "policies", []any{})
			}
			placeByServerPriority(ctx, server, "policies", policy, get(b, "priority"))
			logPolicy(ctx, server, policy, "create", "Create policy")
			return created201(serverPolicyJSON(ctx, server.Str("id"), policy)), nil
		},
		"getAuthorizationServerPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, err := requireServerPolicy(ctx)
			if err != nil {
				return nil, err
			}
			return ok(serverPolicyJSON(ctx, server.Str("id"), policy))
		},
		"replaceAuthorizationServerPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, err := requireServerPolicy(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			sent, err := policyFromBody(b)
			if err != nil {
				return nil, err
			}
			replaceRanked(ctx, server, "policies", policy, sent, b)
			logPolicy(ctx, server, policy, "update", "Update policy")
			return ok(serverPolicyJSON(ctx, server.Str("id"), policy))
		},
		"deleteAuthorizationServerPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, err := requireServerPolicy(ctx)
			if err != nil {
				return nil, err
			}
			removeRanked(ctx, server, "policies", policy)
			logPolicy(ctx, server, policy, "delete", "Delete policy")
			return e.NoContent(), nil
		},
		"activateAuthorizationServerPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, err := requireServerPolicy(ctx)
			if err != nil {
				return nil, err
			}
			return setRecordStatus(ctx, policy, "ACTIVE", func() { logPolicy(ctx, server, policy, "activate", "Activate policy") })
		},
		"deactivateAuthorizationServerPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, err := requireServerPolicy(ctx)
			if err != nil {
				return nil, err
			}
			return setRecordStatus(ctx, policy, "INACTIVE", func() { logPolicy(ctx, server, policy, "deactivate", "Deactivate policy") })
		},
		"listAuthorizationServerPolicyRules": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, err := requireServerPolicy(ctx)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, r := range inPriorityOrder(objects(policy.Arr("rules"))) {
				out = append(out, serverPolicyRuleJSON(ctx, server.Str("id"), policy.Str("id"), r))
			}
			return ok(out)
		},
		"createAuthorizationServerPolicyRule": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, err := requireServerPolicy(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			sent, err := policyRuleFromBody(ctx.State, server, b)
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			rule := e.NewObject("id", oktaID(ctx, "0pr"), "type", "RESOURCE_ACCESS")
			merge(rule, sent)
			merge(rule, e.NewObject("status", orDefault(b, "status", "ACTIVE"), "priority", 0.0, "system", false, "created", now, "lastUpdated", now))
			placeByServerPriority(ctx, policy, "rules", rule, get(b, "priority"))
			logRule(ctx, policy, rule, "add", "Add policy rule")
			return created201(serverPolicyRuleJSON(ctx, server.Str("id"), policy.Str("id"), rule)), nil
		},
		"getAuthorizationServerPolicyRule": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, rule, err := requireServerPolicyRule(ctx)
			if err != nil {
				return nil, err
			}
			return ok(serverPolicyRuleJSON(ctx, server.Str("id"), policy.Str("id"), rule))
		},
		"replaceAuthorizationServerPolicyRule": func(ctx *e.Ctx) (*e.Result, error) {
			server, policy, rule, err := requireServerPolicyRule(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			sent, err := policyRuleFromBody(ctx.State, server, b)
			if err != nil {
				return nil, err
			}
			replaceRanked(ctx, policy, "rules", rule, sent, b)
			logRule(ctx, policy, rule, "update", "Update policy rule")
			return ok(serverPolicyRuleJSON(ctx, server.Str("id"), policy.Str("id"), rule))
		},
		"deleteAuthorizationServerPolicyRule": func(ctx *e.Ctx) (*e.Result, error) {
			_, policy, rule, err := requireServerPolicyRule(ctx)
			if err != nil {
				return nil, err
			}
			removeRanked(ctx, policy, "rules", rule)
			logRule(ctx, policy, rule, "delete", "Delete policy rule")
			return e.NoContent(), nil
		},
		"activateAuthorizationServerPolicyRule": func(ctx *e.Ctx) (*e.Result, error) {
			_, policy, rule, err := requireServerPolicyRule(ctx)
			if err != nil {
				return nil, err
			}
			return setRecordStatus(ctx, rule, "ACTIVE", func() { logRule(ctx, policy, rule, "activate", "Activate policy rule") })
		},
		"deactivateAuthorizationServerPolicyRule": func(ctx *e.Ctx) (*e.Result, error) {
			_, policy, rule, err := requireServerPolicyRule(ctx)
			if err != nil {
				return nil, err
			}
			return setRecordStatus(ctx, rule, "INACTIVE", func() { logRule(ctx, policy, rule, "deactivate", "Deactivate policy rule") })
		},
	}
}
