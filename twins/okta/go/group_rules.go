package main

import (
	"strings"

	e "twinverse/twins/goengine"
)

// Group rules, as twins/okta/model/group-rules.ts and api/group-rules.ts.

const (
	expressionType   = "urn:okta:expression:1.0"
	maxTargetGroups  = 100
	maxExcludedUsers = 100
	maxRulePage      = 200
)

func ruleGroupIDs(rule *e.Object) []string {
	return strings_(rule.Obj("actions").Obj("assignUserToGroups").Arr("groupIds"))
}

// ruleStatus: a rule whose target group was deleted reads INVALID.
func ruleStatus(state *e.Object, rule *e.Object) string {
	for _, id := range ruleGroupIDs(rule) {
		if state.Obj("groups").Obj(id) == nil {
			return "INVALID"
		}
	}
	return rule.Str("status")
}

func managedMembers(state *e.Object, ruleID string) []string {
	return strings_(state.Obj("groupRuleMembers").Arr(ruleID))
}

func setManaged(ctx *e.Ctx, ruleID string, members []string) {
	list := make([]any, len(members))
	for i, m := range members {
		list[i] = m
	}
	ctx.Set(ctx.Ensure(ctx.State, "groupRuleMembers"), ruleID, list)
}

func without1(list []string, s string) []string {
	for i, x := range list {
		if x == s {
			return append(append([]string(nil), list[:i]...), list[i+1:]...)
		}
	}
	return list
}

// applyGroupRules runs every ACTIVE rule for one user, following rules that feed each other until nothing changes.
func applyGroupRules(ctx *e.Ctx, user *e.Object) {
	var rules []*e.Object
	for _, r := range values(ctx.State.Obj("groupRules")) {
		if ruleStatus(ctx.State, r) == "ACTIVE" {
			rules = append(rules, r)
		}
	}
	if len(rules) == 0 || user.Str("status") == "DEPROVISIONED" {
		return
	}
	for pass := 0; pass <= len(rules); pass++ {
		changed := false
		for _, rule := range rules {
			changed = applyRule(ctx, rule, user) || changed
		}
		if !changed {
			return
		}
	}
}

func applyRule(ctx *e.Ctx, rule *e.Object, user *e.Object) bool {
	ruleID, userID := rule.Str("id"), user.Str("id")
	members := ctx.Ensure(ctx.State, "groupRuleMembers")
	if !members.Has(ruleID) {
		ctx.Set(members, ruleID, []any{})
	}
	managed := managedMembers(ctx.State, ruleID)
	excluded := contains(strings_(rule.Obj("conditions").Obj("people").Obj("users").Arr("exclude")), userID)
	if !excluded && ruleMatches(ctx, rule, user) {
		changed := false
		for _, gid := range ruleGroupIDs(rule) {
			if isMember(ctx.State, gid, userID) {
				continue
			}
			addMember(ctx, gid, userID, false)
			changed = true
		}
		if !contains(managed, userID) {
			setManaged(ctx, ruleID, append(managed, userID))
		}
		return changed
	}
	if !contains(managed, userID) {
		return false
	}
	return releaseMember(ctx, rule, userID)
}

// releaseMember takes a user the rule manages out of its groups (unless another rule manages the membership).
func releaseMember(ctx *e.Ctx, rule *e.Object, userID string) bool {
	if managed := managedMembers(ctx.State, rule.Str("id")); contains(managed, userID) {
		setManaged(ctx, rule.Str("id"), without1(managed, userID))
	}
	changed := false
	for _, gid := range ruleGroupIDs(rule) {
		if !isMember(ctx.State, gid, userID) || managedByAnotherRule(ctx.State, rule.Str("id"), gid, userID) {
			continue
		}
		removeMember(ctx, gid, userID)
		changed = true
	}
	return changed
}

func managedByAnotherRule(state *e.Object, ruleID, groupID, userID string) bool {
	for _, other := range values(state.Obj("groupRules")) {
		if other.Str("id") != ruleID && contains(ruleGroupIDs(other), groupID) && contains(managedMembers(state, other.Str("id")), userID) {
			return true
		}
	}
	return false
}

func ruleMatches(ctx *e.Ctx, rule *e.Object, user *e.Object) bool {
	source := rule.Obj("conditions").Obj("expression").Str("value")
	// A stored condition is parsed once per state; one that no longer parses matches nobody.
	compiled := ctx.Memo("groupRuleCondition:"+source, func() any {
		x, err := parseCondition(source)
		if err != nil {
			return (*expr)(nil)
		}
		return x
	}).(*expr)
	if compiled == nil {
		return false
	}
	state := ctx.State
	scope := exprScope{
		attribute: func(name string) any { return get(user.Obj("profile"), name) },
		internal:  func(name string) any { return get(user, name) },
		groups: func() [][2]string {
			var out [][2]string
			for _, gid := range state.Obj("groupMembers").Keys() {
				if g := state.Obj("groups").Obj(gid); g != nil && isMember(state, gid, user.Str("id")) {
					out = append(out, [2]string{gid, jsString(get(g.Obj("profile"), "name"))})
				}
			}
			return out
		},
	}
	return evaluate(compiled, scope) == true
}

// excludeRemovedMember: a rule-managed user removed from a group by hand is added to the rule's exclusions.
func excludeRemovedMember(ctx *e.Ctx, groupID, userID string) {
	for _, rule := range values(ctx.State.Obj("groupRules")) {
		managed := managedMembers(ctx.State, rule.Str("id"))
		if !contains(managed, userID) || !contains(ruleGroupIDs(rule), groupID) {
			continue
		}
		setManaged(ctx, rule.Str("id"), without1(managed, userID))
		conditions := rule.Obj("conditions")
		people := ctx.Ensure(conditions, "people")
		users := ctx.Ensure(people, "users")
		exclude := users.Arr("exclude")
		if !users.Has("exclude") || get(users, "exclude") == nil {
			exclude = []any{}
			ctx.Set(users, "exclude", exclude)
		}
		if contains(strings_(exclude), userID) {
			continue
		}
		ctx.Set(users, "exclude", append(append([]any(nil), exclude...), userID))
		target := []*e.Object{e.NewObject("id", rule.Str("id"), "type", "GroupRule", "alternateId", get(rule, "name"), "displayName", get(rule, "name"))}
		if user := ctx.State.Obj("users").Obj(userID); user != nil {
			target = append(target, userTarget(user))
		}
		// Okta System adds the user "with the message: User added to exclusion list for group rule".
		logEventAs(ctx, logInput{"group.user_membership.rule.add_exclusion", "User added to exclusion list for group rule", target}, systemPrincipal(ctx))
	}
}

func systemPrincipal(ctx *e.Ctx) *e.Object {
	return e.NewObject("id", ctx.State.Obj("org").Str("id"), "type", "SystemPrincipal", "alternateId", "system@okta.com", "displayName", "Okta System", "detailEntry", nil)
}

// rulesOf is the state's group rules. Like the TypeScript twin, reading creates the collection in a state that
// has none yet, so both backends' states stay alike.
func rulesOf(ctx *e.Ctx) *e.Object { return ctx.Ensure(ctx.State, "groupRules") }

func requireRule(ctx *e.Ctx, id string) (*e.Object, error) {
	if r := rulesOf(ctx).Obj(id); r != nil {
		return r, nil
	}
	return nil, notFound(id, "GroupRule")
}

func statusRefused(message string) error {
	return oktaErr("E0000001", detail(message), causes(message))
}

// ruleNameAndConditions checks what a create and a replace both take from the body: the name, then the conditions.
func ruleNameAndConditions(b *e.Object) (string, *e.Object, error) {
	name, err := ruleName(get(b, "name"))
	if err != nil {
		return "", nil, err
	}
	conditions, err := ruleConditions(b.Obj("conditions"))
	return name, conditions, err
}

func ruleName(name any) (string, error) {
	s, _ := name.(string)
	if jsTrim(s) == "" {
		return "", oktaErr("E0000001", detail("name"), causes("name: The field cannot be left blank"))
	}
	return s, nil
}

func ruleConditions(sent *e.Object) (*e.Object, error) {
	value := sent.Obj("expression").Str("value")
	if jsTrim(value) == "" {
		return nil, oktaErr("E0000001", detail("conditions.expression.value"), causes("conditions.expression.value: The field cannot be left blank"))
	}
	if _, err := parseCondition(value); err != nil {
		// Okta names the failed check "validateRule" in the summary of an expression it refuses.
		return nil, oktaErr("E0000001", detail("validateRule"), causes(err.Error()))
	}
	if len(sent.Obj("people").Obj("users").Arr("exclude")) > maxExcludedUsers {
		return nil, oktaErr("E0000001", detail("conditions.people.users.exclude"), causes("conditions.people.users.exclude: A group rule can exclude at most 100 users"))
	}
	out := e.NewObject()
	if v, has := sent.Get("people"); has {
		out.Set("people", e.Clone(v))
	}
	out.Set("expression", e.NewObject("value", value, "type", orDefault(sent.Obj("expression"), "type", expressionType)))
	return out, nil
}

func targetGroups(ctx *e.Ctx, sent []any) ([]any, error) {
	const field = "actions.assignUserToGroups.groupIds"
	if len(sent) == 0 {
		return nil, oktaErr("E0000001", detail(field), causes(field+": The field cannot be left blank"))
	}
	if len(sent) > maxTargetGroups {
		return nil, oktaErr("E0000001", detail(field), causes(field+": A group rule can assign users to at most 100 groups"))
	}
	var out []any
	seen := map[string]bool{}
	for _, v := range sent {
		id := jsString(v)
		group := ctx.State.Obj("groups").Obj(id)
		if group == nil {
			return nil, notFound(id, "UserGroup")
		}
		if group.Str("type") != "OKTA_GROUP" {
			return nil, oktaErr("E0000001", detail(field), causes(field+": Group rules can only assign users to groups of type OKTA_GROUP; "+id+" is "+group.Str("type")))
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

func ruleJSON(ctx *e.Ctx, rule *e.Object, expand string) *e.Object {
	out := e.NewObject("type", get(rule, "type"), "id", get(rule, "id"), "status", ruleStatus(ctx.State, rule), "name", get(rule, "name"),
		"created", get(rule, "created"), "lastUpdated", get(rule, "lastUpdated"), "conditions", e.Clone(get(rule, "conditions")), "actions", e.Clone(get(rule, "actions")))
	if expand == "groupIdToGroupNameMap" {
		names := e.NewObject()
		for _, id := range ruleGroupIDs(rule) {
			if g := ctx.State.Obj("groups").Obj(id); g != nil {
				names.Set(id, get(g.Obj("profile"), "name"))
			}
		}
		out.Set("_embedded", e.NewObject("groupIdToGroupNameMap", names))
	}
	return out
}

func lifecycleRule(ctx *e.Ctx) (*e.Object, error) {
	rule, err := requireRule(ctx, ctx.Params["groupRuleId"])
	if err != nil {
		return nil, err
	}
	if ruleStatus(ctx.State, rule) == "INVALID" {
		return nil, statusRefused("Cannot activate or deactivate a Group Rule with the status INVALID")
	}
	return rule, nil
}

func groupRuleHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listGroupRules": func(ctx *e.Ctx) (*e.Result, error) {
			rules := values(rulesOf(ctx))
			if search, has := qString(ctx, "search"); has {
				keyword := jsLower(search)
				rules = keep(rules, func(r *e.Object) bool { return strings.Contains(jsLower(jsString(get(r, "name"))), keyword) })
			}
			limit, _ := qNumber(ctx, "limit")
			after, hasAfter := qString(ctx, "after")
			expand, _ := qString(ctx, "expand")
			return pagedJSON(ctx, rules, int(min(limit, maxRulePage)), after, hasAfter, func(r *e.Object) any { return ruleJSON(ctx, r, expand) })
		},
		"createGroupRule": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			groupIDs, err := targetGroups(ctx, b.Obj("actions").Obj("assignUserToGroups").Arr("groupIds"))
			if err != nil {
				return nil, err
			}
			name, conditions, err := ruleNameAndConditions(b)
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			// Okta: group rules are created INACTIVE, whatever status the request sends.
			rule := e.NewObject("type", "group_rule", "id", oktaID(ctx, "0pr"), "status", "INACTIVE", "name", name, "created", now, "lastUpdated", now,
				"conditions", conditions, "actions", e.NewObject("assignUserToGroups", e.NewObject("groupIds", groupIDs)))
			ctx.Set(rulesOf(ctx), rule.Str("id"), rule)
			return ok(ruleJSON(ctx, rule, ""))
		},
		"getGroupRule": func(ctx *e.Ctx) (*e.Result, error) {
			rule, err := requireRule(ctx, ctx.Params["groupRuleId"])
			if err != nil {
				return nil, err
			}
			expand, _ := qString(ctx, "expand")
			return ok(ruleJSON(ctx, rule, expand))
		},
		"replaceGroupRule": func(ctx *e.Ctx) (*e.Result, error) {
			rule, err := requireRule(ctx, ctx.Params["groupRuleId"])
			if err != nil {
				return nil, err
			}
			switch ruleStatus(ctx.State, rule) {
			case "ACTIVE":
				return nil, statusRefused("Cannot update a group rule while it is ACTIVE; deactivate it first")
			case "INVALID":
				return nil, statusRefused("Cannot update a group rule with the status INVALID")
			}
			b := body(ctx)
			current := ruleGroupIDs(rule)
			if sentAny, has := b.Obj("actions").Obj("assignUserToGroups").Get("groupIds"); has && sentAny != nil {
				sent, _ := sentAny.([]any)
				differs := len(sent) != len(current)
				for _, id := range sent {
					if !contains(current, jsString(id)) {
						differs = true
					}
				}
				if differs {
					return nil, oktaErr("E0000001", detail("actions"), causes("actions: The actions of a group rule cannot be changed"))
				}
			}
			name, conditions, err := ruleNameAndConditions(b)
			if err != nil {
				return nil, err
			}
			ctx.Set(rule, "conditions", conditions)
			ctx.Set(rule, "name", name)
			ctx.Set(rule, "lastUpdated", ctx.Now())
			return ok(ruleJSON(ctx, rule, ""))
		},
		"deleteGroupRule": func(ctx *e.Ctx) (*e.Result, error) {
			rule, err := requireRule(ctx, ctx.Params["groupRuleId"])
			if err != nil {
				return nil, err
			}
			if ruleStatus(ctx.State, rule) == "ACTIVE" {
				return nil, statusRefused("Cannot delete a group rule while it is ACTIVE; deactivate it first")
			}
			// Okta: without removeUsers, the members the rule added stay, no longer managed by any rule.
			if qBool(ctx, "removeUsers") {
				for _, userID := range managedMembers(ctx.State, rule.Str("id")) {
					releaseMember(ctx, rule, userID)
				}
			}
			ctx.Delete(rulesOf(ctx), rule.Str("id"))
			if members := ctx.State.Obj("groupRuleMembers"); members != nil {
				ctx.Delete(members, rule.Str("id"))
			}
			return &e.Result{Status: 202, Headers: e.Headers{}, NoBody: true}, nil
		},
		"activateGroupRule": func(ctx *e.Ctx) (*e.Result, error) {
			rule, err := lifecycleRule(ctx)
			if err != nil {
				return nil, err
			}
			setLifecycle(ctx, rule, "ACTIVE")
			// Okta: once activated, a rule runs across the whole user population.
			for _, user := range values(ctx.State.Obj("users")) {
				applyGroupRules(ctx, user)
			}
			return e.NoContent(), nil
		},
		"deactivateGroupRule": func(ctx *e.Ctx) (*e.Result, error) {
			rule, err := lifecycleRule(ctx)
			if err != nil {
				return nil, err
			}
			// Okta: deactivating keeps the memberships the rule made; only new evaluations stop.
			setLifecycle(ctx, rule, "INACTIVE")
			return e.NoContent(), nil
		},
	}
}
