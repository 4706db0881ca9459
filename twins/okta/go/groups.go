package main

import (
	"math"
	"regexp"
	"sort"
	"strings"

	e "twinverse/twins/goengine"
)

// groupJSON is a group as Okta returns it: the record plus _links and the _embedded expansions asked for.
func groupJSON(ctx *e.Ctx, group *e.Object, expand []string) *e.Object {
	base := ctx.BaseURL
	out := e.NewObject()
	for _, k := range group.Keys() {
		out.Set(k, get(group, k))
	}
	source := group.Obj("source")
	logo := "okta"
	if group.Str("type") == "APP_GROUP" {
		logo = "active_directory"
	}
	embedded := e.NewObject()
	if contains(expand, "stats") {
		appsCount := 0
		appGroups := ctx.State.Obj("appGroups")
		for _, appID := range appGroups.Keys() {
			if truthy(get(appGroups.Obj(appID), group.Str("id"))) {
				appsCount++
			}
		}
		embedded.Set("stats", e.NewObject("usersCount", float64(len(groupMembers(ctx.State, group.Str("id")))), "appsCount", float64(appsCount), "groupPushMappingsCount", float64(0), "hasAdminPrivilege", false))
	}
	if source != nil && contains(expand, "app") {
		if app := ctx.State.Obj("apps").Obj(source.Str("id")); app != nil {
			embedded.Set("app", e.NewObject("id", get(app, "id"), "name", get(app, "name"), "label", get(app, "label"), "signOnMode", get(app, "signOnMode")))
		}
	}
	if embedded.Len() > 0 {
		out.Set("_embedded", embedded)
	}
	logos := []any{}
	for _, size := range []string{"medium", "large"} {
		logos = append(logos, e.NewObject("name", size, "href", base+"/assets/img/logos/groups/odyssey/"+logo+"-"+size+".png", "type", "image/png"))
	}
	links := e.NewObject("logo", logos)
	if source != nil {
		links.Set("source", e.NewObject("href", base+"/api/v1/apps/"+source.Str("id")))
	}
	links.Set("users", e.NewObject("href", base+"/api/v1/groups/"+group.Str("id")+"/users"))
	links.Set("apps", e.NewObject("href", base+"/api/v1/groups/"+group.Str("id")+"/apps"))
	out.Set("_links", links)
	return out
}

func requireGroup(ctx *e.Ctx, id string) (*e.Object, error) {
	if g := ctx.State.Obj("groups").Obj(id); g != nil {
		return g, nil
	}
	return nil, notFound(id, "UserGroup")
}

// groupProfile is the profile sent, whole: Okta replaces the profile, so a missing description reads back as null.
func groupProfile(sent *e.Object) *e.Object {
	out := e.NewObject()
	for _, k := range sent.Keys() {
		out.Set(k, get(sent, k))
	}
	out.Set("name", get(sent, "name"))
	out.Set("description", orDefault(sent, "description", nil))
	return out
}

func assertUniqueName(ctx *e.Ctx, name, except string) error {
	for _, g := range values(ctx.State.Obj("groups")) {
		if g.Str("id") != except && g.Str("type") != "APP_GROUP" && jsLower(jsString(get(g.Obj("profile"), "name"))) == jsLower(name) {
			return oktaErr("E0000001", detail("name"), causes("name: An object with this field already exists in the current organization"))
		}
	}
	return nil
}

func expansions(ctx *e.Ctx) []string {
	expand, _ := qString(ctx, "expand")
	var out []string
	for _, part := range strings.Split(expand, ",") {
		if p := jsTrim(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var (
	groupDates     = map[string]bool{"created": true, "lastUpdated": true, "lastMembershipUpdated": true}
	profileProp    = regexp.MustCompile(`^profile\.\w+$`)
	isoDateCompare = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$`)
)

func groupFilterRules() filterRules {
	return filterRules{
		supports: func(p, op string) bool {
			return contains([]string{"id", "type", "lastUpdated", "lastMembershipUpdated"}, p) && contains([]string{"eq", "gt", "ge", "lt", "le"}, op)
		},
		read:  pathValue,
		dates: groupDates,
	}
}

func groupSearchRules() filterRules {
	return filterRules{
		supports: func(p, op string) bool {
			if !contains([]string{"eq", "ne", "sw", "co", "gt", "ge", "lt", "le", "pr"}, op) {
				return false
			}
			if op == "co" {
				return p == "profile.name" || p == "profile.description"
			}
			return contains([]string{"id", "created", "lastUpdated", "lastMembershipUpdated", "type", "source.id"}, p) || profileProp.MatchString(p)
		},
		read:  pathValue,
		dates: groupDates,
	}
}

func compareSortValues(x, y any, localeCompare func(a, b string) int) int {
	xs, xStr := x.(string)
	ys, yStr := y.(string)
	if xStr && yStr && isoDateCompare.MatchString(xs) && isoDateCompare.MatchString(ys) {
		a, _ := instantMs(xs)
		b, _ := instantMs(ys)
		return int(math.Copysign(1, a-b)) * boolInt(a != b)
	}
	xn, xNum := x.(float64)
	yn, yNum := y.(float64)
	if xNum && yNum {
		return int(math.Copysign(1, xn-yn)) * boolInt(xn != yn)
	}
	_, xBool := x.(bool)
	_, yBool := y.(bool)
	if xBool || yBool {
		return boolInt(x != y)
	}
	return localeCompare(jsString(x), jsString(y))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sortByPath(items []*e.Object, path string, descending bool) []*e.Object {
	sign := 1
	if descending {
		sign = -1
	}
	out := append([]*e.Object(nil), items...)
	localeCompare := jsCollator()
	sort.SliceStable(out, func(i, j int) bool {
		x, y := pathValue(out[i], path), pathValue(out[j], path)
		order := 0
		switch {
		case strictEqual(x, y):
		case x == nil:
			order = 1
		case y == nil:
			order = -1
		default:
			order = compareSortValues(x, y, localeCompare)
		}
		if order != 0 {
			return sign*order < 0
		}
		return localeCompare(jsString(pathValue(out[i], "id")), jsString(pathValue(out[j], "id"))) < 0
	})
	return out
}

func groupHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listGroups": listGroups,
		"addGroup": func(ctx *e.Ctx) (*e.Result, error) {
			profile := groupProfile(body(ctx).Obj("profile"))
			if err := assertUniqueName(ctx, jsString(get(profile, "name")), ""); err != nil {
				return nil, err
			}
			now := ctx.Now()
			group := e.NewObject("id", oktaID(ctx, "00g"), "created", now, "lastUpdated", now, "lastMembershipUpdated", now, "objectClass", []any{"okta:user_group"}, "type", "OKTA_GROUP", "profile", profile)
			ctx.Set(ctx.State.Obj("groups"), group.Str("id"), group)
			ctx.Set(ctx.State.Obj("groupMembers"), group.Str("id"), []any{})
			logEvent(ctx, logInput{"group.lifecycle.create", "Create Okta group", []*e.Object{groupTarget(group)}})
			return ok(groupJSON(ctx, group, nil))
		},
		"getGroup": func(ctx *e.Ctx) (*e.Result, error) {
			group, err := requireGroup(ctx, ctx.Params["groupId"])
			if err != nil {
				return nil, err
			}
			return ok(groupJSON(ctx, group, expansions(ctx)))
		},
		"replaceGroup": func(ctx *e.Ctx) (*e.Result, error) {
			group, err := requireGroup(ctx, ctx.Params["groupId"])
			if err != nil {
				return nil, err
			}
			// Okta: only OKTA_GROUP profiles can be modified; app imports own APP_GROUP profiles.
			if group.Str("type") != "OKTA_GROUP" {
				return nil, oktaErr("E0000006")
			}
			profile := groupProfile(body(ctx).Obj("profile"))
			if err := assertUniqueName(ctx, jsString(get(profile, "name")), group.Str("id")); err != nil {
				return nil, err
			}
			ctx.Set(group, "profile", profile)
			ctx.Set(group, "lastUpdated", ctx.Now())
			logEvent(ctx, logInput{"group.profile.update", "Update group profile", []*e.Object{groupTarget(group)}})
			return ok(groupJSON(ctx, group, nil))
		},
		"deleteGroup": func(ctx *e.Ctx) (*e.Result, error) {
			group, err := requireGroup(ctx, ctx.Params["groupId"])
			if err != nil {
				return nil, err
			}
			if group.Str("type") == "BUILT_IN" {
				return nil, oktaErr("E0000006")
			}
			id := group.Str("id")
			ctx.Delete(ctx.State.Obj("groups"), id)
			ctx.Delete(ctx.State.Obj("groupMembers"), id)
			appGroups := ctx.State.Obj("appGroups")
			for _, appID := range appGroups.Keys() {
				ctx.Delete(appGroups.Obj(appID), id)
			}
			logEvent(ctx, logInput{"group.lifecycle.delete", "Delete Okta group", []*e.Object{groupTarget(group)}})
			return e.NoContent(), nil
		},
		"listGroupUsers": func(ctx *e.Ctx) (*e.Result, error) {
			group, err := requireGroup(ctx, ctx.Params["groupId"])
			if err != nil {
				return nil, err
			}
			limit, _ := qNumber(ctx, "limit")
			after, hasAfter := qString(ctx, "after")
			return pagedJSON(ctx, groupMembers(ctx.State, group.Str("id")), int(limit), after, hasAfter, func(u *e.Object) any { return userJSON(ctx, u, false) })
		},
		"assignUserToGroup": func(ctx *e.Ctx) (*e.Result, error) {
			group, user, err := membership(ctx)
			if err != nil {
				return nil, err
			}
			addMember(ctx, group.Str("id"), user.Str("id"), false)
			return e.NoContent(), nil
		},
		"unassignUserFromGroup": func(ctx *e.Ctx) (*e.Result, error) {
			group, user, err := membership(ctx)
			if err != nil {
				return nil, err
			}
			removeMember(ctx, group.Str("id"), user.Str("id"))
			excludeRemovedMember(ctx, group.Str("id"), user.Str("id"))
			return e.NoContent(), nil
		},
		"listAssignedApplicationsForGroup": func(ctx *e.Ctx) (*e.Result, error) {
			group, err := requireGroup(ctx, ctx.Params["groupId"])
			if err != nil {
				return nil, err
			}
			var apps []*e.Object
			appGroups := ctx.State.Obj("appGroups")
			for _, app := range values(ctx.State.Obj("apps")) {
				if truthy(get(appGroups.Obj(app.Str("id")), group.Str("id"))) {
					apps = append(apps, app)
				}
			}
			limit, _ := qNumber(ctx, "limit")
			after, hasAfter := qString(ctx, "after")
			return pagedJSON(ctx, apps, int(limit), after, hasAfter, func(a *e.Object) any { return appJSON(ctx, a, false, "") })
		},
	}
}

func membership(ctx *e.Ctx) (*e.Object, *e.Object, error) {
	group, err := requireGroup(ctx, ctx.Params["groupId"])
	if err != nil {
		return nil, nil, err
	}
	user, err := requireUser(ctx, ctx.Params["userId"])
	if err != nil {
		return nil, nil, err
	}
	// Okta: memberships of BUILT_IN and APP_GROUP groups are managed by Okta or the importing app, not the API.
	if group.Str("type") != "OKTA_GROUP" {
		return nil, nil, oktaErr("E0000006")
	}
	return group, user, nil
}

func listGroups(ctx *e.Ctx) (*e.Result, error) {
	expand := expansions(ctx)
	groups := values(ctx.State.Obj("groups"))
	limit, hasLimit := qNumber(ctx, "limit")
	if q, has := qString(ctx, "q"); has {
		// Okta: a query is an auto-complete lookup, exact names first, default limit 300, and it does not page.
		needle := jsLower(q)
		var found []*e.Object
		for _, g := range groups {
			if strings.HasPrefix(jsLower(jsString(get(g.Obj("profile"), "name"))), needle) {
				found = append(found, g)
			}
		}
		exact := func(g *e.Object) bool { return jsLower(jsString(get(g.Obj("profile"), "name"))) == needle }
		sort.SliceStable(found, func(i, j int) bool { return exact(found[i]) && !exact(found[j]) })
		max := 300
		if hasLimit {
			max = int(limit)
		}
		page := slice(found, max)
		out := make([]any, len(page))
		for i, g := range page {
			out[i] = groupJSON(ctx, g, expand)
		}
		return okLinks(out, e.CursorPage(ctx, page, maxInt(len(page), 1), "", false, nil).Links)
	}
	if filter, has := qString(ctx, "filter"); has {
		m, err := compileFilter(filter, groupFilterRules())
		if err != nil {
			return nil, err
		}
		groups = keep(groups, m)
	}
	if search, has := qString(ctx, "search"); has {
		m, err := compileFilter(search, groupSearchRules())
		if err != nil {
			return nil, err
		}
		groups = keep(groups, m)
		if sortBy, _ := qString(ctx, "sortBy"); sortBy != "" {
			order, _ := qString(ctx, "sortOrder")
			groups = sortByPath(groups, sortBy, order == "desc")
		}
	}
	pageLimit := 10000
	if hasLimit {
		pageLimit = int(math.Min(limit, 10000))
	}
	after, hasAfter := qString(ctx, "after")
	return pagedJSON(ctx, groups, pageLimit, after, hasAfter, func(g *e.Object) any { return groupJSON(ctx, g, expand) })
}

// slice is JavaScript's list.slice(0, n), n possibly negative.
func slice(list []*e.Object, n int) []*e.Object {
	if n < 0 {
		n = max(0, len(list)+n)
	}
	return list[:min(n, len(list))]
}

func maxInt(a, b int) int { return max(a, b) }

func keep(list []*e.Object, f func(*e.Object) bool) []*e.Object {
	var out []*e.Object
	for _, x := range list {
		if f(x) {
			out = append(out, x)
		}
	}
	return out
}

// strictEqual is JavaScript's === on JSON values: objects and arrays are equal only to themselves.
func strictEqual(x, y any) bool {
	switch a := x.(type) {
	case []any:
		b, isArr := y.([]any)
		return isArr && len(a) > 0 && len(b) > 0 && &a[0] == &b[0]
	case *e.Object:
		b, isObj := y.(*e.Object)
		return isObj && a == b
	}
	if _, isArr := y.([]any); isArr {
		return false
	}
	return x == y
}
