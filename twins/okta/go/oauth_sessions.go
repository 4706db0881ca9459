package main

import (
	"sort"

	e "twinverse/twins/goengine"
)

// The browser's Okta session at /authorize (twins/okta/model/sessions.ts): a live `sid` cookie signs the browser in,
// or a session token from the Authentication API, which /authorize redeems to open a session and set its cookie.

// authorizeBrowserUser is the user the browser is signed in as, and the cookie of a session opened now (or "").
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

func laterISO(ctx *e.Ctx, ms float64) string { return e.ISO(ctx.Clock.NowMs() + int64(ms)) }

// signOnSession is the session settings of the OKTA_SIGN_ON rule that governs the user, Okta's defaults without one.
func signOnSession(state *e.Object, user *e.Object) (idle float64, lifetime float64) {
	idle, lifetime = 120, 0
	groups := groupIDsOf(state, user.Str("id"))
	for _, policy := range policiesOfType(state, "OKTA_SIGN_ON") {
		if policy.Str("status") != "ACTIVE" || !peopleMatch(policy.Obj("conditions"), user.Str("id"), groups) {
			continue
		}
		var rules []*e.Object
		for _, r := range values(state.Obj("policyRules")) {
			if r.Str("policyId") == policy.Str("id") {
				rules = append(rules, r)
			}
		}
		sort.SliceStable(rules, func(i, j int) bool {
			si, sj := get(rules[i], "system") == true, get(rules[j], "system") == true
			if si != sj {
				return !si
			}
			pi, _ := numClaim(rules[i], "priority")
			pj, _ := numClaim(rules[j], "priority")
			return pi < pj
		})
		for _, rule := range rules {
			if rule.Str("status") != "ACTIVE" || !peopleMatch(rule.Obj("conditions"), user.Str("id"), groups) {
				continue
			}
			signon := rule.Obj("actions").Obj("signon")
			if signon == nil {
				return
			}
			session := signon.Obj("session")
			if v, isNum := numClaim(session, "maxSessionIdleMinutes"); isNum {
				idle = v
			}
			if v, isNum := numClaim(session, "maxSessionLifetimeMinutes"); isNum {
				lifetime = v
			}
			return
		}
		return
	}
	return
}

// openSession opens a session for a redeemed token, idle-expiring per the sign-on policy and ending at its lifetime.
func openSession(ctx *e.Ctx, record *e.Object) *e.Object {
	user := ctx.State.Obj("users").Obj(record.Str("userId"))
	idle, lifetime := signOnSession(ctx.State, user)
	session := e.NewObject(
		"id", "102"+secretToken(ctx, 22),
		"userId", user.Str("id"),
		"login", jsString(get(user.Obj("profile"), "login")),
		"status", "ACTIVE",
		"createdAt", ctx.Now(),
		"expiresAt", "",
		"lastPasswordVerification", get(record, "passwordVerifiedAt"),
		"lastFactorVerification", get(record, "factorVerifiedAt"),
		"amr", e.Clone(get(record, "amr")),
	)
	expiry := laterISO(ctx, idle*60000)
	if lifetime > 0 {
		ends := laterISO(ctx, lifetime*60000)
		session.Set("endsAt", ends)
		if endsAt, err := e.ParseInstant(ends); err == nil {
			if idleAt, err := e.ParseInstant(expiry); err == nil && endsAt.Before(idleAt) {
				expiry = ends
			}
		}
	}
	session.Set("expiresAt", expiry)
	ctx.Set(ctx.Ensure(ctx.State, "sessions"), session.Str("id"), session)
	return session
}
