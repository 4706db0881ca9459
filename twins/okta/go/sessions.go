package main

import (
	"regexp"

	e "twinverse/twins/goengine"
)

// Okta sessions (tag Session), as twins/okta/api/sessions.ts and model/sessions.ts: opened from a session token,
// read, refreshed and closed; and a user's sessions cleared (tag UserSessions, api/user-sessions.ts). Redeeming a
// session token and reading the sid cookie are shared with /authorize (authorizeBrowserUser, oauth_authorize.go).

// sessionTokenSeconds is how long a session token may wait to be exchanged for a session.
const sessionTokenSeconds = 300

// issueSessionToken hands out a one-time session token for a user who just signed in, with how they did.
func issueSessionToken(ctx *e.Ctx, user *e.Object, amr []any, passwordVerifiedAt, factorVerifiedAt any) string {
	token := secretToken(ctx, 42)
	record := e.NewObject("userId", user.Str("id"), "expiresAt", laterISO(ctx, sessionTokenSeconds*1000), "amr", e.Clone(amr),
		"passwordVerifiedAt", passwordVerifiedAt, "factorVerifiedAt", factorVerifiedAt)
	ctx.Set(ctx.Ensure(ctx.State, "sessionTokens"), token, record)
	return token
}

// liveSession is a session by id that has not expired and whose user is still ACTIVE, or nil.
func liveSession(ctx *e.Ctx, id string) *e.Object {
	session := ctx.State.Obj("sessions").Obj(id)
	if session == nil || instantReached(ctx, session.Str("expiresAt")) || ctx.State.Obj("users").Obj(session.Str("userId")).Str("status") != "ACTIVE" {
		return nil
	}
	return session
}

// cookieSession is the session a browser's sid cookie names, if it is live.
func cookieSession(ctx *e.Ctx) *e.Object {
	match := sessionCookie.FindStringSubmatch(ctx.Headers["cookie"])
	if match == nil {
		return nil
	}
	return liveSession(ctx, match[1])
}

// sessionCookie finds the sid cookie of a browser's Okta session.
var sessionCookie = regexp.MustCompile(`(?:^|;[` + jsSpace + `]*)sid=([^;]+)`)

// redeemSessionTokenRecord spends a session token: its record if it is live and its user still ACTIVE, else nil.
// A token works once, whether or not it was still good.
func redeemSessionTokenRecord(ctx *e.Ctx, token string) *e.Object {
	tokens := ctx.Ensure(ctx.State, "sessionTokens")
	record := tokens.Obj(token)
	if record != nil {
		ctx.Delete(tokens, token)
	}
	if record == nil || instantReached(ctx, record.Str("expiresAt")) || ctx.State.Obj("users").Obj(record.Str("userId")).Str("status") != "ACTIVE" {
		return nil
	}
	return record
}

// sessionIdleExpiry is when a session used now stops: the sign-on rule's idle timeout, never past its lifetime cap.
func sessionIdleExpiry(ctx *e.Ctx, session *e.Object) string {
	idle := jsNumber(orDefault(signOnActions(ctx.State, ctx.State.Obj("users").Obj(session.Str("userId"))).Obj("session"), "maxSessionIdleMinutes", float64(120)))
	expiry := laterISO(ctx, idle*60000)
	if ends, isStr := get(session, "endsAt").(string); isStr && ends != "" {
		endsAt, errEnds := e.ParseInstant(ends)
		idleAt, errIdle := e.ParseInstant(expiry)
		if errEnds == nil && errIdle == nil && endsAt.Before(idleAt) {
			return ends
		}
	}
	return expiry
}

// openSession opens a session from a spent session token, for the Sessions API's createSession and for /authorize
// with a sessionToken alike (one function in the TypeScript twin too); its timeouts come from the sign-on rule that
// governs the user.
func openSession(ctx *e.Ctx, record *e.Object) *e.Object {
	user := ctx.State.Obj("users").Obj(record.Str("userId"))
	lifetime := jsNumber(orDefault(signOnActions(ctx.State, user).Obj("session"), "maxSessionLifetimeMinutes", float64(0)))
	session := e.NewObject("id", "102"+secretToken(ctx, 22), "userId", user.Str("id"), "login", jsString(get(user.Obj("profile"), "login")), "status", "ACTIVE",
		"createdAt", ctx.Now(), "expiresAt", "", "lastPasswordVerification", get(record, "passwordVerifiedAt"), "lastFactorVerification", get(record, "factorVerifiedAt"),
		"amr", e.Clone(anyOrEmpty(record.Arr("amr"))))
	if lifetime > 0 {
		session.Set("endsAt", laterISO(ctx, lifetime*60000))
	}
	session.Set("expiresAt", sessionIdleExpiry(ctx, session))
	ctx.Set(ctx.Ensure(ctx.State, "sessions"), session.Str("id"), session)
	return session
}

// authorizeBrowserUser is who a browser at /authorize is, and the cookie of a session opened now (or ""): the user
// of the live session its sid cookie names, or else the user of a session token it brings (from /api/v1/authn),
// which opens a session. An existing session wins over a session token, as in Okta Classic.
func authorizeBrowserUser(ctx *e.Ctx, sessionToken string, hasToken bool) (*e.Object, string) {
	if user := sidCookieUser(ctx); user != nil {
		return user, ""
	}
	if !hasToken {
		return nil, ""
	}
	record := redeemSessionTokenRecord(ctx, sessionToken)
	if record == nil {
		return nil, ""
	}
	session := openSession(ctx, record)
	return ctx.State.Obj("users").Obj(session.Str("userId")), "sid=" + session.Str("id") + "; Path=/; Secure; HttpOnly; SameSite=None"
}

// closeSession ends a session and writes Okta's user.session.end event.
func closeSession(ctx *e.Ctx, session *e.Object) {
	ctx.Delete(ctx.Ensure(ctx.State, "sessions"), session.Str("id"))
	if user := ctx.State.Obj("users").Obj(session.Str("userId")); user != nil {
		logEventExtra(ctx, logInput{eventType: "user.session.end", displayMessage: "User logout from Okta"},
			eventExtra{actor: userTarget(user), legacyEventType: "core.user_auth.logout_success", authenticationContext: e.NewObject("externalSessionId", session.Str("id"))})
	}
}

// sessionJSON is a session as Okta returns it, with its links.
func sessionJSON(ctx *e.Ctx, session *e.Object, selfPath string) *e.Object {
	if selfPath == "" {
		selfPath = "/api/v1/sessions/" + session.Str("id")
	}
	self := ctx.BaseURL + selfPath
	user := ctx.State.Obj("users").Obj(session.Str("userId"))
	var parts []string
	for _, k := range []string{"firstName", "lastName"} {
		if v := get(user.Obj("profile"), k); truthy(v) {
			parts = append(parts, jsString(v))
		}
	}
	name := ""
	for i, p := range parts {
		if i > 0 {
			name += " "
		}
		name += p
	}
	out := e.NewObject()
	for _, k := range []string{"id", "userId", "login", "createdAt", "expiresAt", "status", "lastPasswordVerification", "lastFactorVerification"} {
		out.Set(k, get(session, k))
	}
	out.Set("amr", e.Clone(anyOrEmpty(session.Arr("amr"))))
	out.Set("idp", e.NewObject("id", ctx.State.Obj("org").Str("id"), "type", "OKTA"))
	out.Set("mfaActive", get(session, "lastFactorVerification") != nil)
	out.Set("_links", e.NewObject(
		"self", hintLink(self, "GET", "DELETE"),
		"refresh", hintLink(self+"/lifecycle/refresh", "POST"),
		"user", e.NewObject("name", name, "href", ctx.BaseURL+"/api/v1/users/"+session.Str("userId"), "hints", e.NewObject("allow", []any{"GET"})),
	))
	return out
}

func requireSession(ctx *e.Ctx) (*e.Object, error) {
	if session := liveSession(ctx, ctx.Params["sessionId"]); session != nil {
		return session, nil
	}
	return nil, notFound(ctx.Params["sessionId"], "Session")
}

// requireCookieSession is the browser's own session, named by its sid cookie: without one Okta answers 404
// (Sessions API, "/sessions/me").
func requireCookieSession(ctx *e.Ctx) (*e.Object, error) {
	if session := cookieSession(ctx); session != nil {
		return session, nil
	}
	return nil, notFound("me", "Session")
}

func sessionHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"createSession": func(ctx *e.Ctx) (*e.Result, error) {
			token, isStr := get(body(ctx), "sessionToken").(string)
			if !isStr || token == "" {
				return nil, invalidFields([][2]string{{"sessionToken", "The field cannot be left blank"}})
			}
			record := redeemSessionTokenRecord(ctx, token)
			// A spent, expired or unknown session token fails authentication (Okta's Sessions API, createSession:
			// "If an invalid sessionToken is provided, a 401 Unauthorized status code will be returned").
			if record == nil {
				return nil, oktaErr("E0000004")
			}
			return ok(sessionJSON(ctx, openSession(ctx, record), ""))
		},
		"getSession": func(ctx *e.Ctx) (*e.Result, error) {
			session, err := requireSession(ctx)
			if err != nil {
				return nil, err
			}
			return ok(sessionJSON(ctx, session, ""))
		},
		"refreshSession": func(ctx *e.Ctx) (*e.Result, error) {
			session, err := requireSession(ctx)
			if err != nil {
				return nil, err
			}
			ctx.Set(session, "expiresAt", sessionIdleExpiry(ctx, session))
			return ok(sessionJSON(ctx, session, ""))
		},
		"revokeSession": func(ctx *e.Ctx) (*e.Result, error) {
			session, err := requireSession(ctx)
			if err != nil {
				return nil, err
			}
			closeSession(ctx, session)
			return e.NoContent(), nil
		},
		"getCurrentSession": func(ctx *e.Ctx) (*e.Result, error) {
			session, err := requireCookieSession(ctx)
			if err != nil {
				return nil, err
			}
			return ok(sessionJSON(ctx, session, "/api/v1/sessions/me"))
		},
		"refreshCurrentSession": func(ctx *e.Ctx) (*e.Result, error) {
			session, err := requireCookieSession(ctx)
			if err != nil {
				return nil, err
			}
			ctx.Set(session, "expiresAt", sessionIdleExpiry(ctx, session))
			return ok(sessionJSON(ctx, session, "/api/v1/sessions/me"))
		},
		"closeCurrentSession": func(ctx *e.Ctx) (*e.Result, error) {
			session, err := requireCookieSession(ctx)
			if err != nil {
				return nil, err
			}
			closeSession(ctx, session)
			return e.NoContent(), nil
		},
		// Closes every Okta session of the user; with oauthTokens=true every access and refresh token issued to the
		// user is revoked too, as POST /v1/revoke would (Okta's revokeUserSessions).
		"revokeUserSessions": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["userId"])
			if err != nil {
				return nil, err
			}
			for _, session := range values(ctx.State.Obj("sessions")) {
				if session.Str("userId") == user.Str("id") {
					closeSession(ctx, session)
				}
			}
			revokeTokens := qBool(ctx, "oauthTokens")
			if revokeTokens {
				for _, record := range values(ctx.State.Obj("oauth").Obj("tokens")) {
					if record.Str("userId") == user.Str("id") {
						ctx.Set(record, "revoked", true)
					}
				}
			}
			// Okta's user.session.clear (Event Types catalog); the display message is the twin's (the catalog shows none).
			logEventExtra(ctx, logInput{eventType: "user.session.clear", displayMessage: "Clear user sessions", target: []*e.Object{userTarget(user)}},
				eventExtra{debugData: e.NewObject("revokeOauthTokens", revokeTokens)})
			return e.NoContent(), nil
		},
	}
}
