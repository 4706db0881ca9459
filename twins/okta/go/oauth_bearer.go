package main

import (
	"regexp"
	"strings"

	e "twinverse/twins/goengine"
)

// Management API calls made with an OAuth access token (twins/okta/auth.ts): only a live access token of the org
// authorization server counts. It needs an Okta API scope the operation accepts; a service client's token also
// needs an admin role of the client that covers the call, and a user's token acts as the user.

// acceptedOktaScopes are the Okta API scopes that let a token call the operation: those its security names, each
// `.read` also met by its `.manage`, and for /users/me the `.self` scopes. Nil when the document names none.
func acceptedOktaScopes(ctx *e.Ctx) []string {
	var declared []string
	for _, requirement := range ctx.Op.Security {
		declared = append(declared, strings_(requirement.Arr("oauth2"))...)
	}
	if len(declared) == 0 {
		return nil
	}
	var accepted []string
	add := func(s string) {
		if !contains(accepted, s) {
			accepted = append(accepted, s)
		}
	}
	for _, s := range declared {
		add(s)
		if strings.HasSuffix(s, ".read") {
			add(strings.TrimSuffix(s, ".read") + ".manage")
		}
	}
	if usersMePath.MatchString(ctx.Request.Path) && anyString(accepted, func(s string) bool { return strings.HasPrefix(s, "okta.users.") }) {
		if !anyString(declared, func(s string) bool { return !strings.HasSuffix(s, ".read") }) {
			accepted = append(accepted, "okta.users.read.self", "okta.users.manage.self")
		} else {
			accepted = append(accepted, "okta.users.manage.self")
		}
	}
	return accepted
}

// clientRoleGrants is what a standard admin role may do (twins/okta/model/client-roles.ts).
type clientRoleGrants struct {
	all        string
	resources  map[string]string
	operations []string
}

var (
	membershipOperations = []string{"assignUserToGroup", "unassignUserFromGroup"}
	helpDeskOperations   = []string{"resetPassword", "unlockUser", "expirePassword", "expirePasswordWithTempPassword", "resetFactors"}
)

func clientRolePermissions(roleType string) (clientRoleGrants, bool) {
	switch roleType {
	case "SUPER_ADMIN":
		return clientRoleGrants{all: "manage"}, true
	case "ORG_ADMIN":
		return clientRoleGrants{all: "manage", resources: map[string]string{"appGrants": "read", "roles": "read"}}, true
	case "APP_ADMIN":
		return clientRoleGrants{resources: map[string]string{"apps": "manage", "appGrants": "read", "users": "read", "groups": "read"}}, true
	case "USER_ADMIN":
		return clientRoleGrants{resources: map[string]string{"users": "manage", "groups": "read"}, operations: append(append([]string{}, membershipOperations...), helpDeskOperations...)}, true
	case "GROUP_MEMBERSHIP_ADMIN":
		return clientRoleGrants{resources: map[string]string{"users": "read", "groups": "read"}, operations: membershipOperations}, true
	case "HELP_DESK_ADMIN":
		return clientRoleGrants{resources: map[string]string{"users": "read", "groups": "read"}, operations: helpDeskOperations}, true
	case "READ_ONLY_ADMIN":
		return clientRoleGrants{all: "read"}, true
	case "REPORT_ADMIN":
		return clientRoleGrants{resources: map[string]string{"logs": "read"}}, true
	case "API_ACCESS_MANAGEMENT_ADMIN":
		return clientRoleGrants{resources: map[string]string{"authorizationServers": "manage", "apps": "manage", "clients": "manage"}}, true
	case "ACCESS_CERTIFICATIONS_ADMIN", "ACCESS_REQUESTS_ADMIN", "WORKFLOWS_ADMIN":
		return clientRoleGrants{}, true
	}
	return clientRoleGrants{}, false
}

var oktaScopeParts = regexp.MustCompile(`^okta\.(.+)\.(read|manage)$`)

// clientRoleAllows: one of the admin roles assigned to the client covers the call (roleTypeAllows).
func clientRoleAllows(ctx *e.Ctx, clientID string, scopes []string) bool {
	for _, assignment := range objects(ctx.State.Obj("oauth").Obj("clientRoles").Arr(clientID)) {
		if roleTypeAllows(ctx, assignment.Str("type"), scopes) {
			return true
		}
	}
	return false
}

// authenticateAccessToken authorizes a Management API call made with `Authorization: Bearer|DPoP <token>`.
func authenticateAccessToken(ctx *e.Ctx, token string, presentedAsDPoP bool) error {
	server := orgAuthServer(ctx)
	claims, record := liveAccessTokenOf(ctx, server, token)
	userID, _ := get(record, "userId").(string)
	user := ctx.State.Obj("users").Obj(userID)
	if claims == nil || (userID != "" && (user == nil || user.Str("status") != "ACTIVE")) {
		return oktaErr("E0000011")
	}
	// A DPoP-bound token is good only with a proof of its key (Okta's "DPoP for Okta management APIs").
	if problem := dpopBindingProblem(ctx, claims, token, presentedAsDPoP); problem != "" {
		return oktaErr("E0000011", causes(problem))
	}
	scopes := strings_(record.Arr("scopes"))
	needed := acceptedOktaScopes(ctx)
	allowed := anyString(scopes, func(s string) bool {
		if needed == nil {
			return strings.HasPrefix(s, "okta.")
		}
		return contains(needed, s)
	})
	if !allowed {
		scope := "okta.*"
		if len(needed) > 0 {
			scope = needed[0]
		}
		refusal := oktaErr("E0000006")
		refusal.Headers = map[string]string{"www-authenticate": `Bearer authorization_uri="` + server.endpoints + `/authorize", realm="IdpError", scope="` + scope + `", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="` + ctx.Request.Path + `"`}
		return refusal
	}
	if userID == "" && !clientRoleAllows(ctx, record.Str("clientId"), needed) {
		return oktaErr("E0000006")
	}
	if userID != "" && !userMayCall(ctx, userID) {
		return oktaErr("E0000006")
	}
	ctx.Auth = oktaAuth{kind: "accessToken", userID: userID, clientID: record.Str("clientId")}
	return nil
}
