package main

import (
	e "twinverse/twins/goengine"
)

var expirable = map[string]bool{"ACTIVE": true, "PASSWORD_EXPIRED": true, "LOCKED_OUT": true, "RECOVERY": true}

func pathUser(ctx *e.Ctx) (*e.Object, error) { return findUser(ctx, ctx.Params["id"]) }

func expirableUser(ctx *e.Ctx) (*e.Object, error) {
	user, err := pathUser(ctx)
	if err != nil {
		return nil, err
	}
	if !expirable[user.Str("status")] || !user.Obj("credentials").Has("password") {
		return nil, oktaErr("E0000038")
	}
	return user, nil
}

func oneTimeToken(ctx *e.Ctx) string { return ctx.IDs.Token(20, "") }

func activationToken(ctx *e.Ctx) *e.Object {
	token := oneTimeToken(ctx)
	return e.NewObject("activationUrl", ctx.BaseURL+"/tokens/"+token+"/verify", "activationToken", token)
}

func temporaryPassword(ctx *e.Ctx) string {
	return ctx.IDs.Token(2, "ABCDEFGHJKLMNPQRSTUVWXYZ") + ctx.IDs.Token(3, "23456789") + ctx.IDs.Token(3, "abcdefghijkmnpqrstuvwxyz")
}

// issueRecoveryToken puts a recovery token in the user's "inbox" (state.recoveryTokens), valid as long as the
// default password policy's email recovery says.
func issueRecoveryToken(ctx *e.Ctx, user *e.Object, recoveryType, token string) string {
	minutes := 60.0
	for _, p := range values(ctx.State.Obj("policies")) {
		if p.Str("type") == "PASSWORD" && truthy(get(p, "system")) {
			minutes = jsNumber(orDefault(p.Obj("settings").Obj("recovery").Obj("factors").Obj("okta_email").Obj("properties").Obj("recoveryToken"), "tokenLifetimeMinutes", minutes))
			break
		}
	}
	tokens := ctx.Ensure(ctx.State, "recoveryTokens")
	ctx.Set(tokens, token, e.NewObject("userId", user.Str("id"), "recoveryType", recoveryType, "expiresAt", authnLater(ctx, minutes*60)))
	return token
}

func sendEmailOr(ctx *e.Ctx, token func() *e.Object) (*e.Result, error) {
	if qBool(ctx, "sendEmail") {
		return ok(e.NewObject())
	}
	return ok(token())
}

func lifecycleHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"activateUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			if s := user.Str("status"); s != "STAGED" && s != "DEPROVISIONED" {
				return nil, oktaErr("E0000016")
			}
			status := "PROVISIONED"
			if canSignInWithoutActivationToken(user) {
				status = "ACTIVE"
			}
			setStatus(ctx, user, status)
			if status == "ACTIVE" {
				ctx.Set(user, "activated", ctx.Now())
			}
			logUserLifecycle(ctx, user, "activate")
			return sendEmailOr(ctx, func() *e.Object { return activationToken(ctx) })
		},
		"reactivateUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			if s := user.Str("status"); s != "PROVISIONED" && s != "RECOVERY" {
				return nil, oktaErr("E0000038")
			}
			setStatus(ctx, user, "PROVISIONED")
			logUserLifecycle(ctx, user, "reactivate")
			return sendEmailOr(ctx, func() *e.Object { return activationToken(ctx) })
		},
		"deactivateUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			// Okta answers a second deactivation as if the user were gone.
			if user.Str("status") == "DEPROVISIONED" {
				return nil, notFound(ctx.Params["id"], "User")
			}
			setStatus(ctx, user, "DEPROVISIONED")
			logUserLifecycle(ctx, user, "deactivate")
			return ok(e.NewObject())
		},
		"suspendUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			if user.Str("status") != "ACTIVE" {
				return nil, oktaErr("E0000001", detail("suspendUser"), causes("Cannot suspend a user that is not active"))
			}
			setStatus(ctx, user, "SUSPENDED")
			logUserLifecycle(ctx, user, "suspend")
			return ok(e.NewObject())
		},
		"unsuspendUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			if user.Str("status") != "SUSPENDED" {
				return nil, oktaErr("E0000001", detail("unsuspendUser"), causes("Cannot unsuspend a user that is not suspended"))
			}
			setStatus(ctx, user, "ACTIVE")
			logUserLifecycle(ctx, user, "unsuspend")
			return ok(e.NewObject())
		},
		"unlockUser": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			// An ACTIVE user may be blocked from unknown devices; unlocking it clears that and keeps it ACTIVE.
			if s := user.Str("status"); s != "LOCKED_OUT" && s != "ACTIVE" {
				return nil, oktaErr("E0000032", causes("The user is not locked out."))
			}
			setStatus(ctx, user, "ACTIVE")
			// An admin's unlock is its own type in Okta's Event Types catalog (user.account.unlock_by_admin).
			logEvent(ctx, logInput{"user.account.unlock_by_admin", "Unlock user account by admin", []*e.Object{userTarget(user)}})
			return ok(e.NewObject())
		},
		"resetPassword": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			if s := user.Str("status"); s == "STAGED" || s == "DEPROVISIONED" || s == "SUSPENDED" {
				return nil, oktaErr("E0000038")
			}
			setStatus(ctx, user, "RECOVERY")
			logEvent(ctx, logInput{"user.account.reset_password", "Reset password for user", []*e.Object{userTarget(user)}})
			// The token in the link is a recovery token, as POST /api/v1/authn/recovery/token takes it.
			return sendEmailOr(ctx, func() *e.Object {
				token := issueRecoveryToken(ctx, user, "PASSWORD", oneTimeToken(ctx))
				return e.NewObject("resetPasswordUrl", ctx.BaseURL+"/signin/reset-password/"+token)
			})
		},
		"expirePassword": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := expirableUser(ctx)
			if err != nil {
				return nil, err
			}
			setStatus(ctx, user, "PASSWORD_EXPIRED")
			logEvent(ctx, logInput{"user.account.expire_password", "Expire password for user", []*e.Object{userTarget(user)}})
			return ok(userJSON(ctx, user, true))
		},
		"expirePasswordWithTempPassword": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := expirableUser(ctx)
			if err != nil {
				return nil, err
			}
			temp := temporaryPassword(ctx)
			ctx.Set(user, "password", temp)
			ctx.Set(user, "passwordChanged", ctx.Now())
			setStatus(ctx, user, "PASSWORD_EXPIRED")
			logEvent(ctx, logInput{"user.account.expire_password", "Expire password for user", []*e.Object{userTarget(user)}})
			return ok(e.NewObject("tempPassword", temp))
		},
		"resetFactors": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := pathUser(ctx)
			if err != nil {
				return nil, err
			}
			// "You can't unenroll a factor from a deactivated user" (Okta's unenrollFactor).
			if user.Str("status") == "DEPROVISIONED" {
				return nil, oktaErr("E0000038")
			}
			for _, f := range factorsOf(ctx, user.Str("id")) {
				removeFactor(ctx, f.Str("id"))
			}
			logEvent(ctx, logInput{"user.mfa.factor.reset_all", "Reset all factors for user", []*e.Object{userTarget(user)}})
			return ok(e.NewObject())
		},
	}
}
