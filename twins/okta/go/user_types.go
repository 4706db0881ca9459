package main

import (
	"regexp"

	e "twinverse/twins/goengine"
)

// User types (twins/okta/api/user-types.ts): each type has a profile schema of its own.

const maxUserTypes = 10

var typeNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// actorID is who made a change, as createdBy and lastUpdatedBy name it: the user behind an API token or a user's
// access token, or a service client acting on its own (twins/okta/model/actor.ts).
func actorID(ctx *e.Ctx) string {
	auth, _ := ctx.Auth.(oktaAuth)
	if auth.kind == "accessToken" && auth.userID == "" {
		return auth.clientID
	}
	return auth.userID
}

func userTypeJSON(ctx *e.Ctx, t *e.Object) *e.Object {
	out := without(t, "schemaId")
	out.Set("_links", e.NewObject(
		"schema", e.NewObject("rel", "schema", "href", ctx.BaseURL+"/api/v1/meta/schemas/user/"+t.Str("schemaId"), "method", "GET"),
		"self", e.NewObject("rel", "self", "href", ctx.BaseURL+"/api/v1/meta/types/user/"+t.Str("id"), "method", "GET"),
	))
	return out
}

// checkUserTypeBody checks a body before anything is written: a name that starts with a letter, unique and never
// changed after creation, and a displayName.
func checkUserTypeBody(state, b *e.Object, creating bool, existing *e.Object) (string, any, any, error) {
	var problems [][2]string
	name, isStr := get(b, "name").(string)
	switch {
	case !isStr || jsTrim(name) == "":
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	case existing != nil && name != existing.Str("name"):
		problems = append(problems, [2]string{"name", "The name of a user type cannot be changed."})
	case creating && !typeNameRE.MatchString(name):
		problems = append(problems, [2]string{"name", "The name must start with a letter and contain only letters, digits and underscores."})
	case creating:
		for _, t := range values(state.Obj("userTypes")) {
			if jsLower(t.Str("name")) == jsLower(name) {
				problems = append(problems, [2]string{"name", "An object with this field already exists in the current organization"})
				break
			}
		}
	}
	if d, isStr := get(b, "displayName").(string); !isStr || jsTrim(d) == "" {
		problems = append(problems, [2]string{"displayName", "The field cannot be left blank"})
	}
	description, has := b.Get("description")
	if _, isStr := description.(string); has && description != nil && !isStr {
		problems = append(problems, [2]string{"description", "Must be a string."})
	}
	if len(problems) > 0 {
		return "", nil, nil, invalidFields(problems)
	}
	if description == nil {
		description = ""
	}
	return name, get(b, "displayName"), description, nil
}

func saveUserType(ctx *e.Ctx, t *e.Object, displayName, description any) (*e.Result, error) {
	ctx.Set(t, "displayName", displayName)
	ctx.Set(t, "description", description)
	ctx.Set(t, "lastUpdated", ctx.Now())
	ctx.Set(t, "lastUpdatedBy", actorID(ctx))
	return ok(userTypeJSON(ctx, t))
}

func userTypeHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listUserTypes": func(ctx *e.Ctx) (*e.Result, error) {
			out := []any{}
			for _, t := range values(ctx.State.Obj("userTypes")) {
				out = append(out, userTypeJSON(ctx, t))
			}
			return ok(out)
		},
		"getUserType": func(ctx *e.Ctx) (*e.Result, error) {
			t, err := requireUserType(ctx.State, ctx.Params["typeId"])
			if err != nil {
				return nil, err
			}
			return ok(userTypeJSON(ctx, t))
		},
		"createUserType": func(ctx *e.Ctx) (*e.Result, error) {
			name, displayName, description, err := checkUserTypeBody(ctx.State, body(ctx), true, nil)
			if err != nil {
				return nil, err
			}
			if ctx.State.Obj("userTypes").Len() >= maxUserTypes {
				return nil, invalidFields([][2]string{{"name", "An org can have at most 10 user types."}})
			}
			now := ctx.Now()
			actor := actorID(ctx)
			schemaID := oktaID(ctx, "osc")
			ctx.Set(ctx.State.Obj("userSchemas"), schemaID, e.NewObject("id", schemaID, "title", displayName, "created", now, "lastUpdated", now, "base", e.NewObject(), "custom", e.NewObject()))
			t := e.NewObject("id", oktaID(ctx, "oty"), "name", name, "displayName", displayName, "description", description, "createdBy", actor,
				"lastUpdatedBy", actor, "created", now, "lastUpdated", now, "default", false, "schemaId", schemaID)
			ctx.Set(ctx.State.Obj("userTypes"), t.Str("id"), t)
			return ok(userTypeJSON(ctx, t))
		},
		"updateUserType": func(ctx *e.Ctx) (*e.Result, error) {
			t, err := requireUserType(ctx.State, ctx.Params["typeId"])
			if err != nil {
				return nil, err
			}
			merged := e.NewObject("name", get(t, "name"), "displayName", get(t, "displayName"), "description", get(t, "description"))
			merge(merged, body(ctx))
			_, displayName, description, err := checkUserTypeBody(ctx.State, merged, false, t)
			if err != nil {
				return nil, err
			}
			return saveUserType(ctx, t, displayName, description)
		},
		"replaceUserType": func(ctx *e.Ctx) (*e.Result, error) {
			t, err := requireUserType(ctx.State, ctx.Params["typeId"])
			if err != nil {
				return nil, err
			}
			_, displayName, description, err := checkUserTypeBody(ctx.State, body(ctx), false, t)
			if err != nil {
				return nil, err
			}
			return saveUserType(ctx, t, displayName, description)
		},
		"deleteUserType": func(ctx *e.Ctx) (*e.Result, error) {
			t, err := requireUserType(ctx.State, ctx.Params["typeId"])
			if err != nil {
				return nil, err
			}
			if get(t, "default") == true {
				return nil, oktaErr("E0000001", detail("The default user type cannot be deleted."), causes("The default user type cannot be deleted."))
			}
			for _, u := range values(ctx.State.Obj("users")) {
				if u.Obj("type").Str("id") == t.Str("id") {
					return nil, oktaErr("E0000001", detail("A user type that users have cannot be deleted."), causes("A user type that users have cannot be deleted."))
				}
			}
			ctx.Delete(ctx.State.Obj("userSchemas"), t.Str("schemaId"))
			ctx.Delete(ctx.State.Obj("userTypes"), t.Str("id"))
			return e.NoContent(), nil
		},
	}
}
