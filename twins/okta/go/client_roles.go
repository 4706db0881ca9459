package main

import (
	e "twinverse/twins/goengine"
)

// Admin roles of OAuth clients (tag RoleAssignmentClient; twins/okta/api/client-roles.ts). What each role lets a
// service client's access token do is clientRolePermissions (oauth_bearer.go); these handlers assign them. The body is
// checked here rather than by the schema: these paths live under /oauth2, yet answer in the Management API's envelope.

// Okta's role assignment ids are 24 characters of base32's alphabet.
const roleAssignmentAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

func requireRoleClient(ctx *e.Ctx) (string, error) {
	clientID := ctx.Params["clientId"]
	if findOIDCApp(ctx.State, clientID) == nil {
		return "", notFound(clientID, "Client")
	}
	return clientID, nil
}

func clientRolesOf(state *e.Object, clientID string) []*e.Object {
	return objects(state.Obj("oauth").Obj("clientRoles").Arr(clientID))
}

func requireClientRole(ctx *e.Ctx, clientID string) (*e.Object, error) {
	id := ctx.Params["roleAssignmentId"]
	for _, a := range clientRolesOf(ctx.State, clientID) {
		if get(a, "id") == id {
			return a, nil
		}
	}
	return nil, notFound(id, "RoleAssignment")
}

func clientRoleJSON(ctx *e.Ctx, clientID string, assignment *e.Object) *e.Object {
	out := e.CloneObj(assignment)
	out.Set("_links", e.NewObject("assignee", e.NewObject("href", ctx.BaseURL+"/oauth2/v1/clients/"+clientID+"/roles")))
	return out
}

// logClientPrivilege writes Okta's app.oauth2.client.privilege.grant or .revoke for a role given or taken.
func logClientPrivilege(ctx *e.Ctx, clientID string, assignment *e.Object, grant bool) {
	label := jsString(orDefault(findOIDCApp(ctx.State, clientID), "label", clientID))
	client := e.NewObject("id", clientID, "type", "PublicClientApp", "alternateId", label, "displayName", label)
	in := logInput{eventType: "app.oauth2.client.privilege.revoke", displayMessage: "Revoke client privilege", target: []*e.Object{client}}
	debug := e.NewObject("privilegeRevoked", get(assignment, "label"))
	if grant {
		in.eventType, in.displayMessage = "app.oauth2.client.privilege.grant", "Grant client privilege"
		debug = e.NewObject("privilegeGranted", get(assignment, "label"))
	}
	logEventWith(ctx, in, nil, debug)
}

func clientRoleHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listRolesForClient": func(ctx *e.Ctx) (*e.Result, error) {
			clientID, err := requireRoleClient(ctx)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, a := range clientRolesOf(ctx.State, clientID) {
				out = append(out, clientRoleJSON(ctx, clientID, a))
			}
			return ok(out)
		},
		"assignRoleToClient": func(ctx *e.Ctx) (*e.Result, error) {
			clientID, err := requireRoleClient(ctx)
			if err != nil {
				return nil, err
			}
			name, label, err := roleToAssign(body(ctx), clientRolesOf(ctx.State, clientID), "client")
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			assignment := e.NewObject("id", ctx.IDs.Token(24, roleAssignmentAlphabet), "label", label, "type", name, "status", "ACTIVE",
				"created", now, "lastUpdated", now, "assignmentType", "CLIENT")
			roles := ctx.Ensure(ctx.State.Obj("oauth"), "clientRoles")
			ctx.Set(roles, clientID, append(append([]any{}, roles.Arr(clientID)...), assignment))
			logClientPrivilege(ctx, clientID, assignment, true)
			return ok(clientRoleJSON(ctx, clientID, assignment))
		},
		"retrieveClientRole": within(requireRoleClient, requireClientRole, func(ctx *e.Ctx, clientID string, assignment *e.Object) (*e.Result, error) {
			return ok(clientRoleJSON(ctx, clientID, assignment))
		}),
		"deleteRoleFromClient": within(requireRoleClient, requireClientRole, func(ctx *e.Ctx, clientID string, assignment *e.Object) (*e.Result, error) {
			roles := ctx.State.Obj("oauth").Obj("clientRoles")
			ctx.Set(roles, clientID, withoutItem(roles.Arr(clientID), assignment))
			logClientPrivilege(ctx, clientID, assignment, false)
			return e.NoContent(), nil
		}),
	}
}
