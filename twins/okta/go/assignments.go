package main

import (
	"regexp"
	"sort"
	"strings"

	e "twinverse/twins/goengine"
)

// assignedUsers is everyone assigned to an app: direct assignments (scope USER), then members of its assigned
// groups who have none (scope GROUP, in the groups' priority order); users deleted since are left out.
func assignedUsers(state *e.Object, app *e.Object) []*e.Object {
	users := state.Obj("users")
	var direct []*e.Object
	seen := map[string]bool{}
	for _, r := range values(state.Obj("appUsers").Obj(app.Str("id"))) {
		if users.Obj(r.Str("id")) != nil {
			direct = append(direct, r)
			seen[r.Str("id")] = true
		}
	}
	assignments := values(state.Obj("appGroups").Obj(app.Str("id")))
	sort.SliceStable(assignments, func(i, j int) bool {
		a, _ := get(assignments[i], "priority").(float64)
		b, _ := get(assignments[j], "priority").(float64)
		return a < b
	})
	var viaGroups []*e.Object
	for _, a := range assignments {
		for _, user := range groupMembers(state, a.Str("id")) {
			if seen[user.Str("id")] {
				continue
			}
			seen[user.Str("id")] = true
			record := appUserRecord(app, user, "GROUP", get(a, "lastUpdated"))
			profile := shallow(record.Obj("profile"))
			merge(profile, a.Obj("profile"))
			record.Set("profile", profile)
			record.Set("groupId", a.Str("id"))
			viaGroups = append(viaGroups, record)
		}
	}
	return append(direct, viaGroups...)
}

func appUserRecord(app, user *e.Object, scope string, since any) *e.Object {
	return e.NewObject(
		"id", user.Str("id"), "externalId", nil, "created", since, "lastUpdated", since, "scope", scope, "status", "ACTIVE",
		"statusChanged", since, "passwordChanged", nil, "syncState", "DISABLED",
		"credentials", e.NewObject("userName", appUserName(app, user)), "profile", defaultAppProfile(app, user),
	)
}

// requireAppUser is the app's assigned user the path names.
func requireAppUser(ctx *e.Ctx, app *e.Object) (*e.Object, error) {
	userID := ctx.Params["userId"]
	for _, u := range assignedUsers(ctx.State, app) {
		if u.Str("id") == userID {
			return u, nil
		}
	}
	return nil, notFound(userID, "AppUser")
}

func appUserJSON(ctx *e.Ctx, app, record *e.Object, embedUser bool) *e.Object {
	out := without(record, "groupId")
	groupID := record.Str("groupId")
	if user := ctx.State.Obj("users").Obj(record.Str("id")); embedUser && user != nil {
		out.Set("_embedded", e.NewObject("user", userJSON(ctx, user, false)))
	}
	links := e.NewObject("app", e.NewObject("href", ctx.BaseURL+"/api/v1/apps/"+app.Str("id")), "user", e.NewObject("href", ctx.BaseURL+"/api/v1/users/"+record.Str("id")))
	if groupID != "" {
		group := e.NewObject("href", ctx.BaseURL+"/api/v1/groups/"+groupID)
		if g := ctx.State.Obj("groups").Obj(groupID); g != nil {
			group.Set("name", get(g.Obj("profile"), "name"))
		}
		links.Set("group", group)
	}
	out.Set("_links", links)
	return out
}

// applyAppUserChanges applies credentials and profile sent on assign or update; a password is kept only as set.
func applyAppUserChanges(ctx *e.Ctx, record *e.Object, b *e.Object, now string, live bool) {
	set := func(k string, v any) {
		if live {
			ctx.Set(record, k, v)
		} else {
			record.Set(k, v)
		}
	}
	if creds := b.Obj("credentials"); truthy(get(b, "credentials")) && creds != nil {
		next := shallow(record.Obj("credentials"))
		merge(next, without(creds, "password"))
		password := truthy(get(creds, "password"))
		if password {
			next.Set("password", e.NewObject())
		}
		set("credentials", next)
		if password {
			set("passwordChanged", now)
		}
	}
	if profile := b.Obj("profile"); truthy(get(b, "profile")) && profile != nil {
		set("profile", merge(shallow(record.Obj("profile")), profile))
	}
	set("lastUpdated", now)
}

var (
	plainTemplate  = regexp.MustCompile(`^\$\{source\.(\w+)\}$`)
	beforeTemplate = regexp.MustCompile(`^\$\{fn:substringBefore\(source\.(\w+),[` + jsSpace + `]*"(` + jsDot + `*)"\)\}$`)
)

func appUserName(app, user *e.Object) string {
	template := "${source.login}"
	if t, isStr := get(app.Obj("credentials").Obj("userNameTemplate"), "template").(string); isStr {
		template = t
	}
	profile := user.Obj("profile")
	if m := plainTemplate.FindStringSubmatch(template); m != nil {
		return jsString(firstOf(get(profile, m[1]), get(profile, "login")))
	}
	if m := beforeTemplate.FindStringSubmatch(template); m != nil {
		return strings.SplitN(jsStringOr(get(profile, m[1]), ""), m[2], 2)[0]
	}
	return jsString(get(profile, "login"))
}

func defaultAppProfile(app, user *e.Object) *e.Object {
	if app.Str("signOnMode") != oidc {
		return e.NewObject()
	}
	p := user.Obj("profile")
	var parts []string
	for _, k := range []string{"firstName", "lastName"} {
		if v := get(p, k); truthy(v) {
			parts = append(parts, jsString(v))
		}
	}
	var name any
	if joined := strings.Join(parts, " "); joined != "" {
		name = joined
	}
	return e.NewObject(
		"name", firstOf(get(p, "displayName"), name),
		"given_name", get(p, "firstName"), "middle_name", get(p, "middleName"), "family_name", get(p, "lastName"),
		"nickname", get(p, "nickName"), "email", get(p, "email"), "phone_number", firstOf(get(p, "mobilePhone"), get(p, "primaryPhone")),
		"locale", firstOf(get(p, "locale"), "en_US"), "zoneinfo", firstOf(get(p, "timezone"), "America/Los_Angeles"),
		"street_address", get(p, "streetAddress"), "locality", get(p, "city"), "region", get(p, "state"),
		"postal_code", get(p, "zipCode"), "country", get(p, "countryCode"),
	)
}

// requireGroupAssignment is the app's assignment to the group the path names.
func requireGroupAssignment(ctx *e.Ctx, app *e.Object) (*e.Object, error) {
	groupID := ctx.Params["groupId"]
	a := ctx.State.Obj("appGroups").Obj(app.Str("id")).Obj(groupID)
	if a == nil || ctx.State.Obj("groups").Obj(groupID) == nil {
		return nil, notFound(groupID, "ApplicationGroupAssignment")
	}
	return a, nil
}

func groupAssignmentJSON(ctx *e.Ctx, app, assignment *e.Object, embedGroup bool) *e.Object {
	base := ctx.BaseURL
	out := shallow(assignment)
	id := assignment.Str("id")
	if g := ctx.State.Obj("groups").Obj(id); embedGroup && g != nil {
		out.Set("_embedded", e.NewObject("group", groupJSON(ctx, g, nil)))
	}
	out.Set("_links", e.NewObject(
		"app", e.NewObject("href", base+"/api/v1/apps/"+app.Str("id")),
		"self", e.NewObject("href", base+"/api/v1/apps/"+app.Str("id")+"/groups/"+id),
		"group", e.NewObject("href", base+"/api/v1/groups/"+id),
	))
	return out
}

func appUserTarget(record, user *e.Object) *e.Object {
	name := jsString(firstOf(get(record.Obj("credentials"), "userName"), get(user.Obj("profile"), "login")))
	return e.NewObject("id", record.Str("id"), "type", "AppUser", "alternateId", name, "displayName", name, "detailEntry", nil)
}

func pageParams(ctx *e.Ctx) (int, string, bool) {
	limit, _ := qNumber(ctx, "limit")
	after, hasAfter := qString(ctx, "after")
	return int(limit), after, hasAfter
}

func appAssignmentHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listApplicationUsers": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			appUsers := assignedUsers(ctx.State, app)
			if q, has := qString(ctx, "q"); has {
				needle := jsLower(q)
				appUsers = keep(appUsers, func(au *e.Object) bool {
					user := ctx.State.Obj("users").Obj(au.Str("id"))
					for _, v := range []any{get(au.Obj("credentials"), "userName"), get(user.Obj("profile"), "firstName"), get(user.Obj("profile"), "lastName"), get(user.Obj("profile"), "email"), get(au.Obj("profile"), "email")} {
						if s, isStr := v.(string); isStr && strings.HasPrefix(jsLower(s), needle) {
							return true
						}
					}
					return false
				})
			}
			limit, after, hasAfter := pageParams(ctx)
			embed := contains(expansions(ctx), "user")
			return pagedJSON(ctx, appUsers, limit, after, hasAfter, func(au *e.Object) any { return appUserJSON(ctx, app, au, embed) })
		},
		"assignUserToApplication": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			user, err := requireUser(ctx, jsStringOr(get(b, "id"), "undefined"))
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			assignments := ctx.Ensure(ctx.State.Obj("appUsers"), app.Str("id"))
			previous := assignments.Obj(user.Str("id"))
			record := previous
			if record == nil {
				record = appUserRecord(app, user, "USER", now)
			}
			applyAppUserChanges(ctx, record, b, now, previous != nil)
			ctx.Set(assignments, user.Str("id"), record)
			if previous == nil {
				logEvent(ctx, logInput{"application.user_membership.add", "Add user to application membership", []*e.Object{appUserTarget(record, user), appTarget(app), userTarget(user)}})
			}
			return ok(appUserJSON(ctx, app, record, false))
		},
		"getApplicationUser": within(pathApp, requireAppUser, func(ctx *e.Ctx, app, au *e.Object) (*e.Result, error) {
			return ok(appUserJSON(ctx, app, au, contains(expansions(ctx), "user")))
		}),
		"updateApplicationUser": within(pathApp, requireAppUser, func(ctx *e.Ctx, app, au *e.Object) (*e.Result, error) {
			record := ctx.State.Obj("appUsers").Obj(app.Str("id")).Obj(au.Str("id"))
			// A group-sourced assignment has no record of its own to change.
			if record == nil {
				return nil, oktaErr("E0000006")
			}
			applyAppUserChanges(ctx, record, body(ctx), ctx.Now(), true)
			if user := ctx.State.Obj("users").Obj(au.Str("id")); user != nil {
				logEvent(ctx, logInput{"application.user_membership.update", "Update user in application membership", []*e.Object{appUserTarget(record, user), appTarget(app), userTarget(user)}})
			}
			return ok(appUserJSON(ctx, app, record, false))
		}),
		"unassignUserFromApplication": within(pathApp, requireAppUser, func(ctx *e.Ctx, app, au *e.Object) (*e.Result, error) {
			assignments := ctx.State.Obj("appUsers").Obj(app.Str("id"))
			// A user assigned only through a group stays assigned until the group assignment goes.
			if !truthy(get(assignments, au.Str("id"))) {
				return nil, oktaErr("E0000006")
			}
			ctx.Delete(assignments, au.Str("id"))
			if user := ctx.State.Obj("users").Obj(au.Str("id")); user != nil {
				logEvent(ctx, logInput{"application.user_membership.remove", "Remove user from application membership", []*e.Object{appUserTarget(au, user), appTarget(app), userTarget(user)}})
			}
			return e.NoContent(), nil
		}),
		"listApplicationGroupAssignments": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			groups := ctx.State.Obj("groups")
			assignments := keep(values(ctx.State.Obj("appGroups").Obj(app.Str("id"))), func(a *e.Object) bool { return groups.Obj(a.Str("id")) != nil })
			if q, has := qString(ctx, "q"); has {
				needle := jsLower(q)
				assignments = keep(assignments, func(a *e.Object) bool {
					return strings.HasPrefix(jsLower(jsString(get(groups.Obj(a.Str("id")).Obj("profile"), "name"))), needle)
				})
			}
			limit, after, hasAfter := pageParams(ctx)
			embed := contains(expansions(ctx), "group")
			return pagedJSON(ctx, assignments, limit, after, hasAfter, func(a *e.Object) any { return groupAssignmentJSON(ctx, app, a, embed) })
		},
		"getApplicationGroupAssignment": within(pathApp, requireGroupAssignment, func(ctx *e.Ctx, app, a *e.Object) (*e.Result, error) {
			return ok(groupAssignmentJSON(ctx, app, a, contains(expansions(ctx), "group")))
		}),
		"assignGroupToApplication": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			group, err := requireGroup(ctx, ctx.Params["groupId"])
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			assignments := ctx.Ensure(ctx.State.Obj("appGroups"), app.Str("id"))
			previous := assignments.Obj(group.Str("id"))
			// Okta: without a priority, a new assignment takes the next one.
			next := 0.0
			for _, a := range values(assignments) {
				p, _ := get(a, "priority").(float64)
				next = max(next, p+1)
			}
			assignment := e.NewObject("id", group.Str("id"), "lastUpdated", ctx.Now(),
				"priority", firstOf(get(b, "priority"), get(previous, "priority"), next),
				"profile", firstOf(get(b, "profile"), get(previous, "profile"), e.NewObject()))
			ctx.Set(assignments, group.Str("id"), assignment)
			if previous == nil {
				logEvent(ctx, logInput{"group.application_assignment.add", "Add assigned application to group", []*e.Object{appTarget(app), groupTarget(group)}})
			}
			return ok(groupAssignmentJSON(ctx, app, assignment, false))
		},
		"unassignApplicationFromGroup": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			group, err := requireGroup(ctx, ctx.Params["groupId"])
			if err != nil {
				return nil, err
			}
			if _, err := requireGroupAssignment(ctx, app); err != nil {
				return nil, err
			}
			ctx.Delete(ctx.State.Obj("appGroups").Obj(app.Str("id")), ctx.Params["groupId"])
			logEvent(ctx, logInput{"group.application_assignment.remove", "Remove assigned application from group", []*e.Object{appTarget(app), groupTarget(group)}})
			return e.NoContent(), nil
		},
	}
}
