package main

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	e "twinverse/twins/goengine"
)

const (
	maxUserPage    = 200
	qDefaultLimit  = 10
	maxGroupIDs    = 20
	everyoneGroup  = "00geveryonetwin00001"
	expireActivate = "Could not create user. To create a user and expire their password immediately, `activate` must be true."
	expirePassword = "Could not create user. To create a user and expire their password immediately, a password must be specified."
)

// loginIndex is users by login key, built once per state and kept true by putUser and dropUser, so a create
// does not scan every user.
func loginIndex(ctx *e.Ctx) map[string]string {
	return ctx.Memo("usersByLogin", func() any {
		index := map[string]string{}
		users := ctx.State.Obj("users")
		for _, id := range users.Keys() {
			index[loginKey(get(users.Obj(id).Obj("profile"), "login"))] = id
		}
		return index
	}).(map[string]string)
}

func userByLogin(ctx *e.Ctx, login any) *e.Object {
	key := loginKey(login)
	id, found := loginIndex(ctx)[key]
	if !found {
		return nil
	}
	user := ctx.State.Obj("users").Obj(id)
	if user == nil || loginKey(get(user.Obj("profile"), "login")) != key {
		return nil
	}
	return user
}

func userByIDOrLogin(ctx *e.Ctx, ref string) *e.Object {
	if u := ctx.State.Obj("users").Obj(ref); u != nil {
		return u
	}
	return userByLogin(ctx, ref)
}

// putUser stores a new or edited user; every write of a user goes through here to keep the login index true.
func putUser(ctx *e.Ctx, user *e.Object) {
	index := loginIndex(ctx)
	users := ctx.State.Obj("users")
	id := user.Str("id")
	if previous := users.Obj(id); previous != nil {
		if k := loginKey(get(previous.Obj("profile"), "login")); index[k] == id {
			delete(index, k)
		}
	}
	ctx.Set(users, id, user)
	index[loginKey(get(user.Obj("profile"), "login"))] = id
}

func dropUser(ctx *e.Ctx, user *e.Object) {
	index := loginIndex(ctx)
	id := user.Str("id")
	if k := loginKey(get(user.Obj("profile"), "login")); index[k] == id {
		delete(index, k)
	}
	ctx.Delete(ctx.State.Obj("users"), id)
}

func requireUser(ctx *e.Ctx, ref string) (*e.Object, error) {
	if u := userByIDOrLogin(ctx, ref); u != nil {
		return u, nil
	}
	return nil, notFound(ref, "User")
}

func shortname(user *e.Object) string {
	login := jsLower(jsStringOr(get(user.Obj("profile"), "login"), ""))
	if i := strings.Index(login, "@"); i >= 0 {
		return login[:i]
	}
	return login
}

func jsStringOr(v any, fallback string) string {
	if v == nil {
		return fallback
	}
	return jsString(v)
}

// findUser resolves {id} as Okta does: me, an id, a login (any case) or an unambiguous login shortname.
func findUser(ctx *e.Ctx, ref string) (*e.Object, error) {
	users := ctx.State.Obj("users")
	if ref == "me" {
		if auth, isAuth := ctx.Auth.(oktaAuth); isAuth && auth.userID != "" {
			if self := users.Obj(auth.userID); self != nil {
				return self, nil
			}
		}
		return nil, notFound(ref, "User")
	}
	if u := userByIDOrLogin(ctx, ref); u != nil {
		return u, nil
	}
	wanted := jsLower(ref)
	var found []*e.Object
	for _, u := range values(users) {
		if shortname(u) == wanted {
			found = append(found, u)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return nil, notFound(ref, "User")
}

func hasFactors(ctx *e.Ctx, userID string) bool {
	factors := ctx.State.Obj("factors")
	for _, id := range factors.Keys() {
		if f := factors.Obj(id); f != nil && f.Str("userId") == userID {
			return true
		}
	}
	return false
}

// userLink is a lifecycle or credentials link of a user: its name and the path under the user's own.
type userLink struct{ name, path string }

// userLinkList is which lifecycle and credentials links a user has, by status (Okta's users API, "Links object").
func userLinkList(ctx *e.Ctx, user *e.Object, chosen *[8]userLink) []userLink {
	n := 0
	add := func(name, path string, when bool) {
		if when {
			chosen[n] = userLink{name, path}
			n++
		}
	}
	hasPassword := user.Obj("credentials").Has("password")
	status := user.Str("status")
	switch status {
	case "STAGED":
		add("activate", "/lifecycle/activate", true)
		add("deactivate", "/lifecycle/deactivate", true)
	case "PROVISIONED":
		add("reactivate", "/lifecycle/reactivate", true)
		add("resetPassword", "/lifecycle/reset_password", true)
		add("deactivate", "/lifecycle/deactivate", true)
	case "ACTIVE", "PASSWORD_EXPIRED":
		add("suspend", "/lifecycle/suspend", status == "ACTIVE")
		add("resetPassword", "/lifecycle/reset_password", true)
		add("expirePassword", "/lifecycle/expire_password", hasPassword)
		add("forgotPassword", "/credentials/forgot_password", hasPassword)
		add("changePassword", "/credentials/change_password", hasPassword)
		add("changeRecoveryQuestion", "/credentials/change_recovery_question", hasPassword && status == "ACTIVE")
		add("resetFactors", "/lifecycle/reset_factors", hasFactors(ctx, user.Str("id")))
		add("deactivate", "/lifecycle/deactivate", true)
	case "RECOVERY":
		add("reactivate", "/lifecycle/reactivate", true)
		add("resetPassword", "/lifecycle/reset_password", true)
		add("changePassword", "/credentials/change_password", hasPassword)
		add("deactivate", "/lifecycle/deactivate", true)
	case "LOCKED_OUT":
		add("unlock", "/lifecycle/unlock", true)
		add("resetPassword", "/lifecycle/reset_password", true)
		add("expirePassword", "/lifecycle/expire_password", hasPassword)
		add("deactivate", "/lifecycle/deactivate", true)
	case "SUSPENDED":
		add("unsuspend", "/lifecycle/unsuspend", true)
		add("deactivate", "/lifecycle/deactivate", true)
	case "DEPROVISIONED":
		add("activate", "/lifecycle/activate", true)
	}
	return chosen[:n]
}

// userLinks are the link relations of a single user, as an object (userLinksJSON writes the same as text).
func userLinks(ctx *e.Ctx, user *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/users/" + user.Str("id")
	typeID := user.Obj("type").Str("id")
	links := e.NewObject(
		"self", e.NewObject("href", self),
		"schema", e.NewObject("href", ctx.BaseURL+"/api/v1/meta/schemas/user/"+schemaForType(ctx.State, typeID).Str("id")),
		"type", e.NewObject("href", ctx.BaseURL+"/api/v1/meta/types/user/"+typeID),
	)
	var chosen [8]userLink
	for _, l := range userLinkList(ctx, user, &chosen) {
		links.Set(l.name, e.NewObject("href", self+l.path, "method", "POST"))
	}
	return links
}

// userLinksJSON is userLinks written as JSON text: an answer's links are read by nobody before they are sent, and
// one text costs much less to make than the dozen objects it stands for.
func userLinksJSON(ctx *e.Ctx, user *e.Object) e.RawJSON {
	id := user.Str("id")
	typeID := user.Obj("type").Str("id")
	schemaID := schemaForType(ctx.State, typeID).Str("id")
	var chosen [8]userLink
	list := userLinkList(ctx, user, &chosen)
	base := ctx.BaseURL
	var text [2048]byte
	b := text[:0]
	if !utf8.ValidString(base) || !utf8.ValidString(id) || !utf8.ValidString(schemaID) || !utf8.ValidString(typeID) {
		// Text that is not UTF-8 is written as one string per link (AppendJSONString), as the objects would be.
		b = append(b, `{"self":{"href":`...)
		b = append(e.AppendJSONString(b, base, "/api/v1/users/", id), `},"schema":{"href":`...)
		b = append(e.AppendJSONString(b, base, "/api/v1/meta/schemas/user/", schemaID), `},"type":{"href":`...)
		b = append(e.AppendJSONString(b, base, "/api/v1/meta/types/user/", typeID), '}')
		for _, l := range list {
			b = append(append(append(b, `,"`...), l.name...), `":{"href":`...)
			b = append(e.AppendJSONString(b, base, "/api/v1/users/", id, l.path), `,"method":"POST"}`...)
		}
		return e.RawJSON(append(b, '}'))
	}
	// Valid text: each part is written once and the user's own href is copied into every link. The paths and the
	// names are Okta's, plain ASCII that JSON writes as it is.
	b = append(b, `{"self":{"href":"`...)
	selfStart := len(b)
	b = e.AppendJSONText(b, base)
	baseEnd := len(b)
	b = e.AppendJSONText(append(b, "/api/v1/users/"...), id)
	selfEnd := len(b)
	b = append(b, `"},"schema":{"href":"`...)
	b = append(b, b[selfStart:baseEnd]...)
	b = e.AppendJSONText(append(b, "/api/v1/meta/schemas/user/"...), schemaID)
	b = append(b, `"},"type":{"href":"`...)
	b = append(b, b[selfStart:baseEnd]...)
	b = e.AppendJSONText(append(b, "/api/v1/meta/types/user/"...), typeID)
	b = append(b, `"}`...)
	for _, l := range list {
		b = append(append(append(b, `,"`...), l.name...), `":{"href":"`...)
		b = append(b, b[selfStart:selfEnd]...)
		b = append(append(b, l.path...), `","method":"POST"}`...)
	}
	return e.RawJSON(append(b, '}'))
}

// userFields are the top-level properties of a user as Okta sends it, before type, profile, credentials and links.
var userFields = [...]string{"id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated", "passwordChanged"}

// userJSON is a user as Okta sends it, without the twin-only secrets; in a collection the links shrink to self.
func userJSON(ctx *e.Ctx, user *e.Object, full bool) *e.Object {
	out := e.NewObjectSize(len(userFields) + 5)
	for _, k := range userFields {
		out.Set(k, get(user, k))
	}
	if t := get(user, "transitioningToStatus"); truthy(t) {
		out.Set("transitioningToStatus", t)
	}
	out.Set("type", e.NewObject("id", get(user.Obj("type"), "id")))
	out.Set("profile", shallow(user.Obj("profile")))
	out.Set("credentials", e.Clone(get(user, "credentials")))
	if full {
		out.Set("_links", userLinksJSON(ctx, user))
	} else {
		out.Set("_links", e.NewObject("self", e.NewObject("href", ctx.BaseURL+"/api/v1/users/"+user.Str("id"))))
	}
	return out
}

func shallow(o *e.Object) *e.Object { return e.CopyObject(o) }

var oktaResponseRE = regexp.MustCompile(`okta-response=([^;]*)`)

// trimmedUserJSON leaves out what a `Content-Type: application/json; okta-response=...` header asks to omit.
func trimmedUserJSON(ctx *e.Ctx, user *e.Object, full bool) *e.Object {
	out := userJSON(ctx, user, full)
	contentType := ctx.Headers["content-type"]
	if !strings.Contains(contentType, "okta-response=") {
		return out
	}
	m := oktaResponseRE.FindStringSubmatch(contentType)
	if m == nil {
		return out
	}
	asked := map[string]bool{}
	for _, v := range strings.Split(strings.ReplaceAll(m[1], `"`, ""), ",") {
		asked[strings.TrimSpace(v)] = true
	}
	if asked["omitCredentials"] {
		out.Delete("credentials")
	}
	if asked["omitTransitioningToStatus"] {
		out.Delete("transitioningToStatus")
	}
	if asked["omitCredentialsLinks"] {
		// Links to leave out: the object form, which can lose some.
		links := out.Obj("_links")
		if _, written := get(out, "_links").(e.RawJSON); written {
			links = userLinks(ctx, user)
			out.Set("_links", links)
		}
		for _, name := range []string{"changePassword", "changeRecoveryQuestion", "forgotPassword", "resetPassword", "resetFactors", "unlock"} {
			links.Delete(name)
		}
	}
	return out
}

// setStatus moves a user to a status; statusChanged moves only when the status does. activated is when the user
// became ACTIVE (Okta's User.activated), so a STAGED or PROVISIONED user has none until then.
func setStatus(ctx *e.Ctx, user *e.Object, status string) {
	now := ctx.Now()
	if user.Str("status") != status {
		ctx.Set(user, "statusChanged", now)
	}
	if status == "ACTIVE" && get(user, "activated") == nil {
		ctx.Set(user, "activated", now)
	}
	ctx.Set(user, "status", status)
	ctx.Set(user, "transitioningToStatus", nil)
	ctx.Set(user, "lastUpdated", now)
}

var passwordless = map[string]bool{"FEDERATION": true, "SOCIAL": true}

func canSignInWithoutActivationToken(user *e.Object) bool {
	creds := user.Obj("credentials")
	return creds.Has("password") || passwordless[creds.Obj("provider").Str("type")]
}

func oktaID(ctx *e.Ctx, prefix string) string { return prefix + ctx.IDs.Token(17, "") }

// Memberships.

func isMember(state *e.Object, groupID, userID string) bool {
	for _, id := range state.Obj("groupMembers").Arr(groupID) {
		if id == userID {
			return true
		}
	}
	return false
}

func groupMembers(state *e.Object, groupID string) []*e.Object {
	users := state.Obj("users")
	var out []*e.Object
	for _, id := range state.Obj("groupMembers").Arr(groupID) {
		if s, isStr := id.(string); isStr {
			if u := users.Obj(s); u != nil {
				out = append(out, u)
			}
		}
	}
	return out
}

// addMember adds a user to a group once; lastMembershipUpdated moves only when the members change.
func addMember(ctx *e.Ctx, groupID, userID string, newUser bool) {
	group := ctx.State.Obj("groups").Obj(groupID)
	if group == nil {
		return
	}
	members := ctx.State.Obj("groupMembers")
	current, has := members.Get(groupID)
	list, _ := current.([]any)
	if !has {
		list = []any{}
	}
	// A user created a moment ago is in no group yet: no need to scan large groups such as Everyone.
	if !newUser && isMember(ctx.State, groupID, userID) {
		return
	}
	ctx.Set(members, groupID, append(list, userID))
	ctx.Set(group, "lastMembershipUpdated", ctx.Now())
	logMembership(ctx, "group.user_membership.add", "Add user to group membership", groupID, userID)
}

func removeMember(ctx *e.Ctx, groupID, userID string) {
	members := ctx.State.Obj("groupMembers")
	list := members.Arr(groupID)
	index := -1
	for i, id := range list {
		if id == userID {
			index = i
			break
		}
	}
	if index < 0 {
		return
	}
	next := make([]any, 0, len(list)-1)
	next = append(next, list[:index]...)
	next = append(next, list[index+1:]...)
	ctx.Set(members, groupID, next)
	if group := ctx.State.Obj("groups").Obj(groupID); group != nil {
		ctx.Set(group, "lastMembershipUpdated", ctx.Now())
	}
	logMembership(ctx, "group.user_membership.remove", "Remove user from group membership", groupID, userID)
}

// logMembership: Okta logs membership changes of the groups an org manages; Everyone follows the users silently.
func logMembership(ctx *e.Ctx, eventType, message, groupID, userID string) {
	group := ctx.State.Obj("groups").Obj(groupID)
	user := ctx.State.Obj("users").Obj(userID)
	if group == nil || user == nil || group.Str("type") == "BUILT_IN" {
		return
	}
	logEvent(ctx, logInput{eventType, message, []*e.Object{userTarget(user), groupTarget(group)}})
}

func editableUser(ctx *e.Ctx) (*e.Object, error) {
	user, err := findUser(ctx, ctx.Params["id"])
	if err != nil {
		return nil, err
	}
	if user.Str("status") == "DEPROVISIONED" {
		return nil, oktaErr("E0000038")
	}
	return user, nil
}

// saveUserEdit saves an edit of profile, type and credentials, checked whole on a copy first.
func saveUserEdit(ctx *e.Ctx, user *e.Object, profile *e.Object, credentials *e.Object, typeID string) (*e.Object, error) {
	if err := checkProfile(ctx, profile, typeID, user.Str("id"), "userProfile"); err != nil {
		return nil, err
	}
	draft := e.CloneObj(user)
	draft.Set("profile", profile)
	draft.Set("type", e.NewObject("id", typeID))
	if err := applyCredentials(ctx, draft, credentials); err != nil {
		return nil, err
	}
	draft.Set("lastUpdated", ctx.Now())
	putUser(ctx, draft)
	applyGroupRules(ctx, draft)
	return draft, nil
}

func userHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listUsers":  listUsers,
		"createUser": createUser,
		"getUser": func(ctx *e.Ctx) (*e.Result, error) {
			u, err := findUser(ctx, ctx.Params["id"])
			if err != nil {
				return nil, err
			}
			return ok(trimmedUserJSON(ctx, u, true))
		},
		"updateUser":     updateUser,
		"replaceUser":    replaceUser,
		"deleteUser":     deleteUser,
		"listUserGroups": listUserGroups,
	}
}

func listUsers(ctx *e.Ctx) (*e.Result, error) {
	limitF, _ := qNumber(ctx, "limit")
	limit := int(min(limitF, maxUserPage))
	after, hasAfter := qString(ctx, "after")
	var projection *projectionSpec
	if fields, has := qString(ctx, "fields"); has {
		p, err := parseFields(fields)
		if err != nil {
			return nil, err
		}
		projection = p
	}
	respond := func(page e.Page) (*e.Result, error) {
		out := make([]any, len(page.Items))
		for i, u := range page.Items {
			j := trimmedUserJSON(ctx, u, false)
			if projection != nil {
				out[i] = project(j, projection)
			} else {
				out[i] = j
			}
		}
		return okLinks(out, page.Links)
	}
	users := values(ctx.State.Obj("users"))
	if search, has := qString(ctx, "search"); has {
		matches, err := compileFilter(search, userSearchRules())
		if err != nil {
			return nil, err
		}
		if sortBy, hasSort := qString(ctx, "sortBy"); hasSort && sortBy != "" {
			var found []*e.Object
			for _, u := range users {
				if matches(u) {
					found = append(found, u)
				}
			}
			order, _ := qString(ctx, "sortOrder")
			return respond(e.CursorPage(ctx, sortUsers(found, sortBy, order == "desc"), limit, after, hasAfter, nil))
		}
		return respond(e.CursorPage(ctx, users, limit, after, hasAfter, matches))
	}
	if filter, has := qString(ctx, "filter"); has {
		matches, err := compileFilter(filter, userFilterRules())
		if err != nil {
			return nil, err
		}
		return respond(e.CursorPage(ctx, users, limit, after, hasAfter, matches))
	}
	listed := func(u *e.Object) bool { return u.Str("status") != "DEPROVISIONED" }
	if q, has := qString(ctx, "q"); has {
		qLimit := qDefaultLimit
		if ctx.Search.Has("limit") {
			qLimit = limit
		}
		prefix := jsLower(q)
		var found []*e.Object
		for _, u := range users {
			if len(found) == qLimit {
				break
			}
			if !listed(u) {
				continue
			}
			for _, p := range []string{"firstName", "lastName", "email"} {
				if strings.HasPrefix(jsLower(jsStringOr(get(u.Obj("profile"), p), "")), prefix) {
					found = append(found, u)
					break
				}
			}
		}
		return respond(e.CursorPage(ctx, found, qLimit, "", false, nil))
	}
	return respond(e.CursorPage(ctx, users, limit, after, hasAfter, listed))
}

func createUser(ctx *e.Ctx) (*e.Result, error) {
	b := body(ctx)
	credentials := b.Obj("credentials")
	if credentials == nil {
		credentials = e.NewObject()
	}
	activate := qBool(ctx, "activate")
	providerType := ""
	if qBool(ctx, "provider") {
		providerType, _ = get(credentials.Obj("provider"), "type").(string)
	}
	isPasswordless := providerType != "" && passwordless[providerType]
	password := credentials.Obj("password")
	hasPassword := !isPasswordless && password != nil && (password.Has("value") || truthy(get(password, "hash")) || truthy(get(password, "hook")))
	if nextLogin, _ := qString(ctx, "nextLogin"); nextLogin == "changePassword" {
		if !activate {
			return nil, oktaErr("E0000125", summary(expireActivate), causes(expireActivate))
		}
		if !hasPassword {
			return nil, oktaErr("E0000124", summary(expirePassword), causes(expirePassword))
		}
	}
	groupIDs := b.Arr("groupIds")
	if len(groupIDs) > maxGroupIDs {
		return nil, oktaErr("E0000093", causes("The number of group targets is too large"))
	}
	typeID, profile, err := typedProfile(ctx, b, defaultUserType(ctx.State).Str("id"))
	if err != nil {
		return nil, err
	}
	if err := checkProfile(ctx, profile, typeID, "", "newUser"); err != nil {
		return nil, err
	}
	for _, g := range groupIDs {
		id, _ := g.(string)
		if ctx.State.Obj("groups").Obj(id) == nil {
			return nil, notFound(id, "UserGroup")
		}
	}
	now := ctx.Now()
	provider := e.NewObject("type", "OKTA", "name", "OKTA")
	if providerType != "" {
		name := get(credentials.Obj("provider"), "name")
		if name == nil {
			name = providerType
		}
		provider = e.NewObject("type", providerType, "name", name)
	}
	user := e.NewObject(
		"id", oktaID(ctx, "00u"), "status", "STAGED", "created", now, "activated", nil, "statusChanged", nil, "lastLogin", nil,
		"lastUpdated", now, "passwordChanged", nil, "transitioningToStatus", nil, "type", e.NewObject("id", typeID),
		"profile", profile, "credentials", e.NewObject("provider", provider), "password", nil, "recoveryQuestion", nil,
	)
	if !isPasswordless {
		if err := applyCredentials(ctx, user, credentials); err != nil {
			return nil, err
		}
	}
	if activate {
		status := "PROVISIONED"
		if canSignInWithoutActivationToken(user) {
			status = "ACTIVE"
			if nextLogin, _ := qString(ctx, "nextLogin"); nextLogin == "changePassword" {
				status = "PASSWORD_EXPIRED"
			}
		}
		user.Set("status", status)
		// A PROVISIONED user has not become ACTIVE yet, so Okta shows no activated for it (User.activated).
		if status != "PROVISIONED" {
			user.Set("activated", now)
		}
		user.Set("statusChanged", now)
	}
	putUser(ctx, user)
	logUserLifecycle(ctx, user, "create")
	if activate {
		logUserLifecycle(ctx, user, "activate")
	}
	seen := map[string]bool{}
	for _, g := range append([]any{everyoneGroup}, groupIDs...) {
		id, _ := g.(string)
		if seen[id] {
			continue
		}
		seen[id] = true
		addMember(ctx, id, user.Str("id"), true)
	}
	applyGroupRules(ctx, user)
	return ok(userJSON(ctx, user, true))
}

func updateUser(ctx *e.Ctx) (*e.Result, error) {
	user, err := editableUser(ctx)
	if err != nil {
		return nil, err
	}
	b := body(ctx)
	if t := b.Obj("type"); t != nil && t.Has("id") && jsString(get(t, "id")) != user.Obj("type").Str("id") {
		return nil, validationFailed("type: The user type can only be changed with a full replacement (PUT)")
	}
	profile := user.Obj("profile")
	if sent := b.Obj("profile"); truthy(get(b, "profile")) && sent != nil {
		profile = shallow(profile)
		for _, k := range sent.Keys() {
			profile.Set(k, get(sent, k))
		}
	} else {
		profile = e.CloneObj(profile)
	}
	saved, err := saveUserEdit(ctx, user, profile, b.Obj("credentials"), user.Obj("type").Str("id"))
	if err != nil {
		return nil, err
	}
	logUserEdit(ctx, saved, b)
	return ok(userJSON(ctx, saved, true))
}

// typedProfile is the user type a create or replace body names (typeID without one) and its profile, filled in with
// the type's defaults.
func typedProfile(ctx *e.Ctx, b *e.Object, typeID string) (string, *e.Object, error) {
	if t := b.Obj("type"); t != nil && t.Has("id") {
		found, err := requireUserType(ctx.State, jsString(get(t, "id")))
		if err != nil {
			return "", nil, err
		}
		typeID = found.Str("id")
	}
	profileIn := b.Obj("profile")
	if profileIn == nil {
		profileIn = e.NewObject()
	}
	return typeID, withCustomDefaults(ctx.State, typeID, withDefaultProperties(profileIn)), nil
}

func replaceUser(ctx *e.Ctx) (*e.Result, error) {
	user, err := editableUser(ctx)
	if err != nil {
		return nil, err
	}
	b := body(ctx)
	typeID, profile, err := typedProfile(ctx, b, user.Obj("type").Str("id"))
	if err != nil {
		return nil, err
	}
	saved, err := saveUserEdit(ctx, user, profile, b.Obj("credentials"), typeID)
	if err != nil {
		return nil, err
	}
	logUserEdit(ctx, saved, b)
	return ok(userJSON(ctx, saved, true))
}

func deleteUser(ctx *e.Ctx) (*e.Result, error) {
	user, err := findUser(ctx, ctx.Params["id"])
	if err != nil {
		return nil, err
	}
	// The first delete only deactivates; deleting a DEPROVISIONED user removes it for good (Okta's deleteUser).
	if user.Str("status") != "DEPROVISIONED" {
		setStatus(ctx, user, "DEPROVISIONED")
		logUserLifecycle(ctx, user, "deactivate")
		return e.NoContent(), nil
	}
	dropUser(ctx, user)
	logUserLifecycle(ctx, user, "delete")
	id := user.Str("id")
	members := ctx.State.Obj("groupMembers")
	for _, gid := range append([]string(nil), members.Keys()...) {
		removeMember(ctx, gid, id)
	}
	appUsers := ctx.State.Obj("appUsers")
	for _, appID := range appUsers.Keys() {
		ctx.Delete(appUsers.Obj(appID), id)
	}
	return e.NoContent(), nil
}

func listUserGroups(ctx *e.Ctx) (*e.Result, error) {
	user, err := findUser(ctx, ctx.Params["id"])
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, g := range values(ctx.State.Obj("groups")) {
		if isMember(ctx.State, g.Str("id"), user.Str("id")) {
			out = append(out, groupJSON(ctx, g, nil))
		}
	}
	return ok(out)
}

// sortUsers sorts search results case-insensitively by one property, ties by id.
func sortUsers(users []*e.Object, sortBy string, descending bool) []*e.Object {
	key := func(u *e.Object) (string, bool) {
		v := userAttribute(u, sortBy)
		if v == nil {
			return "", false
		}
		return jsLower(jsString(v)), true
	}
	out := append([]*e.Object(nil), users...)
	sort.SliceStable(out, func(i, j int) bool {
		a, hasA := key(out[i])
		b, hasB := key(out[j])
		diff := 0
		switch {
		case hasA == hasB && a == b:
		case !hasA:
			diff = 1
		case !hasB:
			diff = -1
		case jsLess(a, b):
			diff = -1
		default:
			diff = 1
		}
		if descending && hasA && hasB {
			diff = -diff
		}
		if diff != 0 {
			return diff < 0
		}
		return jsLess(out[i].Str("id"), out[j].Str("id"))
	})
	return out
}

// jsLess compares strings by UTF-16 code units, as JavaScript's < does.
func jsLess(a, b string) bool {
	ua, ub := []rune(a), []rune(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			ka, kb := sortUnit(ua[i]), sortUnit(ub[i])
			return ka < kb
		}
	}
	return len(ua) < len(ub)
}

func sortUnit(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + ((r - 0x10000) >> 10)
	}
	return r
}
