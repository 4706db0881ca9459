package main

import (
	"math"
	"strings"

	e "twinverse/twins/goengine"
)

// Okta's classic Authentication API (/api/v1/authn), as twins/okta/api/authn.ts and model/authn.ts: primary
// authentication with a password, MFA, expired passwords, lockout, and self-service recovery with recovery tokens.
// No API token is needed. A SUCCESS hands out a one-time session token for POST /api/v1/sessions or
// /authorize?sessionToken=. The policies decide (policies.go): the password policy (complexity, history, age, lockout,
// self-service unlock and reset), the sign-on policy (access, required factor), the MFA enrollment policy and the
// authenticators (which factors count).

// authnTransactionSeconds is how long a state token lives (Okta's Authentication API, "Transaction object").
const authnTransactionSeconds = 300

// factorAMR is what each factor type adds to a session's amr once verified.
var factorAMR = map[string]string{"question": "kba", "token:software:totp": "otp", "sms": "sms", "call": "tel", "email": "email", "push": "swk"}

// authnStatuses are the statuses of a transaction that waits on the user.
var authnStatuses = []string{"PASSWORD_EXPIRED", "MFA_REQUIRED", "MFA_CHALLENGE", "MFA_ENROLL", "MFA_ENROLL_ACTIVATE", "RECOVERY", "PASSWORD_RESET"}

// authnHow is how a sign-in has gone so far: the proofs (amr), when the password was verified, and the relay state
// the client asked to get back (nil when it sent none).
type authnHow struct {
	amr                []any
	passwordVerifiedAt any
	relayState         any
}

// authnTransactions is the store of transactions by state token; like the TypeScript twin's, reading creates it.
func authnTransactions(ctx *e.Ctx) *e.Object { return ctx.Ensure(ctx.State, "authnTransactions") }

// authnLater is the instant some seconds from now (model/authn.ts's later).
func authnLater(ctx *e.Ctx, seconds float64) string { return laterISO(ctx, seconds*1000) }

// laterISO is the instant ms from now as JavaScript's new Date(now + ms).toISOString() gives it: the sum, truncated to
// a millisecond (a fractional timeout in minutes lands where the TypeScript twin puts it).
func laterISO(ctx *e.Ctx, ms float64) string {
	return e.ISO(int64(math.Trunc(float64(ctx.Clock.NowMs()) + ms)))
}

// instantReached: the twin clock is at or past an ISO instant (or it does not parse).
func instantReached(ctx *e.Ctx, iso string) bool {
	t, err := e.ParseInstant(iso)
	return err != nil || ctx.Clock.NowMs() >= t.UnixMilli()
}

// eventExtra is what some events carry beyond logInput (twins/okta/model/system-log.ts LogEventInput): another actor
// than the caller, the legacy type, the outcome, and additions to debugData and authenticationContext.
type eventExtra struct {
	actor                 *e.Object
	legacyEventType       string
	outcome               *e.Object
	debugData             *e.Object
	authenticationContext *e.Object
}

// logEventExtra writes the event with logEventAs, then sets on it what extra adds, where the TypeScript twin puts it.
func logEventExtra(ctx *e.Ctx, in logInput, extra eventExtra) {
	logEventAs(ctx, in, extra.actor)
	event := lastLoggedEvent(ctx)
	if event == nil {
		return
	}
	if extra.legacyEventType != "" {
		event.Set("legacyEventType", extra.legacyEventType)
	}
	if extra.outcome != nil {
		event.Set("outcome", extra.outcome)
	}
	for _, part := range []struct{ into, add *e.Object }{{event.Obj("debugContext").Obj("debugData"), extra.debugData}, {event.Obj("authenticationContext"), extra.authenticationContext}} {
		for _, k := range part.add.Keys() {
			part.into.Set(k, e.Clone(get(part.add, k)))
		}
	}
}

// countSignInFailure counts a wrong password toward the password policy's lockout: at maxAttempts the user is
// LOCKED_OUT (Okta's user.account.lock event). The caller then refuses the request; the count is kept, as Okta keeps it.
func countSignInFailure(ctx *e.Ctx, user *e.Object) {
	failures := ctx.Ensure(ctx.State, "signInFailures")
	id := user.Str("id")
	n := jsNumber(orDefault(failures, id, float64(0))) + 1
	ctx.Set(failures, id, n)
	logEventExtra(ctx, logInput{eventType: "user.session.start", displayMessage: "User login to Okta"},
		eventExtra{actor: userTarget(user), legacyEventType: "core.user_auth.login_failed", outcome: e.NewObject("result", "FAILURE", "reason", "INVALID_CREDENTIALS")})
	max := jsNumber(get(passwordSettingsOf(ctx.State, user).Obj("lockout"), "maxAttempts"))
	if max > 0 && n >= max && user.Str("status") == "ACTIVE" {
		setStatus(ctx, user, "LOCKED_OUT")
		ctx.Delete(failures, id)
		logEventExtra(ctx, logInput{eventType: "user.account.lock", displayMessage: "Max sign in attempts exceeded", target: []*e.Object{userTarget(user)}},
			eventExtra{actor: userTarget(user), outcome: e.NewObject("result", "FAILURE", "reason", "LOCKED_OUT")})
	}
}

// clearSignInFailures forgets a user's failed sign-ins (a success, an unlock).
func clearSignInFailures(ctx *e.Ctx, user *e.Object) {
	if failures := ctx.State.Obj("signInFailures"); failures != nil {
		ctx.Delete(failures, user.Str("id"))
	}
}

// authnLink is a link a transaction carries: POST only, named when it is the next step.
func authnLink(href, name string) *e.Object {
	l := e.NewObject()
	if name != "" {
		l.Set("name", name)
	}
	l.Set("href", href)
	l.Set("hints", e.NewObject("allow", []any{"POST"}))
	return l
}

// authnEmbeddedUser is the user as a transaction embeds it (Okta's Authentication API, "User object").
func authnEmbeddedUser(user *e.Object, withQuestion bool) *e.Object {
	out := e.NewObject("id", user.Str("id"))
	if v, has := user.Get("passwordChanged"); has {
		out.Set("passwordChanged", v)
	}
	profile := user.Obj("profile")
	embedded := e.NewObject()
	if v, has := profile.Get("login"); has {
		embedded.Set("login", v)
	}
	embedded.Set("firstName", get(profile, "firstName"))
	embedded.Set("lastName", get(profile, "lastName"))
	embedded.Set("locale", "en_US")
	embedded.Set("timeZone", "America/Los_Angeles")
	out.Set("profile", embedded)
	if question := user.Obj("recoveryQuestion"); withQuestion && question != nil {
		q := e.NewObject()
		if v, has := question.Get("question"); has {
			q.Set("question", v)
		}
		out.Set("recovery_question", q)
	}
	return out
}

// authnEmbeddedPolicy is the password policy a PASSWORD_EXPIRED or PASSWORD_RESET transaction embeds.
func authnEmbeddedPolicy(state, user *e.Object) *e.Object {
	settings := passwordSettingsOf(state, user)
	complexity := e.CloneObj(settings.Obj("complexity"))
	age := settings.Obj("age")
	return e.NewObject("complexity", complexity, "age", e.NewObject("minAgeMinutes", get(age, "minAgeMinutes"), "historyCount", get(age, "historyCount")))
}

// authnSave starts a transaction under a new state token, or moves the one stateToken names to a new status: Okta
// keeps one state token for a whole transaction, and each step renews its expiry. fields are key/value pairs, in
// the order the TypeScript twin spreads them.
func authnSave(ctx *e.Ctx, user *e.Object, stateToken string, fields ...any) string {
	token := stateToken
	if token == "" {
		token = "00" + secretToken(ctx, 40)
	}
	store := authnTransactions(ctx)
	var previous *e.Object
	if stateToken != "" {
		previous = store.Obj(stateToken)
	}
	tx := e.NewObject("amr", e.Clone(orDefault(previous, "amr", []any{})), "passwordVerifiedAt", orDefault(previous, "passwordVerifiedAt", nil))
	if v, has := previous.Get("relayState"); has {
		tx.Set("relayState", v)
	}
	if v := get(previous, "recoveryType"); truthy(v) {
		tx.Set("recoveryType", v)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		tx.Set(fields[i].(string), e.Clone(fields[i+1]))
	}
	tx.Set("userId", user.Str("id"))
	tx.Set("expiresAt", authnLater(ctx, authnTransactionSeconds))
	ctx.Set(store, token, tx)
	return token
}

// howFields are a sign-in's proofs as transaction fields: amr, passwordVerifiedAt and, when sent, relayState.
func howFields(how authnHow) []any {
	fields := []any{"amr", anyOrEmpty(how.amr), "passwordVerifiedAt", how.passwordVerifiedAt}
	if how.relayState != nil {
		fields = append(fields, "relayState", how.relayState)
	}
	return fields
}

func anyOrEmpty(list []any) []any {
	if list == nil {
		return []any{}
	}
	return list
}

// requireAuthnTransaction is the live transaction a state token names, or Okta's 401 E0000011 (an unknown, spent or
// expired state token); a transaction in another status is 403 E0000079.
func requireAuthnTransaction(ctx *e.Ctx, stateToken any, statuses []string) (*e.Object, *e.Object, string, error) {
	store := authnTransactions(ctx)
	token, isStr := stateToken.(string)
	var tx *e.Object
	if isStr {
		tx = store.Obj(token)
	}
	var user *e.Object
	if tx != nil {
		user = ctx.State.Obj("users").Obj(tx.Str("userId"))
	}
	if tx == nil || user == nil || instantReached(ctx, tx.Str("expiresAt")) {
		return nil, nil, "", oktaErr("E0000011")
	}
	if !contains(statuses, tx.Str("status")) {
		return nil, nil, "", oktaErr("E0000079")
	}
	return tx, user, token, nil
}

func endAuthnTransaction(ctx *e.Ctx, stateToken string) {
	ctx.Delete(authnTransactions(ctx), stateToken)
}

// verifiableFactors are the factors a user may verify at sign-in: ACTIVE, and their authenticator enabled.
func verifiableFactors(ctx *e.Ctx, user *e.Object) []*e.Object {
	return keep(factorsOf(ctx, user.Str("id")), func(f *e.Object) bool {
		return f.Str("status") == "ACTIVE" && factorEnabled(ctx.State, f.Str("factorType"), f.Str("provider"))
	})
}

// authnFactor is an enrolled factor as a transaction lists it, with the link that verifies it.
func authnFactor(ctx *e.Ctx, f *e.Object) *e.Object {
	var profile *e.Object
	if f.Str("factorType") == "question" {
		profile = e.NewObject()
		for _, k := range []string{"question", "questionText"} {
			if v, has := f.Obj("profile").Get(k); has {
				profile.Set(k, v)
			}
		}
	} else {
		profile = shallow(f.Obj("profile"))
		if profile == nil {
			profile = e.NewObject()
		}
	}
	return e.NewObject("id", f.Str("id"), "factorType", get(f, "factorType"), "provider", get(f, "provider"), "vendorName", get(f, "vendorName"), "profile", profile,
		"_links", e.NewObject("verify", authnLink(ctx.BaseURL+"/api/v1/authn/factors/"+f.Str("id")+"/verify", "")))
}

// authnResult is the answer for a transaction in a status that waits on the user: its state token, expiry, user
// and links (cancel always last). fields are key/value pairs set after the status.
func authnResult(ctx *e.Ctx, user *e.Object, stateToken string, embedded, links *e.Object, fields ...any) *e.Result {
	tx := authnTransactions(ctx).Obj(stateToken)
	out := e.NewObject("stateToken", stateToken, "expiresAt", get(tx, "expiresAt"), "status", get(tx, "status"))
	if v, has := tx.Get("relayState"); has {
		out.Set("relayState", v)
	}
	if v := get(tx, "recoveryType"); truthy(v) {
		out.Set("recoveryType", v)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		out.Set(fields[i].(string), fields[i+1])
	}
	emb := e.NewObject("user", authnEmbeddedUser(user, tx.Str("status") == "RECOVERY"))
	for _, k := range embedded.Keys() {
		emb.Set(k, get(embedded, k))
	}
	out.Set("_embedded", emb)
	l := e.NewObject()
	for _, k := range links.Keys() {
		l.Set(k, get(links, k))
	}
	l.Set("cancel", authnLink(ctx.BaseURL+"/api/v1/authn/cancel", ""))
	out.Set("_links", l)
	return e.OK(out)
}

func amrHas(amr []any, value string) bool {
	for _, a := range amr {
		if a == value {
			return true
		}
	}
	return false
}

// authnSucceed finishes a sign-in: a one-time session token, the user's last login, and user.session.start.
func authnSucceed(ctx *e.Ctx, user *e.Object, how authnHow, stateToken string) *e.Result {
	if stateToken != "" {
		endAuthnTransaction(ctx, stateToken)
	}
	now := ctx.Now()
	var factorVerifiedAt any
	if amrHas(how.amr, "mfa") {
		factorVerifiedAt = now
	}
	passwordVerifiedAt := how.passwordVerifiedAt
	if passwordVerifiedAt == nil {
		passwordVerifiedAt = now
	}
	sessionToken := issueSessionToken(ctx, user, anyOrEmpty(how.amr), passwordVerifiedAt, factorVerifiedAt)
	ctx.Set(user, "lastLogin", now)
	clearSignInFailures(ctx, user)
	logEventExtra(ctx, logInput{eventType: "user.session.start", displayMessage: "User login to Okta"},
		eventExtra{actor: userTarget(user), legacyEventType: "core.user_auth.login_success"})
	out := e.NewObject("expiresAt", authnLater(ctx, authnTransactionSeconds), "status", "SUCCESS")
	if how.relayState != nil {
		out.Set("relayState", how.relayState)
	}
	out.Set("sessionToken", sessionToken)
	out.Set("_embedded", e.NewObject("user", authnEmbeddedUser(user, false)))
	return e.OK(out)
}

// afterPassword: the sign-on rule decides what follows a verified (or changed) password. A user with an ACTIVE
// factor is asked for it (MFA_REQUIRED); a rule that requires a factor sends a user without one to enroll
// (MFA_ENROLL); otherwise the sign-in succeeds.
func afterPassword(ctx *e.Ctx, user *e.Object, how authnHow, stateToken string) *e.Result {
	factors := verifiableFactors(ctx, user)
	if len(factors) > 0 {
		token := authnSave(ctx, user, stateToken, append(howFields(how), "status", "MFA_REQUIRED")...)
		listed := make([]any, len(factors))
		for i, f := range factors {
			listed[i] = authnFactor(ctx, f)
		}
		policy := e.NewObject("allowRememberDevice", false, "rememberDeviceLifetimeInMinutes", float64(0), "rememberDeviceByDefault", false, "factorsPolicyInfo", e.NewObject())
		return authnResult(ctx, user, token, e.NewObject("factors", listed, "policy", policy), nil)
	}
	if get(signOnActions(ctx.State, user), "requireFactor") == true {
		return authnEnrollNeeded(ctx, user, authnSave(ctx, user, stateToken, append(howFields(how), "status", "MFA_ENROLL")...))
	}
	return finishOrEnroll(ctx, user, how, stateToken)
}

// missingRequiredFactor: the MFA enrollment policy REQUIRES a factor the user may enroll but has not set up.
func missingRequiredFactor(ctx *e.Ctx, user *e.Object) bool {
	active := verifiableFactors(ctx, user)
	for _, f := range enrollableFactors(ctx, user) {
		if f.enrollment != "REQUIRED" {
			continue
		}
		set := false
		for _, a := range active {
			if a.Str("factorType") == f.factorType && a.Str("provider") == f.provider {
				set = true
			}
		}
		if !set {
			return true
		}
	}
	return false
}

// finishOrEnroll ends a sign-in whose proofs are complete: SUCCESS, unless the MFA enrollment policy requires a
// factor the user has not set up, which Okta asks for first (MFA_ENROLL).
func finishOrEnroll(ctx *e.Ctx, user *e.Object, how authnHow, stateToken string) *e.Result {
	if !missingRequiredFactor(ctx, user) {
		return authnSucceed(ctx, user, how, stateToken)
	}
	return authnEnrollNeeded(ctx, user, authnSave(ctx, user, stateToken, append(howFields(how), "status", "MFA_ENROLL")...))
}

type enrollable struct{ factorType, provider, enrollment string }

// enrollableFactors are the factors a user may enroll while signing in, with the policy's verdict on each. Okta
// Verify push is left out: its activation needs the device (enroll it through the Factors API).
func enrollableFactors(ctx *e.Ctx, user *e.Object) []enrollable {
	var out []enrollable
	for _, c := range catalog {
		if c[0] == "push" || enrollmentRefusal(ctx.State, user, c[0], c[1]) != "" {
			continue
		}
		out = append(out, enrollable{c[0], c[1], factorEnrollment(ctx.State, user, c[0], c[1])})
	}
	return out
}

// authnEnrollNeeded is the MFA_ENROLL answer: the factors the user may enroll, each with its enroll link.
func authnEnrollNeeded(ctx *e.Ctx, user *e.Object, stateToken string) *e.Result {
	active := verifiableFactors(ctx, user)
	var listed []any
	for _, f := range enrollableFactors(ctx, user) {
		status := "NOT_SETUP"
		for _, a := range active {
			if a.Str("factorType") == f.factorType && a.Str("provider") == f.provider {
				status = "ACTIVE"
			}
		}
		listed = append(listed, e.NewObject("factorType", f.factorType, "provider", f.provider, "vendorName", f.provider, "status", status,
			"_links", e.NewObject("enroll", authnLink(ctx.BaseURL+"/api/v1/authn/factors", "")), "enrollment", f.enrollment))
	}
	return authnResult(ctx, user, stateToken, e.NewObject("factors", anyOrEmpty(listed)), nil)
}

// authnPasswordExpired is the PASSWORD_EXPIRED answer: the policy to meet and the link to change the password.
func authnPasswordExpired(ctx *e.Ctx, user *e.Object, stateToken string) *e.Result {
	return authnResult(ctx, user, stateToken, e.NewObject("policy", authnEmbeddedPolicy(ctx.State, user)),
		e.NewObject("next", authnLink(ctx.BaseURL+"/api/v1/authn/credentials/change_password", "changePassword")))
}

// authnPasswordReset is the PASSWORD_RESET answer: the policy to meet and the link to set the new password.
func authnPasswordReset(ctx *e.Ctx, user *e.Object, stateToken string) *e.Result {
	return authnResult(ctx, user, stateToken, e.NewObject("policy", authnEmbeddedPolicy(ctx.State, user)),
		e.NewObject("next", authnLink(ctx.BaseURL+"/api/v1/authn/credentials/reset_password", "resetPassword")))
}

// authnLockedOut is the LOCKED_OUT answer, with a link to unlock when the password rule allows self-service unlock.
func authnLockedOut(ctx *e.Ctx, user *e.Object) *e.Result {
	links := e.NewObject()
	if get(passwordRuleActions(ctx.State, user).Obj("selfServiceUnlock"), "access") == "ALLOW" {
		links.Set("next", authnLink(ctx.BaseURL+"/api/v1/authn/recovery/unlock", "unlock"))
	}
	return e.OK(e.NewObject("status", "LOCKED_OUT", "_links", links))
}

// lockoutExpired: a LOCKED_OUT user's lockout has run out (the policy's autoUnlockMinutes; 0 never does).
func lockoutExpired(ctx *e.Ctx, user *e.Object) bool {
	minutes := jsNumber(get(passwordSettingsOf(ctx.State, user).Obj("lockout"), "autoUnlockMinutes"))
	changed, isStr := get(user, "statusChanged").(string)
	if !(minutes > 0) || !isStr {
		return false
	}
	t, err := e.ParseInstant(changed)
	return err == nil && float64(ctx.Clock.NowMs()-t.UnixMilli()) >= minutes*60000
}

// mustChangePassword: the password must be changed before signing in: expired by an admin, or older than the
// policy allows (Okta detects the age at sign-in, and the user becomes PASSWORD_EXPIRED).
func mustChangePassword(ctx *e.Ctx, user *e.Object) bool {
	if user.Str("status") == "PASSWORD_EXPIRED" {
		return true
	}
	if !passwordAgedOut(ctx, user) {
		return false
	}
	setStatus(ctx, user, "PASSWORD_EXPIRED")
	return true
}

// passwordAgedOut: the password is older than the governing policy's maximum age.
func passwordAgedOut(ctx *e.Ctx, user *e.Object) bool {
	maxAgeDays := jsNumber(get(passwordSettingsOf(ctx.State, user).Obj("age"), "maxAgeDays"))
	changed, isStr := get(user, "passwordChanged").(string)
	if !(maxAgeDays > 0) || !isStr || changed == "" {
		return false
	}
	t, err := e.ParseInstant(changed)
	return err == nil && float64(ctx.Clock.NowMs()-t.UnixMilli()) >= maxAgeDays*86400000
}

// redeemRecoveryToken spends a recovery token: its record if it is live, else Okta's 401 E0000011.
func redeemRecoveryToken(ctx *e.Ctx, token any) (*e.Object, error) {
	store := ctx.Ensure(ctx.State, "recoveryTokens")
	value, isStr := token.(string)
	var record *e.Object
	if isStr {
		record = store.Obj(value)
	}
	if record == nil || instantReached(ctx, record.Str("expiresAt")) || ctx.State.Obj("users").Obj(record.Str("userId")) == nil {
		return nil, oktaErr("E0000011")
	}
	ctx.Delete(store, value)
	return record, nil
}

// recoveryChallenge is the answer after a recovery email was "sent": the same whether or not the user exists, so
// that sign-in pages do not reveal who has an account.
func recoveryChallenge(recoveryType string) *e.Result {
	return e.OK(e.NewObject("status", "RECOVERY_CHALLENGE", "factorResult", "WAITING", "factorType", "EMAIL", "recoveryType", recoveryType, "_links", e.NewObject()))
}

// recoveryQuestionResult is the RECOVERY answer: the recovery question to answer.
func recoveryQuestionResult(ctx *e.Ctx, user *e.Object, stateToken string) *e.Result {
	return authnResult(ctx, user, stateToken, nil, e.NewObject("next", authnLink(ctx.BaseURL+"/api/v1/authn/recovery/answer", "answer")))
}

// afterRecovery follows the recovery proof (token, then answer if the user has a question): unlock, or set a password.
func afterRecovery(ctx *e.Ctx, user *e.Object, stateToken string) *e.Result {
	tx := authnTransactions(ctx).Obj(stateToken)
	if tx.Str("recoveryType") == "UNLOCK" {
		endAuthnTransaction(ctx, stateToken)
		if user.Str("status") == "LOCKED_OUT" {
			setStatus(ctx, user, "ACTIVE")
		}
		clearSignInFailures(ctx, user)
		logEventExtra(ctx, logInput{eventType: "user.account.unlock", displayMessage: "Unlock user account", target: []*e.Object{userTarget(user)}}, eventExtra{actor: userTarget(user)})
		return e.OK(e.NewObject("expiresAt", get(tx, "expiresAt"), "status", "UNLOCKED", "recoveryType", "UNLOCK", "_embedded", e.NewObject("user", authnEmbeddedUser(user, false)), "_links", e.NewObject()))
	}
	authnSave(ctx, user, stateToken, "status", "PASSWORD_RESET")
	return authnPasswordReset(ctx, user, stateToken)
}

// authnText is a field that must be a non-empty string.
func authnText(b *e.Object, field string) (string, error) {
	v, isStr := get(b, field).(string)
	if !isStr || v == "" {
		return "", invalidFields([][2]string{{field, "The field cannot be left blank"}})
	}
	return v, nil
}

// setNewPassword sets a new password through a transaction: the policy's refusal is Okta's E0000080.
func setNewPassword(ctx *e.Ctx, user *e.Object, password string) error {
	if problem := passwordChangeProblem(ctx, user, password); problem != "" {
		return oktaErr("E0000080", causes(problem))
	}
	rememberPassword(ctx, user)
	now := ctx.Now()
	ctx.Set(user, "password", password)
	ctx.Set(ctx.Ensure(user, "credentials"), "password", e.NewObject())
	ctx.Set(user, "passwordChanged", now)
	ctx.Set(user, "lastUpdated", now)
	return nil
}

// authnChallenge is MFA_CHALLENGE: a passcode is on its way, or a push waits on the device (factorResult).
func authnChallenge(ctx *e.Ctx, user *e.Object, stateToken string, f *e.Object, factorResult string) *e.Result {
	name := "verify"
	if f.Str("factorType") == "push" {
		name = "poll"
	}
	next := authnLink(ctx.BaseURL+"/api/v1/authn/factors/"+f.Str("id")+"/verify", name)
	var fields []any
	if factorResult != "" {
		fields = []any{"factorResult", factorResult}
	}
	return authnResult(ctx, user, stateToken, e.NewObject("factor", authnFactor(ctx, f)), e.NewObject("next", next), fields...)
}

// authnFactorVerified: a verified factor ends the sign-in (or moves on to a factor the policy requires); the
// session token carries every proof.
func authnFactorVerified(ctx *e.Ctx, user, tx *e.Object, stateToken string, f *e.Object) *e.Result {
	logEventExtra(ctx, logInput{eventType: "user.authentication.auth_via_mfa", displayMessage: "Authentication of user via MFA"},
		eventExtra{actor: userTarget(user), debugData: e.NewObject("factor", get(f, "factorType"))})
	had := append([]any{}, tx.Arr("amr")...)
	proof := factorAMR[f.Str("factorType")]
	amr := had
	if !amrHas(had, proof) {
		if !amrHas(had, "mfa") {
			amr = append(amr, "mfa")
		}
		amr = append(amr, proof)
	}
	return finishOrEnroll(ctx, user, authnHow{amr: amr, passwordVerifiedAt: get(tx, "passwordVerifiedAt"), relayState: txRelay(tx)}, stateToken)
}

// txRelay is a transaction's relay state, nil when the client sent none.
func txRelay(tx *e.Object) any {
	if v, has := tx.Get("relayState"); has {
		return v
	}
	return nil
}

func txPasswordVerifiedAt(ctx *e.Ctx, tx *e.Object) any {
	if v := get(tx, "passwordVerifiedAt"); v != nil {
		return v
	}
	return ctx.Now()
}

// authnTransactionState is where an open transaction stands, as Okta answers a POST /authn with only its state token.
func authnTransactionState(ctx *e.Ctx, stateToken any) (*e.Result, error) {
	tx, user, token, err := requireAuthnTransaction(ctx, stateToken, authnStatuses)
	if err != nil {
		return nil, err
	}
	resume := func() (*e.Result, error) {
		return afterPassword(ctx, user, authnHow{amr: tx.Arr("amr"), passwordVerifiedAt: txPasswordVerifiedAt(ctx, tx), relayState: txRelay(tx)}, token), nil
	}
	switch tx.Str("status") {
	case "PASSWORD_EXPIRED":
		return authnPasswordExpired(ctx, user, token), nil
	case "PASSWORD_RESET":
		return authnPasswordReset(ctx, user, token), nil
	case "RECOVERY":
		return recoveryQuestionResult(ctx, user, token), nil
	case "MFA_ENROLL":
		return authnEnrollNeeded(ctx, user, token), nil
	case "MFA_CHALLENGE", "MFA_ENROLL_ACTIVATE":
		for _, f := range factorsOf(ctx, user.Str("id")) {
			if f.Str("id") == tx.Str("factorId") {
				return authnChallenge(ctx, user, token, f, ""), nil
			}
		}
	}
	return resume()
}

func authnHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"authn": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			if !b.Has("username") && b.Has("stateToken") {
				return authnTransactionState(ctx, get(b, "stateToken"))
			}
			username, err := authnText(b, "username")
			if err != nil {
				return nil, err
			}
			password, err := authnText(b, "password")
			if err != nil {
				return nil, err
			}
			relayState := get(b, "relayState")
			user := userByLogin(ctx, username)
			if user == nil {
				return nil, oktaErr("E0000004")
			}
			if user.Str("status") == "LOCKED_OUT" && lockoutExpired(ctx, user) {
				setStatus(ctx, user, "ACTIVE")
			}
			if user.Str("status") == "LOCKED_OUT" {
				return authnLockedOut(ctx, user), nil
			}
			if s := user.Str("status"); (s != "ACTIVE" && s != "PASSWORD_EXPIRED") || get(user, "password") == nil {
				return nil, oktaErr("E0000004")
			}
			if get(user, "password") != password {
				countSignInFailure(ctx, user)
				return nil, oktaErr("E0000004")
			}
			clearSignInFailures(ctx, user)
			if get(signOnActions(ctx.State, user), "access") == "DENY" {
				return nil, oktaErr("E0000004")
			}
			now := ctx.Now()
			if mustChangePassword(ctx, user) {
				fields := []any{"status", "PASSWORD_EXPIRED", "amr", []any{"pwd"}, "passwordVerifiedAt", now}
				if relayState != nil {
					fields = append(fields, "relayState", relayState)
				}
				return authnPasswordExpired(ctx, user, authnSave(ctx, user, "", fields...)), nil
			}
			return afterPassword(ctx, user, authnHow{amr: []any{"pwd"}, passwordVerifiedAt: now, relayState: relayState}, ""), nil
		},

		"verifyAuthnFactor": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			tx, user, token, err := requireAuthnTransaction(ctx, get(b, "stateToken"), []string{"MFA_REQUIRED", "MFA_CHALLENGE"})
			if err != nil {
				return nil, err
			}
			var f *e.Object
			for _, candidate := range verifiableFactors(ctx, user) {
				if candidate.Str("id") == ctx.Params["factorId"] {
					f = candidate
					break
				}
			}
			if f == nil {
				return nil, notFound(ctx.Params["factorId"], "UserFactor")
			}
			switch f.Str("factorType") {
			case "question":
				if get(b, "answer") != get(f, "answer") {
					return nil, invalidPasscode("answer")
				}
				return authnFactorVerified(ctx, user, tx, token, f), nil
			case "token:software:totp":
				if err := checkTotp(ctx, f, get(b, "passCode")); err != nil {
					return nil, err
				}
				return authnFactorVerified(ctx, user, tx, token, f), nil
			case "push":
				var pending *e.Object
				if pushID := tx.Str("pushTransactionId"); tx.Str("factorId") == f.Str("id") && pushID != "" {
					pending = ctx.Ensure(ctx.State, "factorTransactions").Obj(pushID)
				}
				if pending != nil {
					result := pending.Str("factorResult")
					if result == "WAITING" && isPast(ctx, get(pending, "expiresAt")) {
						result = "TIMEOUT"
					}
					switch result {
					case "SUCCESS":
						return authnFactorVerified(ctx, user, tx, token, f), nil
					case "WAITING":
						return authnChallenge(ctx, user, token, f, "WAITING"), nil
					}
					// A rejected or timed-out push ends that challenge; verifying again sends a new one.
					authnSave(ctx, user, token, "status", "MFA_CHALLENGE", "factorId", f.Str("id"))
					return authnChallenge(ctx, user, token, f, result), nil
				}
				started, err := pushChallenge(ctx, f)
				if err != nil {
					return nil, err
				}
				poll := started.Body.(*e.Object).Obj("_links").Obj("poll").Str("href")
				pushID := poll[strings.LastIndex(poll, "/")+1:]
				authnSave(ctx, user, token, "status", "MFA_CHALLENGE", "factorId", f.Str("id"), "pushTransactionId", pushID)
				return authnChallenge(ctx, user, token, f, "WAITING"), nil
			}
			// Without a passCode the call sends one (Okta's Authentication API, "Verify SMS factor").
			if !b.Has("passCode") {
				sendCode(ctx, f, smsCallSeconds, true)
				authnSave(ctx, user, token, "status", "MFA_CHALLENGE", "factorId", f.Str("id"))
				return authnChallenge(ctx, user, token, f, ""), nil
			}
			if err := checkSentCode(ctx, f, get(b, "passCode")); err != nil {
				return nil, err
			}
			return authnFactorVerified(ctx, user, tx, token, f), nil
		},

		"enrollAuthnFactor": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			tx, user, token, err := requireAuthnTransaction(ctx, get(b, "stateToken"), []string{"MFA_ENROLL"})
			if err != nil {
				return nil, err
			}
			factorType := get(b, "factorType")
			provider := orDefault(b, "provider", "OKTA")
			allowed := false
			for _, f := range enrollableFactors(ctx, user) {
				if f.factorType == factorType && f.provider == provider {
					allowed = true
				}
			}
			if !allowed {
				return nil, enrollRefused("Factor not allowed for the user based on the Multifactor policy.")
			}
			existing, err := factorToReenroll(ctx, user, factorType.(string), provider.(string))
			if err != nil {
				return nil, err
			}
			input := b.Obj("profile")
			if input == nil {
				input = e.NewObject()
			}
			f, err := enrollmentOf(ctx, user, factorType.(string), provider.(string), input, false, true, smsCallSeconds, existing)
			if err != nil {
				return nil, err
			}
			ctx.Set(ctx.Ensure(ctx.State, "factors"), f.Str("id"), f)
			if f.Str("status") == "ACTIVE" {
				return authnFactorVerified(ctx, user, tx, token, f), nil
			}
			authnSave(ctx, user, token, "status", "MFA_ENROLL_ACTIVATE", "factorId", f.Str("id"))
			activate := ctx.BaseURL + "/api/v1/authn/factors/" + f.Str("id") + "/lifecycle/activate"
			return authnResult(ctx, user, token, e.NewObject("factor", factorJSON(ctx, f)), e.NewObject("next", authnLink(activate, "activate"))), nil
		},

		"activateAuthnFactor": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			tx, user, token, err := requireAuthnTransaction(ctx, get(b, "stateToken"), []string{"MFA_ENROLL_ACTIVATE"})
			if err != nil {
				return nil, err
			}
			f, err := requireFactor(ctx, user)
			if err != nil {
				return nil, err
			}
			if f.Str("id") != tx.Str("factorId") {
				return nil, notFound(ctx.Params["factorId"], "UserFactor")
			}
			if err := checkActivationCode(ctx, f, get(b, "passCode")); err != nil {
				return nil, err
			}
			ctx.Set(f, "status", "ACTIVE")
			ctx.Set(f, "lastUpdated", ctx.Now())
			return authnFactorVerified(ctx, user, tx, token, f), nil
		},

		"changeAuthnPassword": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			tx, user, token, err := requireAuthnTransaction(ctx, get(b, "stateToken"), []string{"PASSWORD_EXPIRED"})
			if err != nil {
				return nil, err
			}
			if old, sent := b.Get("oldPassword"); !sent || old != get(user, "password") {
				return nil, oktaErr("E0000014", causes("oldPassword: The credentials provided were incorrect."))
			}
			password, err := authnText(b, "newPassword")
			if err != nil {
				return nil, err
			}
			if err := setNewPassword(ctx, user, password); err != nil {
				return nil, err
			}
			setStatus(ctx, user, "ACTIVE")
			return afterPassword(ctx, user, authnHow{amr: tx.Arr("amr"), passwordVerifiedAt: ctx.Now(), relayState: txRelay(tx)}, token), nil
		},

		"resetAuthnPassword": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			tx, user, token, err := requireAuthnTransaction(ctx, get(b, "stateToken"), []string{"PASSWORD_RESET"})
			if err != nil {
				return nil, err
			}
			password, err := authnText(b, "newPassword")
			if err != nil {
				return nil, err
			}
			if err := setNewPassword(ctx, user, password); err != nil {
				return nil, err
			}
			// A new password ends recovery, an expired password and a lockout alike.
			setStatus(ctx, user, "ACTIVE")
			logEventExtra(ctx, logInput{eventType: "user.account.reset_password", displayMessage: "Reset password for user", target: []*e.Object{userTarget(user)}}, eventExtra{actor: userTarget(user)})
			return authnSucceed(ctx, user, authnHow{amr: []any{"pwd"}, passwordVerifiedAt: ctx.Now(), relayState: txRelay(tx)}, token), nil
		},

		"forgotAuthnPassword": func(ctx *e.Ctx) (*e.Result, error) {
			username, err := authnText(body(ctx), "username")
			if err != nil {
				return nil, err
			}
			user := userByLogin(ctx, username)
			if user != nil && get(user, "password") != nil && contains([]string{"ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"}, user.Str("status")) &&
				get(passwordRuleActions(ctx.State, user).Obj("selfServicePasswordReset"), "access") == "ALLOW" {
				issueRecoveryToken(ctx, user, "PASSWORD", secretToken(ctx, 20))
			}
			return recoveryChallenge("PASSWORD"), nil
		},

		"unlockAuthnAccount": func(ctx *e.Ctx) (*e.Result, error) {
			username, err := authnText(body(ctx), "username")
			if err != nil {
				return nil, err
			}
			user := userByLogin(ctx, username)
			if user != nil && user.Str("status") == "LOCKED_OUT" && get(passwordRuleActions(ctx.State, user).Obj("selfServiceUnlock"), "access") == "ALLOW" {
				issueRecoveryToken(ctx, user, "UNLOCK", secretToken(ctx, 20))
			}
			return recoveryChallenge("UNLOCK"), nil
		},

		"verifyRecoveryToken": func(ctx *e.Ctx) (*e.Result, error) {
			record, err := redeemRecoveryToken(ctx, get(body(ctx), "recoveryToken"))
			if err != nil {
				return nil, err
			}
			user := ctx.State.Obj("users").Obj(record.Str("userId"))
			token := authnSave(ctx, user, "", "status", "RECOVERY", "recoveryType", get(record, "recoveryType"))
			if user.Obj("recoveryQuestion") != nil {
				return recoveryQuestionResult(ctx, user, token), nil
			}
			return afterRecovery(ctx, user, token), nil
		},

		"answerRecoveryQuestion": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			_, user, token, err := requireAuthnTransaction(ctx, get(b, "stateToken"), []string{"RECOVERY"})
			if err != nil {
				return nil, err
			}
			question := user.Obj("recoveryQuestion")
			if question == nil || get(b, "answer") != get(question, "answer") {
				return nil, oktaErr("E0000087")
			}
			return afterRecovery(ctx, user, token), nil
		},

		"cancelAuthn": func(ctx *e.Ctx) (*e.Result, error) {
			tx, _, token, err := requireAuthnTransaction(ctx, get(body(ctx), "stateToken"), authnStatuses)
			if err != nil {
				return nil, err
			}
			endAuthnTransaction(ctx, token)
			out := e.NewObject()
			if v, has := tx.Get("relayState"); has {
				out.Set("relayState", v)
			}
			return ok(out)
		},
	}
}
