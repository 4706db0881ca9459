package main

import (
	"math"
	"sort"
	"strings"

	e "twinverse/twins/goengine"
)

// Policies and their rules (tag Policy), as twins/okta/api/policies.ts and model/policies.ts: the sign-on, password,
// MFA enrollment and app sign-on policies, with Okta's default policies seeded. The Authentication API (authn.go),
// password changes (credentials.go) and factor enrollment (factors.go) read them.

// policyRuleTypes are the policy types the twin emulates, and the type of their rules.
var policyRuleTypes = map[string]string{"OKTA_SIGN_ON": "SIGN_ON", "PASSWORD": "PASSWORD", "MFA_ENROLL": "MFA_ENROLL", "ACCESS_POLICY": "ACCESS_POLICY"}

// defaultPasswordSettings are the password settings of Okta's default password policy: what governs an org
// without a PASSWORD policy.
func defaultPasswordSettings() *e.Object {
	return e.NewObject(
		"complexity", e.NewObject("minLength", float64(8), "minLowerCase", float64(1), "minUpperCase", float64(1), "minNumber", float64(1), "minSymbol", float64(0), "excludeUsername", true, "excludeAttributes", []any{}),
		"age", e.NewObject("maxAgeDays", float64(0), "expireWarnDays", float64(0), "minAgeMinutes", float64(0), "historyCount", float64(4)),
		"lockout", e.NewObject("maxAttempts", float64(10), "autoUnlockMinutes", float64(0)),
	)
}

// spread is JavaScript's {...base, ...over}: over's keys replace base's in place, new ones go last. With dropNulls,
// over's null values are left out (the TypeScript twin's withoutNulls).
func spread(base, over *e.Object, dropNulls bool) *e.Object {
	out := e.CloneObj(base)
	if out == nil {
		out = e.NewObject()
	}
	for _, k := range over.Keys() {
		v := get(over, k)
		if dropNulls && v == nil {
			continue
		}
		out.Set(k, e.Clone(v))
	}
	return out
}

// policyRulesOf are a policy's rules in priority order, the system default rule always last.
func policyRulesOf(state *e.Object, policyID string) []*e.Object {
	var out []*e.Object
	for _, r := range values(state.Obj("policyRules")) {
		if r.Str("policyId") == policyID {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		si, sj := truthy(get(out[i], "system")), truthy(get(out[j], "system"))
		if si != sj {
			return !si
		}
		return jsNumber(get(out[i], "priority")) < jsNumber(get(out[j], "priority"))
	})
	return out
}

// governingPolicy is the ACTIVE policy of a type that governs the user (the first by priority whose people match),
// and its first matching ACTIVE rule.
func governingPolicy(state *e.Object, kind string, user *e.Object) (*e.Object, *e.Object) {
	groups := groupIDsOf(state, user.Str("id"))
	for _, p := range policiesOfType(state, kind) {
		if p.Str("status") != "ACTIVE" || !peopleMatch(p.Obj("conditions"), user.Str("id"), groups) {
			continue
		}
		for _, r := range policyRulesOf(state, p.Str("id")) {
			if r.Str("status") == "ACTIVE" && peopleMatch(r.Obj("conditions"), user.Str("id"), groups) {
				return p, r
			}
		}
		return p, nil
	}
	return nil, nil
}

// passwordSettingsOf are the password settings that govern the user: the governing PASSWORD policy's, filled in
// from Okta's defaults ({complexity, age, lockout}).
func passwordSettingsOf(state, user *e.Object) *e.Object {
	policy, _ := governingPolicy(state, "PASSWORD", user)
	password := policy.Obj("settings").Obj("password")
	d := defaultPasswordSettings()
	return e.NewObject(
		"complexity", spread(d.Obj("complexity"), password.Obj("complexity"), true),
		"age", spread(d.Obj("age"), password.Obj("age"), true),
		"lockout", spread(d.Obj("lockout"), password.Obj("lockout"), true),
	)
}

// signOnActions is the sign-on rule's actions.signon for the user: Okta's default (allow, no factor, 2-hour idle
// session) without one.
func signOnActions(state, user *e.Object) *e.Object {
	_, rule := governingPolicy(state, "OKTA_SIGN_ON", user)
	if signon := rule.Obj("actions").Obj("signon"); signon != nil {
		return signon
	}
	return e.NewObject("access", "ALLOW", "requireFactor", false, "session", e.NewObject("maxSessionIdleMinutes", float64(120), "maxSessionLifetimeMinutes", float64(0), "usePersistentCookie", false))
}

// passwordRuleActions are the password rule's actions for the user (self-service unlock and reset), Okta's
// defaults without one.
func passwordRuleActions(state, user *e.Object) *e.Object {
	_, rule := governingPolicy(state, "PASSWORD", user)
	if actions := rule.Obj("actions"); actions != nil {
		return actions
	}
	return e.NewObject("passwordChange", e.NewObject("access", "ALLOW"), "selfServicePasswordReset", e.NewObject("access", "ALLOW"), "selfServiceUnlock", e.NewObject("access", "DENY"))
}

// placeByPriority renumbers priorities 1..n in list order, moving item to priority (clamped; nil puts it last);
// the system item stays last. An entry whose priority changes is updated now.
func placeByPriority(ctx *e.Ctx, list []*e.Object, item *e.Object, priority any, now string) {
	var others, system []*e.Object
	for _, entry := range list {
		if entry == item {
			continue
		}
		if truthy(get(entry, "system")) {
			system = append(system, entry)
		} else {
			others = append(others, entry)
		}
	}
	var ordered []*e.Object
	if truthy(get(item, "system")) {
		ordered = append(append(append(ordered, others...), item), system...)
	} else {
		wanted := float64(len(others) + 1)
		if priority != nil {
			wanted = jsNumber(priority)
		}
		// JavaScript's slice reads a NaN position as 0.
		position := math.Min(math.Max(math.Trunc(wanted-1), 0), float64(len(others)))
		at := 0
		if !math.IsNaN(position) {
			at = int(position)
		}
		ordered = append(append(append(append(ordered, others[:at]...), item), others[at:]...), system...)
	}
	for i, entry := range ordered {
		position := float64(i + 1)
		if p, isNum := get(entry, "priority").(float64); (!isNum || p != position) && entry != item {
			ctx.Set(entry, "lastUpdated", now)
		}
		ctx.Set(entry, "priority", position)
	}
}

func policyJSON(ctx *e.Ctx, policy *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/policies/" + policy.Str("id")
	system := truthy(get(policy, "system"))
	allow := []string{"GET", "PUT"}
	if !system {
		allow = append(allow, "DELETE")
	}
	links := e.NewObject("self", hintLink(self, allow...), "rules", hintLink(self+"/rules", "GET", "POST"))
	// The default policy is always on (Okta's Policies API, "Default policies").
	if !system {
		verb := "activate"
		if policy.Str("status") == "ACTIVE" {
			verb = "deactivate"
		}
		links.Set(verb, hintLink(self+"/lifecycle/"+verb, "POST"))
	}
	out := e.CloneObj(policy)
	out.Set("_links", links)
	return out
}

func policyRuleJSON(ctx *e.Ctx, rule *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/policies/" + rule.Str("policyId") + "/rules/" + rule.Str("id")
	system := truthy(get(rule, "system"))
	allow := []string{"GET", "PUT"}
	if !system {
		allow = append(allow, "DELETE")
	}
	links := e.NewObject("self", hintLink(self, allow...))
	if !system {
		verb := "activate"
		if rule.Str("status") == "ACTIVE" {
			verb = "deactivate"
		}
		links.Set(verb, hintLink(self+"/lifecycle/"+verb, "POST"))
	}
	out := e.CloneObj(rule)
	out.Delete("policyId")
	out.Set("_links", links)
	return out
}

func policyEntity(policy *e.Object) *e.Object {
	return e.NewObject("id", policy.Str("id"), "type", "PolicyEntity", "alternateId", "unknown", "displayName", get(policy, "name"), "detailEntry", e.NewObject("policyType", get(policy, "type")))
}

func policyRuleEntity(rule *e.Object) *e.Object {
	return e.NewObject("id", rule.Str("id"), "type", "PolicyRule", "alternateId", "unknown", "displayName", get(rule, "name"), "detailEntry", e.NewObject("policyRuleFactorMode", nil))
}

func requirePolicy(ctx *e.Ctx) (*e.Object, error) {
	id := ctx.Params["policyId"]
	if policy := ctx.State.Obj("policies").Obj(id); policy != nil {
		return policy, nil
	}
	return nil, notFound(id, "Policy")
}

func requirePolicyRule(ctx *e.Ctx, policy *e.Object) (*e.Object, error) {
	id := ctx.Params["ruleId"]
	rule := ctx.State.Obj("policyRules").Obj(id)
	if rule == nil || rule.Str("policyId") != policy.Str("id") {
		return nil, notFound(id, "PolicyRule")
	}
	return rule, nil
}

// checkPolicyPeople: the groups and users a people condition names must exist.
func checkPolicyPeople(ctx *e.Ctx, conditions *e.Object) error {
	var problems [][2]string
	people := conditions.Obj("people")
	for _, side := range []string{"include", "exclude"} {
		for _, id := range people.Obj("groups").Arr(side) {
			if ctx.State.Obj("groups").Obj(jsString(id)) == nil {
				problems = append(problems, [2]string{"conditions.people.groups." + side, "Group not found: " + jsString(id)})
			}
		}
		for _, id := range people.Obj("users").Arr(side) {
			if ctx.State.Obj("users").Obj(jsString(id)) == nil {
				problems = append(problems, [2]string{"conditions.people.users." + side, "User not found: " + jsString(id)})
			}
		}
	}
	if len(problems) > 0 {
		return invalidFields(problems)
	}
	return nil
}

func policyName(name any) (string, error) {
	s, isStr := name.(string)
	if !isStr || strings.TrimSpace(s) == "" {
		return "", invalidFields([][2]string{{"name", "The field cannot be left blank"}})
	}
	return s, nil
}

// passwordPolicySettings is a PASSWORD policy's settings, Okta's defaults filled in where the request leaves them out.
func passwordPolicySettings(sent *e.Object) (*e.Object, error) {
	password := sent.Obj("password")
	d := defaultPasswordSettings()
	complexity := spread(spread(d.Obj("complexity"), e.NewObject("dictionary", e.NewObject("common", e.NewObject("exclude", false))), false), password.Obj("complexity"), false)
	// JavaScript's comparison: a null minimum reads as 0.
	length := 0.0
	if v := get(complexity, "minLength"); v != nil {
		length = jsNumber(v)
	}
	if length < 4 || length > 30 {
		return nil, invalidFields([][2]string{{"settings.password.complexity.minLength", "Minimum length must be between 4 and 30."}})
	}
	lockout := spread(spread(d.Obj("lockout"), e.NewObject("userLockoutNotificationChannels", []any{}, "showLockoutFailures", false), false), password.Obj("lockout"), false)
	out := spread(nil, sent, false)
	out.Set("password", e.NewObject("complexity", complexity, "age", spread(d.Obj("age"), password.Obj("age"), false), "lockout", lockout))
	if recovery := get(sent, "recovery"); recovery != nil {
		out.Set("recovery", e.Clone(recovery))
	} else {
		out.Set("recovery", e.NewObject("factors", e.NewObject(
			"recovery_question", e.NewObject("status", "ACTIVE", "properties", e.NewObject("complexity", e.NewObject("minLength", float64(4)))),
			"okta_email", e.NewObject("status", "ACTIVE", "properties", e.NewObject("recoveryToken", e.NewObject("tokenLifetimeMinutes", float64(60)))),
		)))
	}
	if delegation := get(sent, "delegation"); delegation != nil {
		out.Set("delegation", e.Clone(delegation))
	} else {
		out.Set("delegation", e.NewObject("options", e.NewObject("skipUnlock", false)))
	}
	return out, nil
}

// policySettingsFor are the settings a policy of a type keeps (nil: none).
func policySettingsFor(kind string, sent any) (any, error) {
	switch kind {
	case "PASSWORD":
		o, _ := sent.(*e.Object)
		return passwordPolicySettings(o)
	case "MFA_ENROLL":
		if sent == nil {
			return e.NewObject("type", "FACTORS", "factors", e.NewObject()), nil
		}
	}
	return e.Clone(sent), nil
}

// policyRuleActions are a rule's actions, the type's defaults filled in (Okta's Policies API, rule "Actions").
func policyRuleActions(kind string, sent any) *e.Object {
	actions, _ := sent.(*e.Object)
	switch kind {
	case "SIGN_ON":
		signon := actions.Obj("signon")
		base := spread(e.NewObject("access", "ALLOW", "requireFactor", false, "primaryFactor", "PASSWORD_IDP", "rememberDeviceByDefault", false), signon, false)
		base.Set("session", spread(e.NewObject("usePersistentCookie", false, "maxSessionIdleMinutes", float64(120), "maxSessionLifetimeMinutes", float64(0)), signon.Obj("session"), false))
		out := spread(nil, actions, false)
		out.Set("signon", base)
		return out
	case "PASSWORD":
		return spread(e.NewObject("passwordChange", e.NewObject("access", "ALLOW"), "selfServicePasswordReset", e.NewObject("access", "ALLOW"), "selfServiceUnlock", e.NewObject("access", "DENY")), actions, false)
	case "MFA_ENROLL":
		return spread(e.NewObject("enroll", e.NewObject("self", "CHALLENGE")), actions, false)
	}
	return spread(e.NewObject("appSignOn", e.NewObject("access", "ALLOW", "verificationMethod", e.NewObject("factorMode", "1FA", "type", "ASSURANCE", "reauthenticateIn", "PT12H", "constraints", []any{}))), actions, false)
}

// setLifecycle moves a record (a policy, a rule, a server, a group rule) to a status and touches its lastUpdated; it
// reports whether anything changed.
func setLifecycle(ctx *e.Ctx, item *e.Object, status string) bool {
	if item.Str("status") == status {
		return false
	}
	ctx.Set(item, "status", status)
	ctx.Set(item, "lastUpdated", ctx.Now())
	return true
}

// createdInactive: a create asked for an inactive policy or rule (?activate=false or status INACTIVE).
func createdInactive(ctx *e.Ctx, b *e.Object) bool {
	activate, isBool := ctx.Query["activate"].(bool)
	return (isBool && !activate) || get(b, "status") == "INACTIVE"
}

func logPolicy(ctx *e.Ctx, eventType, message string, targets ...*e.Object) {
	logEvent(ctx, logInput{eventType: eventType, displayMessage: message, target: targets})
}

func policyHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listPolicies": func(ctx *e.Ctx) (*e.Result, error) {
			kind, _ := qString(ctx, "type")
			status, hasStatus := qString(ctx, "status")
			q, hasQ := qString(ctx, "q")
			var found []*e.Object
			for _, p := range policiesOfType(ctx.State, kind) {
				if hasStatus && p.Str("status") != status {
					continue
				}
				if hasQ && !strings.HasPrefix(strings.ToLower(p.Str("name")), strings.ToLower(q)) {
					continue
				}
				found = append(found, p)
			}
			// Okta pages this list with limit and after (listPolicies) but documents no default page size: without a
			// limit every policy of the type is on the one page.
			limit := len(found)
			if sent, has := qNumber(ctx, "limit"); has {
				limit = int(sent)
			}
			after, hasAfter := qString(ctx, "after")
			return pagedJSON(ctx, found, limit, after, hasAfter, func(p *e.Object) any { return policyJSON(ctx, p) })
		},

		"createPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			kind := b.Str("type")
			name, err := policyName(get(b, "name"))
			if err != nil {
				return nil, err
			}
			for _, p := range policiesOfType(ctx.State, kind) {
				if p.Str("name") == name {
					return nil, invalidFields([][2]string{{"name", "A policy with this name already exists."}})
				}
			}
			if err := checkPolicyPeople(ctx, b.Obj("conditions")); err != nil {
				return nil, err
			}
			now := ctx.Now()
			settings, err := policySettingsFor(kind, get(b, "settings"))
			if err != nil {
				return nil, err
			}
			status := "ACTIVE"
			if createdInactive(ctx, b) {
				status = "INACTIVE"
			}
			policy := e.NewObject("id", oktaID(ctx, "00p"), "type", kind, "name", name, "description", orDefault(b, "description", nil), "status", status,
				"priority", float64(0), "system", false, "created", now, "lastUpdated", now, "conditions", e.Clone(orDefault(b, "conditions", nil)))
			if settings != nil {
				policy.Set("settings", settings)
			}
			placeByPriority(ctx, append(policiesOfType(ctx.State, kind), policy), policy, get(b, "priority"), now)
			ctx.Set(ctx.Ensure(ctx.State, "policies"), policy.Str("id"), policy)
			logPolicy(ctx, "policy.lifecycle.create", "Create policy", policyEntity(policy))
			return ok(policyJSON(ctx, policy))
		},

		"getPolicy": func(ctx *e.Ctx) (*e.Result, error) {
			policy, err := requirePolicy(ctx)
			if err != nil {
				return nil, err
			}
			return ok(policyJSON(ctx, policy))
		},

		"replacePolicy": func(ctx *e.Ctx) (*e.Result, error) {
			policy, err := requirePolicy(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			if v, has := b.Get("type"); has && v != get(policy, "type") {
				return nil, invalidFields([][2]string{{"type", "The policy type cannot be changed."}})
			}
			name, err := policyName(get(b, "name"))
			if err != nil {
				return nil, err
			}
			kind := policy.Str("type")
			for _, p := range policiesOfType(ctx.State, kind) {
				if p != policy && p.Str("name") == name {
					return nil, invalidFields([][2]string{{"name", "A policy with this name already exists."}})
				}
			}
			if err := checkPolicyPeople(ctx, b.Obj("conditions")); err != nil {
				return nil, err
			}
			settings, err := policySettingsFor(kind, orDefault(b, "settings", get(policy, "settings")))
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			ctx.Set(policy, "name", name)
			ctx.Set(policy, "description", orDefault(b, "description", nil))
			ctx.Set(policy, "conditions", e.Clone(orDefault(b, "conditions", nil)))
			if settings != nil {
				ctx.Set(policy, "settings", settings)
			}
			ctx.Set(policy, "lastUpdated", now)
			placeByPriority(ctx, policiesOfType(ctx.State, kind), policy, orDefault(b, "priority", get(policy, "priority")), now)
			logPolicy(ctx, "policy.lifecycle.update", "Update policy", policyEntity(policy))
			return ok(policyJSON(ctx, policy))
		},

		"deletePolicy": func(ctx *e.Ctx) (*e.Result, error) {
			policy, err := requirePolicy(ctx)
			if err != nil {
				return nil, err
			}
			// Wording unconfirmed: Okta's references show no body for this refusal.
			if truthy(get(policy, "system")) {
				return nil, oktaErr("E0000001", detail("policy"), causes("The default policy cannot be deleted."))
			}
			for _, rule := range policyRulesOf(ctx.State, policy.Str("id")) {
				ctx.Delete(ctx.Ensure(ctx.State, "policyRules"), rule.Str("id"))
			}
			ctx.Delete(ctx.Ensure(ctx.State, "policies"), policy.Str("id"))
			if rest := policiesOfType(ctx.State, policy.Str("type")); len(rest) > 0 {
				placeByPriority(ctx, rest, rest[0], float64(1), ctx.Now())
			}
			logPolicy(ctx, "policy.lifecycle.delete", "Delete policy", policyEntity(policy))
			return e.NoContent(), nil
		},

		"activatePolicy": func(ctx *e.Ctx) (*e.Result, error) {
			policy, err := requirePolicy(ctx)
			if err != nil {
				return nil, err
			}
			if setLifecycle(ctx, policy, "ACTIVE") {
				logPolicy(ctx, "policy.lifecycle.activate", "Activate policy", policyEntity(policy))
			}
			return e.NoContent(), nil
		},

		"deactivatePolicy": func(ctx *e.Ctx) (*e.Result, error) {
			policy, err := requirePolicy(ctx)
			if err != nil {
				return nil, err
			}
			// Wording unconfirmed: Okta's references show no body for this refusal.
			if truthy(get(policy, "system")) {
				return nil, oktaErr("E0000001", detail("policy"), causes("The default policy cannot be deactivated."))
			}
			if setLifecycle(ctx, policy, "INACTIVE") {
				logPolicy(ctx, "policy.lifecycle.deactivate", "Deactivate policy", policyEntity(policy))
			}
			return e.NoContent(), nil
		},

		"listPolicyRules": func(ctx *e.Ctx) (*e.Result, error) {
			policy, err := requirePolicy(ctx)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, rule := range policyRulesOf(ctx.State, policy.Str("id")) {
				out = append(out, policyRuleJSON(ctx, rule))
			}
			return ok(out)
		},

		"createPolicyRule": func(ctx *e.Ctx) (*e.Result, error) {
			policy, err := requirePolicy(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			kind := policyRuleTypes[policy.Str("type")]
			if v, has := b.Get("type"); has && v != kind {
				return nil, invalidFields([][2]string{{"type", "A " + policy.Str("type") + " policy takes " + kind + " rules."}})
			}
			name, err := policyName(get(b, "name"))
			if err != nil {
				return nil, err
			}
			for _, r := range policyRulesOf(ctx.State, policy.Str("id")) {
				if r.Str("name") == name {
					return nil, invalidFields([][2]string{{"name", "A rule with this name already exists in the policy."}})
				}
			}
			if err := checkPolicyPeople(ctx, b.Obj("conditions")); err != nil {
				return nil, err
			}
			now := ctx.Now()
			status := "ACTIVE"
			if createdInactive(ctx, b) {
				status = "INACTIVE"
			}
			rule := e.NewObject("id", oktaID(ctx, "0pr"), "policyId", policy.Str("id"), "type", kind, "name", name, "status", status, "priority", float64(0),
				"system", false, "created", now, "lastUpdated", now, "conditions", e.Clone(orDefault(b, "conditions", nil)), "actions", policyRuleActions(kind, get(b, "actions")))
			placeByPriority(ctx, append(policyRulesOf(ctx.State, policy.Str("id")), rule), rule, get(b, "priority"), now)
			ctx.Set(ctx.Ensure(ctx.State, "policyRules"), rule.Str("id"), rule)
			logPolicy(ctx, "policy.rule.add", "Add policy rule", policyRuleEntity(rule), policyEntity(policy))
			return ok(policyRuleJSON(ctx, rule))
		},

		"getPolicyRule": within(requirePolicy, requirePolicyRule, func(ctx *e.Ctx, policy, rule *e.Object) (*e.Result, error) {
			return ok(policyRuleJSON(ctx, rule))
		}),

		"replacePolicyRule": within(requirePolicy, requirePolicyRule, func(ctx *e.Ctx, policy, rule *e.Object) (*e.Result, error) {
			b := body(ctx)
			if v, has := b.Get("type"); has && v != get(rule, "type") {
				return nil, invalidFields([][2]string{{"type", "The rule type cannot be changed."}})
			}
			name, err := policyName(get(b, "name"))
			if err != nil {
				return nil, err
			}
			for _, r := range policyRulesOf(ctx.State, policy.Str("id")) {
				if r != rule && r.Str("name") == name {
					return nil, invalidFields([][2]string{{"name", "A rule with this name already exists in the policy."}})
				}
			}
			if err := checkPolicyPeople(ctx, b.Obj("conditions")); err != nil {
				return nil, err
			}
			now := ctx.Now()
			ctx.Set(rule, "name", name)
			// A default rule keeps its conditions: it is the catch-all of its policy (Okta's Policies API, "Default rules").
			if !truthy(get(rule, "system")) {
				ctx.Set(rule, "conditions", e.Clone(orDefault(b, "conditions", nil)))
			}
			ctx.Set(rule, "actions", policyRuleActions(rule.Str("type"), orDefault(b, "actions", get(rule, "actions"))))
			ctx.Set(rule, "lastUpdated", now)
			placeByPriority(ctx, policyRulesOf(ctx.State, policy.Str("id")), rule, orDefault(b, "priority", get(rule, "priority")), now)
			logPolicy(ctx, "policy.rule.update", "Update policy rule", policyRuleEntity(rule), policyEntity(policy))
			return ok(policyRuleJSON(ctx, rule))
		}),

		"deletePolicyRule": within(requirePolicy, requirePolicyRule, func(ctx *e.Ctx, policy, rule *e.Object) (*e.Result, error) {
			// Wording unconfirmed: Okta's references show no body for this refusal.
			if truthy(get(rule, "system")) {
				return nil, oktaErr("E0000001", detail("rule"), causes("The default rule cannot be deleted."))
			}
			ctx.Delete(ctx.Ensure(ctx.State, "policyRules"), rule.Str("id"))
			if rest := policyRulesOf(ctx.State, policy.Str("id")); len(rest) > 0 {
				placeByPriority(ctx, rest, rest[0], float64(1), ctx.Now())
			}
			logPolicy(ctx, "policy.rule.delete", "Delete policy rule", policyRuleEntity(rule), policyEntity(policy))
			return e.NoContent(), nil
		}),

		"activatePolicyRule": within(requirePolicy, requirePolicyRule, func(ctx *e.Ctx, policy, rule *e.Object) (*e.Result, error) {
			if setLifecycle(ctx, rule, "ACTIVE") {
				logPolicy(ctx, "policy.rule.activate", "Activate policy rule", policyRuleEntity(rule), policyEntity(policy))
			}
			return e.NoContent(), nil
		}),

		"deactivatePolicyRule": within(requirePolicy, requirePolicyRule, func(ctx *e.Ctx, policy, rule *e.Object) (*e.Result, error) {
			// Wording unconfirmed: Okta's references show no body for this refusal.
			if truthy(get(rule, "system")) {
				return nil, oktaErr("E0000001", detail("rule"), causes("The default rule cannot be deactivated."))
			}
			if setLifecycle(ctx, rule, "INACTIVE") {
				logPolicy(ctx, "policy.rule.deactivate", "Deactivate policy rule", policyRuleEntity(rule), policyEntity(policy))
			}
			return e.NoContent(), nil
		}),
	}
}
