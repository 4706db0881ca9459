package main

import (
	"strings"

	e "twinverse/twins/goengine"
)

// Whether a user's admin roles let it make a Management API call (twins/okta/auth.ts userMayCall and
// model/roles.ts userRolesAllow): Okta checks an API token's or a user's access token's admin permissions on every
// call, and a role limited to targets covers only the users of its groups, those groups, and its apps.

// roleTypeAllows: whether a standard role lets its holder call the operation. The resource and access come from the
// first Okta API scope the operation accepts, or else from the method.
func roleTypeAllows(ctx *e.Ctx, roleType string, scopes []string) bool {
	role, known := clientRolePermissions(roleType)
	if !known {
		return false
	}
	if contains(role.operations, ctx.Op.ID) {
		return true
	}
	resource, access, specific := "", "manage", false
	if m := ctx.Op.Method; m == "GET" || m == "HEAD" {
		access = "read"
	}
	for _, s := range scopes {
		if match := oktaScopeParts.FindStringSubmatch(s); match != nil {
			resource, access, specific = match[1], match[2], true
			break
		}
	}
	granted := role.all
	if r, has := role.resources[resource]; specific && has {
		granted = r
	}
	return granted == "manage" || (granted == "read" && access == "read")
}

// withinTargets: whether the resource an operation acts on lies within an assignment's targets (none: everything).
func withinTargets(ctx *e.Ctx, assignment *e.Object) bool {
	groups := strings_(assignment.Arr("groupTargets"))
	apps := objects(assignment.Arr("appTargets"))
	if len(groups) == 0 && len(apps) == 0 {
		return true
	}
	path := ctx.Op.Path
	if len(groups) > 0 && strings.HasPrefix(path, "/api/v1/users/") {
		userID, has := ctx.Params["userId"]
		if !has {
			userID, has = ctx.Params["id"]
		}
		if !has {
			return true
		}
		for _, g := range groups {
			if isMember(ctx.State, g, userID) {
				return true
			}
		}
		return false
	}
	if len(groups) > 0 && strings.HasPrefix(path, "/api/v1/groups/{groupId}") {
		return contains(groups, ctx.Params["groupId"])
	}
	if len(apps) > 0 && strings.HasPrefix(path, "/api/v1/apps/{appId}") {
		app := ctx.State.Obj("apps").Obj(ctx.Params["appId"])
		if app == nil {
			return true
		}
		for _, t := range apps {
			if (t.Has("id") && t.Str("id") == app.Str("id")) || (!t.Has("id") && get(t, "name") == get(app, "name")) {
				return true
			}
		}
		return false
	}
	return true
}

// userRolesAllow: whether a user's admin roles (its own, then its groups') let it call the operation.
func userRolesAllow(ctx *e.Ctx, userID string) bool {
	own := objects(ctx.State.Obj("userRoles").Arr(userID))
	// A super admin may do anything: the seeded admin's token is answered without reading the operation.
	for _, a := range own {
		if a.Str("type") == "SUPER_ADMIN" {
			return true
		}
	}
	scopes := acceptedOktaScopes(ctx)
	allows := func(a *e.Object) bool { return roleTypeAllows(ctx, a.Str("type"), scopes) && withinTargets(ctx, a) }
	for _, a := range own {
		if allows(a) {
			return true
		}
	}
	groupRoles := ctx.State.Obj("groupRoles")
	for _, gid := range groupRoles.Keys() {
		for _, a := range objects(groupRoles.Arr(gid)) {
			if allows(a) && isMember(ctx.State, gid, userID) {
				return true
			}
		}
	}
	return false
}

// userMayCall: a user's admin roles decide (Okta's 403 E0000006 otherwise); a user's own record is self-service:
// anything under /users/me, and reading itself by id.
func userMayCall(ctx *e.Ctx, userID string) bool {
	if usersMePath.MatchString(ctx.Request.Path) || userRolesAllow(ctx, userID) {
		return true
	}
	if strings.HasPrefix(ctx.Op.Path, "/api/v1/users/") && ctx.Op.Method == "GET" {
		self, has := ctx.Params["userId"]
		if !has {
			self = ctx.Params["id"]
		}
		return self == userID
	}
	return false
}
