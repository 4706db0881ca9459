package main

import (
	e "twinverse/twins/goengine"
)

// Admin roles of users and groups and their targets (tags RoleAssignment and RoleTarget), as
// twins/okta/api/roles.ts and model/roles.ts. Assignments are kept in state.userRoles and state.groupRoles by the
// principal's id, with their group and app targets (twin-only until listed through /targets).

// roleLabels are Okta's standard admin roles and their labels (model/client-roles.ts ROLES), for users, groups and
// clients alike; what each may do is standardRole (oauth_bearer.go).
var roleLabels = map[string]string{
	"SUPER_ADMIN":                 "Super Administrator",
	"ORG_ADMIN":                   "Organization Administrator",
	"APP_ADMIN":                   "Application Administrator",
	"USER_ADMIN":                  "User Administrator",
	"GROUP_MEMBERSHIP_ADMIN":      "Group Membership Administrator",
	"HELP_DESK_ADMIN":             "Help Desk Administrator",
	"READ_ONLY_ADMIN":             "Read Only Administrator",
	"REPORT_ADMIN":                "Report Administrator",
	"API_ACCESS_MANAGEMENT_ADMIN": "API Access Management Administrator",
	"ACCESS_CERTIFICATIONS_ADMIN": "Access Certifications Administrator",
	"ACCESS_REQUESTS_ADMIN":       "Access Requests Administrator",
	"WORKFLOWS_ADMIN":             "Workflows Administrator",
}

// The standard roles whose scope can be narrowed to groups, and to apps (Okta's Role Targets API).
var (
	groupTargetRoles = []string{"USER_ADMIN", "GROUP_MEMBERSHIP_ADMIN", "HELP_DESK_ADMIN", "GROUP_ADMIN"}
	appTargetRoles   = []string{"APP_ADMIN"}
)

// rolePrincipal is where an assignment belongs: a user's (kind USER) or a group's (kind GROUP) roles.
type rolePrincipal struct{ kind, id string }

func (p rolePrincipal) storeKey() string {
	if p.kind == "USER" {
		return "userRoles"
	}
	return "groupRoles"
}

func userPrincipal(ctx *e.Ctx) (rolePrincipal, error) {
	user, err := findUser(ctx, ctx.Params["userId"])
	if err != nil {
		return rolePrincipal{}, err
	}
	return rolePrincipal{"USER", user.Str("id")}, nil
}

func groupPrincipal(ctx *e.Ctx) (rolePrincipal, error) {
	group, err := requireGroup(ctx, ctx.Params["groupId"])
	if err != nil {
		return rolePrincipal{}, err
	}
	return rolePrincipal{"GROUP", group.Str("id")}, nil
}

func assignmentsOf(state *e.Object, p rolePrincipal) []*e.Object {
	var out []*e.Object
	for _, v := range state.Obj(p.storeKey()).Arr(p.id) {
		if a, isObj := v.(*e.Object); isObj {
			out = append(out, a)
		}
	}
	return out
}

func principalEntity(ctx *e.Ctx, p rolePrincipal) *e.Object {
	if p.kind == "USER" {
		return userTarget(ctx.State.Obj("users").Obj(p.id))
	}
	return groupTarget(ctx.State.Obj("groups").Obj(p.id))
}

func requireAssignment(ctx *e.Ctx, p rolePrincipal) (*e.Object, error) {
	id := ctx.Params["roleAssignmentId"]
	for _, a := range assignmentsOf(ctx.State, p) {
		if a.Str("id") == id {
			return a, nil
		}
	}
	return nil, notFound(id, "RoleAssignment")
}

// assignmentJSON is an assignment as Okta returns it: the stored record without its targets, with its assignee.
func assignmentJSON(ctx *e.Ctx, p rolePrincipal, a *e.Object) *e.Object {
	out := e.CloneObj(a)
	out.Delete("groupTargets")
	out.Delete("appTargets")
	collection := "groups"
	if p.kind == "USER" {
		collection = "users"
	}
	out.Set("_links", e.NewObject("assignee", e.NewObject("href", ctx.BaseURL+"/api/v1/"+collection+"/"+p.id)))
	return out
}

// principalOf reads the principal a request names (a user or a group), or refuses it as not found; the same
// handlers serve both kinds.
type principalOf func(ctx *e.Ctx) (rolePrincipal, error)

func listRoles(of principalOf) e.Handler {
	return func(ctx *e.Ctx) (*e.Result, error) {
		p, err := of(ctx)
		if err != nil {
			return nil, err
		}
		out := []any{}
		for _, a := range assignmentsOf(ctx.State, p) {
			out = append(out, assignmentJSON(ctx, p, a))
		}
		return ok(out)
	}
}

// roleToAssign reads the role a body asks to assign to a holder of the held roles: its type, a standard role's
// (roleLabels) not yet held, and the type's label. Users, groups and clients take the same roles alike.
func roleToAssign(b *e.Object, held []*e.Object, holder string) (string, string, error) {
	kind := get(b, "type")
	if kind == nil || kind == "" {
		return "", "", invalidFields([][2]string{{"type", "The field cannot be left blank"}})
	}
	// A custom role is named by its id and bound to a resource set; the twin has neither.
	if kind == "CUSTOM" {
		return "", "", notFound(jsString(orDefault(b, "role", "")), "CustomRole")
	}
	roleType, isStr := kind.(string)
	label, known := roleLabels[roleType]
	if !isStr || !known {
		return "", "", invalidFields([][2]string{{"type", "'" + jsString(kind) + "' is not a valid role type"}})
	}
	for _, a := range held {
		if a.Str("type") == roleType {
			return "", "", oktaErr("E0000090", causes("The role specified is already assigned to the "+holder+"."))
		}
	}
	return roleType, label, nil
}

func assignRole(of principalOf) e.Handler {
	return func(ctx *e.Ctx) (*e.Result, error) {
		p, err := of(ctx)
		if err != nil {
			return nil, err
		}
		holder := "group"
		if p.kind == "USER" {
			holder = "user"
		}
		roleType, label, err := roleToAssign(body(ctx), assignmentsOf(ctx.State, p), holder)
		if err != nil {
			return nil, err
		}
		now := ctx.Now()
		assignment := e.NewObject("id", oktaID(ctx, "ra1"), "label", label, "type", roleType, "status", "ACTIVE", "created", now, "lastUpdated", now, "assignmentType", p.kind)
		store := ctx.Ensure(ctx.State, p.storeKey())
		ctx.Set(store, p.id, append(append([]any{}, store.Arr(p.id)...), assignment))
		eventType, message, status := "group.privilege.grant", "Grant group privilege", 200
		// Okta answers a user's new role with 201 and a group's with 200 (the management spec).
		if p.kind == "USER" {
			eventType, message, status = "user.account.privilege.grant", "Grant user privilege", 201
		}
		logEventExtra(ctx, logInput{eventType: eventType, displayMessage: message, target: []*e.Object{principalEntity(ctx, p)}},
			eventExtra{debugData: e.NewObject("privilegeGranted", label)})
		return &e.Result{Status: status, Headers: e.Headers{}, Body: assignmentJSON(ctx, p, assignment)}, nil
	}
}

func getRole(of principalOf) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, a *e.Object) (*e.Result, error) {
		return ok(assignmentJSON(ctx, p, a))
	})
}

func unassignRole(of principalOf) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, assignment *e.Object) (*e.Result, error) {
		kept := []any{}
		for _, a := range assignmentsOf(ctx.State, p) {
			if a.Str("id") != assignment.Str("id") {
				kept = append(kept, a)
			}
		}
		ctx.Set(ctx.Ensure(ctx.State, p.storeKey()), p.id, kept)
		eventType, message := "group.privilege.revoke", "Revoke group privilege"
		if p.kind == "USER" {
			eventType, message = "user.account.privilege.revoke", "Revoke user privilege"
		}
		logEventExtra(ctx, logInput{eventType: eventType, displayMessage: message, target: []*e.Object{principalEntity(ctx, p)}},
			eventExtra{debugData: e.NewObject("privilegeRevoked", get(assignment, "label"))})
		return e.NoContent(), nil
	})
}

func targetable(a *e.Object, roles []string, what string) error {
	if !contains(roles, a.Str("type")) {
		return invalidFields([][2]string{{"type", "The role " + a.Str("type") + " does not take " + what + " targets."}})
	}
	return nil
}

func touchAssignment(ctx *e.Ctx, a *e.Object) { ctx.Set(a, "lastUpdated", ctx.Now()) }

// lastTargetRefused: removing the last target would widen the role to everything (Okta's Role Targets API).
func lastTargetRefused() error {
	return invalidFields([][2]string{{"target", "The last target of a role assignment cannot be removed; unassign the role instead."}})
}

func listGroupTargets(of principalOf) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, a *e.Object) (*e.Result, error) {
		out := []any{}
		for _, id := range a.Arr("groupTargets") {
			if group := ctx.State.Obj("groups").Obj(jsString(id)); group != nil {
				out = append(out, groupJSON(ctx, group, nil))
			}
		}
		return ok(out)
	})
}

func addGroupTarget(of principalOf, param string) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, a *e.Object) (*e.Result, error) {
		group, err := requireGroup(ctx, ctx.Params[param])
		if err != nil {
			return nil, err
		}
		if err := targetable(a, groupTargetRoles, "group"); err != nil {
			return nil, err
		}
		targets := append([]any{}, a.Arr("groupTargets")...)
		if !contains(strings_(targets), group.Str("id")) {
			targets = append(targets, group.Str("id"))
		}
		ctx.Set(a, "groupTargets", targets)
		touchAssignment(ctx, a)
		return e.NoContent(), nil
	})
}

func removeGroupTarget(of principalOf, param string) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, a *e.Object) (*e.Result, error) {
		groupID := ctx.Params[param]
		targets := a.Arr("groupTargets")
		if !contains(strings_(targets), groupID) {
			return nil, notFound(groupID, "Target")
		}
		if len(targets) == 1 {
			return nil, lastTargetRefused()
		}
		kept := []any{}
		for _, id := range targets {
			if id != groupID {
				kept = append(kept, id)
			}
		}
		ctx.Set(a, "groupTargets", kept)
		touchAssignment(ctx, a)
		return e.NoContent(), nil
	})
}

// appTargetRef is an app target: a catalog app by name, or one instance of it (id non-empty).
type appTargetRef struct{ name, id string }

func appTargetOf(v any) appTargetRef {
	o, _ := v.(*e.Object)
	return appTargetRef{o.Str("name"), o.Str("id")}
}

func (t appTargetRef) object() *e.Object {
	o := e.NewObject("name", t.name)
	if t.id != "" {
		o.Set("id", t.id)
	}
	return o
}

func catalogAppJSON(ctx *e.Ctx, t appTargetRef) *e.Object {
	var app *e.Object
	if t.id != "" {
		app = ctx.State.Obj("apps").Obj(t.id)
	} else {
		for _, candidate := range values(ctx.State.Obj("apps")) {
			if get(candidate, "name") == t.name {
				app = candidate
				break
			}
		}
	}
	label := jsString(orDefault(app, "label", t.name))
	out := e.NewObject("name", t.name, "displayName", label)
	if t.id != "" {
		out.Set("id", t.id)
	}
	out.Set("status", "ACTIVE")
	modes := []any{}
	if app != nil {
		modes = append(modes, get(app, "signOnMode"))
	}
	out.Set("signOnModes", modes)
	links := e.NewObject()
	if t.id != "" {
		links.Set("self", e.NewObject("href", ctx.BaseURL+"/api/v1/apps/"+t.id))
	}
	out.Set("_links", links)
	return out
}

func listAppTargets(of principalOf) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, a *e.Object) (*e.Result, error) {
		out := []any{}
		for _, t := range a.Arr("appTargets") {
			out = append(out, catalogAppJSON(ctx, appTargetOf(t)))
		}
		return ok(out)
	})
}

// pathAppTarget is the app target a path names: a catalog app (by name) the org has, or one instance of it (by id).
func pathAppTarget(ctx *e.Ctx) (appTargetRef, error) {
	name := ctx.Params["appName"]
	if id, has := ctx.Params["appId"]; has {
		app := ctx.State.Obj("apps").Obj(id)
		if app == nil || get(app, "name") != name {
			return appTargetRef{}, notFound(id, "App")
		}
		return appTargetRef{name, id}, nil
	}
	for _, app := range values(ctx.State.Obj("apps")) {
		if get(app, "name") == name {
			return appTargetRef{name: name}, nil
		}
	}
	return appTargetRef{}, notFound(name, "CatalogApp")
}

func addAppTarget(of principalOf) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, a *e.Object) (*e.Result, error) {
		target, err := pathAppTarget(ctx)
		if err != nil {
			return nil, err
		}
		if err := targetable(a, appTargetRoles, "app"); err != nil {
			return nil, err
		}
		var targets []any
		for _, t := range a.Arr("appTargets") {
			// A whole catalog app replaces the instances of it that were targets (Okta's Role Targets API).
			if target.id == "" && appTargetOf(t).name == target.name {
				continue
			}
			targets = append(targets, t)
		}
		covered := false
		for _, t := range targets {
			ref := appTargetOf(t)
			if ref == target || (ref.name == target.name && ref.id == "") {
				covered = true
			}
		}
		if !covered {
			targets = append(targets, target.object())
		}
		ctx.Set(a, "appTargets", anyOrEmpty(targets))
		touchAssignment(ctx, a)
		return e.NoContent(), nil
	})
}

func removeAppTarget(of principalOf) e.Handler {
	return within(of, requireAssignment, func(ctx *e.Ctx, p rolePrincipal, a *e.Object) (*e.Result, error) {
		target := appTargetRef{name: ctx.Params["appName"], id: ctx.Params["appId"]}
		targets := a.Arr("appTargets")
		kept := []any{}
		found := false
		for _, t := range targets {
			if appTargetOf(t) == target {
				found = true
				continue
			}
			kept = append(kept, t)
		}
		if !found {
			missing := target.name
			if target.id != "" {
				missing = target.id
			}
			return nil, notFound(missing, "Target")
		}
		if len(targets) == 1 {
			return nil, lastTargetRefused()
		}
		ctx.Set(a, "appTargets", kept)
		touchAssignment(ctx, a)
		return e.NoContent(), nil
	})
}

func roleHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listAssignedRolesForUser":             listRoles(userPrincipal),
		"assignRoleToUser":                     assignRole(userPrincipal),
		"getUserAssignedRole":                  getRole(userPrincipal),
		"unassignRoleFromUser":                 unassignRole(userPrincipal),
		"listGroupAssignedRoles":               listRoles(groupPrincipal),
		"assignRoleToGroup":                    assignRole(groupPrincipal),
		"getGroupAssignedRole":                 getRole(groupPrincipal),
		"unassignRoleFromGroup":                unassignRole(groupPrincipal),
		"listGroupTargetsForRole":              listGroupTargets(userPrincipal),
		"assignGroupTargetToUserRole":          addGroupTarget(userPrincipal, "groupId"),
		"unassignGroupTargetFromUserAdminRole": removeGroupTarget(userPrincipal, "groupId"),
		"listApplicationTargetsForApplicationAdministratorRoleForUser":  listAppTargets(userPrincipal),
		"assignAppTargetToAdminRoleForUser":                             addAppTarget(userPrincipal),
		"unassignAppTargetFromAppAdminRoleForUser":                      removeAppTarget(userPrincipal),
		"assignAppInstanceTargetToAppAdminRoleForUser":                  addAppTarget(userPrincipal),
		"unassignAppInstanceTargetFromAdminRoleForUser":                 removeAppTarget(userPrincipal),
		"listGroupTargetsForGroupRole":                                  listGroupTargets(groupPrincipal),
		"assignGroupTargetToGroupAdminRole":                             addGroupTarget(groupPrincipal, "targetGroupId"),
		"unassignGroupTargetFromGroupAdminRole":                         removeGroupTarget(groupPrincipal, "targetGroupId"),
		"listApplicationTargetsForApplicationAdministratorRoleForGroup": listAppTargets(groupPrincipal),
		"assignAppTargetToAdminRoleForGroup":                            addAppTarget(groupPrincipal),
		"unassignAppTargetToAdminRoleForGroup":                          removeAppTarget(groupPrincipal),
		"assignAppInstanceTargetToAppAdminRoleForGroup":                 addAppTarget(groupPrincipal),
		"unassignAppInstanceTargetToAppAdminRoleForGroup":               removeAppTarget(groupPrincipal),
	}
}
