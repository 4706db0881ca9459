package main

import e "twinverse/twins/goengine"

// A user's own credentials (twins/okta/api/user-credentials.ts): password and recovery question changes,
// forgotten passwords.

var (
	passwordChangeable         = map[string]bool{"STAGED": true, "ACTIVE": true, "PASSWORD_EXPIRED": true, "RECOVERY": true}
	recoveryQuestionChangeable = map[string]bool{"STAGED": true, "ACTIVE": true, "RECOVERY": true}
)

func credentialsIncorrect(property string) error {
	return oktaErr("E0000014", causes(property+": The credentials provided were incorrect."))
}

// credentialUser is a user whose password the twin can check: one set through the API.
func credentialUser(ctx *e.Ctx, allowed map[string]bool) (*e.Object, error) {
	user, err := findUser(ctx, ctx.Params["userId"])
	if err != nil {
		return nil, err
	}
	if !allowed[user.Str("status")] || !user.Obj("credentials").Has("password") {
		return nil, oktaErr("E0000038")
	}
	return user, nil
}

// setPassword stores a new password on a stored user, keeping the old one in the history.
func setPassword(ctx *e.Ctx, user *e.Object, password string) {
	rememberPassword(ctx, user)
	now := ctx.Now()
	ctx.Set(user, "password", password)
	ctx.Set(user, "passwordChanged", now)
	ctx.Set(user, "lastUpdated", now)
}

func newPasswordProblem(ctx *e.Ctx, user *e.Object, field string, value any) (string, error) {
	password, isStr := value.(string)
	if !isStr || password == "" {
		return "", validationFailed(field + ": The field cannot be left blank")
	}
	if problem := passwordChangeProblem(ctx, user, password); problem != "" {
		return "", oktaErr("E0000014", causes(problem))
	}
	return password, nil
}

func userCredentialHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"changePassword": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := credentialUser(ctx, passwordChangeable)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			if get(user, "password") == nil || get(b.Obj("oldPassword"), "value") != get(user, "password") {
				return nil, credentialsIncorrect("oldPassword")
			}
			password, err := newPasswordProblem(ctx, user, "newPassword", get(b.Obj("newPassword"), "value"))
			if err != nil {
				return nil, err
			}
			setPassword(ctx, user, password)
			// A successful change ends RECOVERY (Okta's changePassword) and, with a fresh password, an expired one.
			if s := user.Str("status"); s == "RECOVERY" || s == "PASSWORD_EXPIRED" {
				setStatus(ctx, user, "ACTIVE")
			}
			logUserEdit(ctx, user, e.NewObject("credentials", e.NewObject("password", get(b, "newPassword"))))
			return ok(e.Clone(get(user, "credentials")))
		},
		"changeRecoveryQuestion": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := credentialUser(ctx, recoveryQuestionChangeable)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			if get(user, "password") == nil || get(b.Obj("password"), "value") != get(user, "password") {
				return nil, credentialsIncorrect("password")
			}
			recovery := b.Obj("recovery_question")
			q, qs := get(recovery, "question").(string)
			a, as := get(recovery, "answer").(string)
			var problems []string
			if !qs || jsTrim(q) == "" {
				problems = append(problems, "recovery_question.question: The field cannot be left blank")
			}
			if !as || jsTrim(a) == "" {
				problems = append(problems, "recovery_question.answer: The field cannot be left blank")
			}
			if len(problems) > 0 {
				return nil, validationFailed(problems...)
			}
			ctx.Set(user, "recoveryQuestion", e.NewObject("question", q, "answer", a))
			ctx.Set(user.Obj("credentials"), "recovery_question", e.NewObject("question", q))
			ctx.Set(user, "lastUpdated", ctx.Now())
			return ok(e.Clone(get(user, "credentials")))
		},
		"forgotPassword": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["userId"])
			if err != nil {
				return nil, err
			}
			// Only ACTIVE users with a password; the status does not change (Okta's forgotPassword).
			if user.Str("status") != "ACTIVE" || !user.Obj("credentials").Has("password") {
				return nil, oktaErr("E0000038")
			}
			return sendEmailOr(ctx, func() *e.Object {
				return e.NewObject("resetPasswordUrl", ctx.BaseURL+"/signin/reset-password/"+oneTimeToken(ctx))
			})
		},
		"forgotPasswordSetNewPassword": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["userId"])
			if err != nil {
				return nil, err
			}
			stored := user.Obj("recoveryQuestion")
			if user.Str("status") != "ACTIVE" || stored == nil {
				return nil, oktaErr("E0000038")
			}
			b := body(ctx)
			if get(b.Obj("recovery_question"), "answer") != get(stored, "answer") {
				return nil, oktaErr("E0000087")
			}
			password, err := newPasswordProblem(ctx, user, "password", get(b.Obj("password"), "value"))
			if err != nil {
				return nil, err
			}
			rememberPassword(ctx, user)
			ctx.Set(user, "password", password)
			ctx.Set(user.Obj("credentials"), "password", e.NewObject())
			now := ctx.Now()
			ctx.Set(user, "passwordChanged", now)
			ctx.Set(user, "lastUpdated", now)
			logUserEdit(ctx, user, e.NewObject("credentials", e.NewObject("password", get(b, "password"))))
			return ok(e.Clone(get(user, "credentials")))
		},
	}
}
