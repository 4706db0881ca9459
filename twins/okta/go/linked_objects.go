package main

import (
	"regexp"

	e "twinverse/twins/goengine"
)

// Linked objects (twins/okta/api/linked-objects.ts): relationship definitions between users (manager and
// subordinate, ...) and their values, an associated user pointing at its one primary user per relationship.
// State: linkedObjects maps a primary name to its definition; linkedObjectValues maps a primary name to
// associated user id -> primary user id.

// maxLinkedObjectDefinitions is Okta's limit on linked object definitions per org.
const maxLinkedObjectDefinitions = 200

var linkedObjectName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// findLinkedDefinition is the definition one of whose relationships has this name, and which side that is.
func findLinkedDefinition(state *e.Object, name string) (*e.Object, string) {
	for _, d := range values(state.Obj("linkedObjects")) {
		if d.Obj("primary").Str("name") == name {
			return d, "primary"
		}
		if d.Obj("associated").Str("name") == name {
			return d, "associated"
		}
	}
	return nil, ""
}

func requireLinkedDefinition(ctx *e.Ctx, name string) (*e.Object, string, error) {
	d, side := findLinkedDefinition(ctx.State, name)
	if d == nil {
		return nil, "", notFound(name, "LinkedObject")
	}
	return d, side, nil
}

// linkedDefinitionJSON is a definition as Okta returns it: its self link names the primary relationship.
func linkedDefinitionJSON(ctx *e.Ctx, d *e.Object) *e.Object {
	out := e.CloneObj(d)
	out.Set("_links", e.NewObject("self", e.NewObject("href", ctx.BaseURL+"/api/v1/meta/schemas/user/linkedObjects/"+d.Obj("primary").Str("name"))))
	return out
}

// linkedSide checks one side of a definition and returns it as stored.
func linkedSide(problems *[][2]string, field string, value any) *e.Object {
	sent, isObject := value.(*e.Object)
	if !isObject {
		*problems = append(*problems, [2]string{field, "The field cannot be left blank"})
		return nil
	}
	name, isString := get(sent, "name").(string)
	switch {
	case !isString || name == "":
		*problems = append(*problems, [2]string{field + ".name", "The field cannot be left blank"})
	case !linkedObjectName.MatchString(name):
		*problems = append(*problems, [2]string{field + ".name", "The name must start with a letter and contain only letters, digits and underscores."})
	}
	if title, isString := get(sent, "title").(string); !isString || jsTrim(title) == "" {
		*problems = append(*problems, [2]string{field + ".title", "The field cannot be left blank"})
	}
	if get(sent, "type") != "USER" {
		*problems = append(*problems, [2]string{field + ".type", "Must be USER."})
	}
	var description any
	if d, isString := get(sent, "description").(string); isString {
		description = d
	}
	return e.NewObject("name", get(sent, "name"), "title", get(sent, "title"), "description", description, "type", "USER")
}

// checkLinkedDefinitionBody checks a definition before anything is written: both relationships named (letters,
// digits, underscores), titled and of type USER, with names no definition uses yet and that differ from each other.
func checkLinkedDefinitionBody(state, b *e.Object) (*e.Object, error) {
	var problems [][2]string
	primary := linkedSide(&problems, "primary", get(b, "primary"))
	associated := linkedSide(&problems, "associated", get(b, "associated"))
	if len(problems) == 0 {
		if primary.Str("name") == associated.Str("name") {
			problems = append(problems, [2]string{"associated.name", "The primary and associated names must differ."})
		}
		for _, side := range [][2]string{{"primary.name", primary.Str("name")}, {"associated.name", associated.Str("name")}} {
			if d, _ := findLinkedDefinition(state, side[1]); d != nil {
				problems = append(problems, [2]string{side[0], "An object with this field already exists in the current organization"})
			}
		}
		if state.Obj("linkedObjects").Len() >= maxLinkedObjectDefinitions {
			problems = append(problems, [2]string{"primary", "An org can have at most " + itoa(maxLinkedObjectDefinitions) + " linked object definitions."})
		}
	}
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	return e.NewObject("primary", primary, "associated", associated), nil
}

// linkedUserIDs are the users linked to a user through one relationship, as Okta reads it: by the primary name,
// the user's primary user (a subordinate's manager); by the associated name, the users whose primary this user is
// (a manager's subordinates). Users deleted since are left out.
func linkedUserIDs(state *e.Object, d *e.Object, side, userID string) []string {
	links := state.Obj("linkedObjectValues").Obj(d.Obj("primary").Str("name"))
	var ids []string
	if side == "associated" {
		for _, associated := range links.Keys() {
			if links.Str(associated) == userID {
				ids = append(ids, associated)
			}
		}
	} else if primary := links.Str(userID); primary != "" {
		ids = append(ids, primary)
	}
	var out []string
	for _, id := range ids {
		if state.Obj("users").Obj(id) != nil {
			out = append(out, id)
		}
	}
	return out
}

// logLinkedDefinition writes Okta's directory.linked_object.create / .delete for a definition (Event Types
// catalog). Setting or removing one user's value writes no event: the catalog has no type for it.
func logLinkedDefinition(ctx *e.Ctx, d *e.Object, action string) {
	primary := d.Obj("primary")
	name := primary.Str("name")
	message := "Create linked object definition"
	if action == "delete" {
		message = "Delete linked object definition"
	}
	displayName := name
	if title, has := primary.Get("title"); has && title != nil {
		displayName = jsString(title)
	}
	target := e.NewObject("id", name, "type", "LinkedObject", "alternateId", name+"/"+d.Obj("associated").Str("name"), "displayName", displayName, "detailEntry", nil)
	logEvent(ctx, logInput{"directory.linked_object." + action, message, []*e.Object{target}})
}

func linkedObjectHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listLinkedObjectDefinitions": func(ctx *e.Ctx) (*e.Result, error) {
			out := []any{}
			for _, d := range values(ctx.State.Obj("linkedObjects")) {
				out = append(out, linkedDefinitionJSON(ctx, d))
			}
			return ok(out)
		},
		"createLinkedObjectDefinition": func(ctx *e.Ctx) (*e.Result, error) {
			d, err := checkLinkedDefinitionBody(ctx.State, body(ctx))
			if err != nil {
				return nil, err
			}
			ctx.Set(ctx.Ensure(ctx.State, "linkedObjects"), d.Obj("primary").Str("name"), d)
			logLinkedDefinition(ctx, d, "create")
			return &e.Result{Status: 201, Headers: e.Headers{}, Body: linkedDefinitionJSON(ctx, d)}, nil
		},
		"getLinkedObjectDefinition": func(ctx *e.Ctx) (*e.Result, error) {
			d, _, err := requireLinkedDefinition(ctx, ctx.Params["linkedObjectName"])
			if err != nil {
				return nil, err
			}
			return ok(linkedDefinitionJSON(ctx, d))
		},
		"deleteLinkedObjectDefinition": func(ctx *e.Ctx) (*e.Result, error) {
			d, _, err := requireLinkedDefinition(ctx, ctx.Params["linkedObjectName"])
			if err != nil {
				return nil, err
			}
			name := d.Obj("primary").Str("name")
			ctx.Delete(ctx.State.Obj("linkedObjects"), name)
			if links := ctx.State.Obj("linkedObjectValues"); links != nil {
				ctx.Delete(links, name)
			}
			logLinkedDefinition(ctx, d, "delete")
			return e.NoContent(), nil
		},
		"listLinkedObjectsForUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["userId"])
			if err != nil {
				return nil, err
			}
			d, side, err := requireLinkedDefinition(ctx, ctx.Params["relationshipName"])
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, id := range linkedUserIDs(ctx.State, d, side, user.Str("id")) {
				out = append(out, e.NewObject("_links", e.NewObject("self", e.NewObject("href", ctx.BaseURL+"/api/v1/users/"+id))))
			}
			return ok(out)
		},
		"deleteLinkedObjectForUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["userId"])
			if err != nil {
				return nil, err
			}
			d, _, err := requireLinkedDefinition(ctx, ctx.Params["relationshipName"])
			if err != nil {
				return nil, err
			}
			if links := ctx.State.Obj("linkedObjectValues").Obj(d.Obj("primary").Str("name")); links != nil {
				ctx.Delete(links, user.Str("id"))
			}
			return e.NoContent(), nil
		},
		"setLinkedObjectForUser": func(ctx *e.Ctx) (*e.Result, error) {
			associated, err := findUser(ctx, ctx.Params["associatedUserId"])
			if err != nil {
				return nil, err
			}
			primary, err := findUser(ctx, ctx.Params["primaryUserId"])
			if err != nil {
				return nil, err
			}
			d, _, err := requireLinkedDefinition(ctx, ctx.Params["primaryRelationshipName"])
			if err != nil {
				return nil, err
			}
			links := ctx.Ensure(ctx.Ensure(ctx.State, "linkedObjectValues"), d.Obj("primary").Str("name"))
			ctx.Set(links, associated.Str("id"), primary.Str("id"))
			return e.NoContent(), nil
		},
	}
}
