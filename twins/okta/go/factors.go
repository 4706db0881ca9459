package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"strings"

	e "twinverse/twins/goengine"
)

// A user's MFA factors, as twins/okta/model/factors.ts and api/user-factors.ts.

const (
	digitChars        = "0123456789"
	base64urlChars    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	base32Chars       = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	smsCallSeconds    = 300
	pushActivationSec = 600
	pushVerifySeconds = 300
	minAnswerLength   = 4
	totpStepSeconds   = 30
	totpDigits        = 6
)

// catalog is the factors this twin's org enables, in the order Okta's catalog lists them.
var catalog = [][2]string{
	{"question", "OKTA"}, {"token:software:totp", "OKTA"}, {"token:software:totp", "GOOGLE"},
	{"sms", "OKTA"}, {"call", "OKTA"}, {"email", "OKTA"}, {"push", "OKTA"},
}

var oktaFactorsByProvider = map[string][]string{
	"OKTA": {"question", "token:software:totp", "sms", "call", "email", "push", "signed_nonce"}, "GOOGLE": {"token:software:totp"},
	"YUBICO": {"token:hardware"}, "RSA": {"token"}, "SYMANTEC": {"token"}, "DUO": {"web"}, "FIDO": {"u2f", "webauthn"}, "CUSTOM": {"token:hotp"},
}

var securityQuestions = [][2]string{
	{"disliked_food", "What is the food you least liked as a child?"},
	{"name_of_first_plush_toy", "What is the name of your first stuffed animal?"},
	{"first_award", "What did you earn your first medal or award for?"},
	{"favorite_security_question", "What is your favorite security question?"},
	{"favorite_toy", "What is the toy/stuffed animal you liked the most as a kid?"},
	{"first_computer_game", "What was the first computer game you played?"},
	{"favorite_movie_quote", "What is your favorite movie quote?"},
	{"first_sports_team_mascot", "What was the mascot of the first sports team you played on?"},
	{"first_music_purchase", "What music album or song did you first purchase?"},
	{"favorite_art_piece", "What is your favorite piece of art?"},
	{"grandmother_favorite_desert", "What was your grandmother's favorite dessert?"},
	{"first_thing_cooked", "What was the first thing you learned to cook?"},
	{"childhood_dream_job", "What was your dream job as a child?"},
	{"first_kiss_location", "Where did you have your first kiss?"},
	{"place_where_significant_other_was_met", "Where did you meet your spouse/significant other?"},
	{"favorite_vacation_location", "Where did you go for your favorite vacation?"},
	{"new_years_two_thousand", "Where were you on New Year's Eve in the year 2000?"},
	{"favorite_speaker_actor", "Who is your favorite speaker/orator?"},
	{"favorite_book_movie_character", "Who is your favorite book/movie character?"},
	{"favorite_sports_player", "Who is your favorite sports player?"},
}

func sendsCode(factorType string) bool {
	return factorType == "sms" || factorType == "call" || factorType == "email"
}

func idPrefix(factorType, provider string) string {
	if factorType == "token:software:totp" {
		if provider == "GOOGLE" {
			return "uft"
		}
		return "ost"
	}
	return map[string]string{"sms": "sms", "call": "clf", "email": "emf", "question": "ufs", "push": "opf"}[factorType]
}

// factorsOf is the factors a user enrolled. Like the TypeScript twin's factor store, reading creates the
// collection in a state that has none (an older export), so both backends' states stay alike.
func factorsOf(ctx *e.Ctx, userID string) []*e.Object {
	return keep(values(ctx.Ensure(ctx.State, "factors")), func(f *e.Object) bool { return f.Str("userId") == userID })
}

// removeFactor unenrolls a factor, with its pending passcode and push transactions.
func removeFactor(ctx *e.Ctx, factorID string) {
	ctx.Delete(ctx.Ensure(ctx.State, "factors"), factorID)
	ctx.Delete(ctx.Ensure(ctx.State, "factorCodes"), factorID)
	transactions := ctx.Ensure(ctx.State, "factorTransactions")
	for _, id := range append([]string(nil), transactions.Keys()...) {
		if transactions.Obj(id).Str("factorId") == factorID {
			ctx.Delete(transactions, id)
		}
	}
}

func secondsFromNow(ctx *e.Ctx, seconds float64) string {
	return e.ISO(ctx.Clock.NowMs() + int64(seconds*1000))
}

// isPast: whether an instant has passed on the twin clock; a missing one has.
func isPast(ctx *e.Ctx, iso any) bool {
	s, isStr := iso.(string)
	if !isStr {
		return true
	}
	ms, valid := instantMs(s)
	return !valid || float64(ctx.Clock.NowMs()) >= ms
}

func enrollRefused(cause string) error {
	return oktaErr("E0000001", detail("factorEnrollRequest"), causes(cause))
}

func invalidPasscode(what string) error {
	return oktaErr("E0000068", causes("Your "+what+" doesn't match our records. Please try again."))
}

func wrongFactorStatus(cause string) error {
	return oktaErr("E0000001", detail("factor"), causes(cause))
}

// requireFactor is the user's factor the path names.
func requireFactor(ctx *e.Ctx, user *e.Object) (*e.Object, error) {
	factorID := ctx.Params["factorId"]
	f := ctx.Ensure(ctx.State, "factors").Obj(factorID)
	if f == nil || f.Str("userId") != user.Str("id") {
		return nil, notFound(factorID, "UserFactor")
	}
	return f, nil
}

func hintLink(href string, allow ...string) *e.Object {
	list := make([]any, len(allow))
	for i, a := range allow {
		list[i] = a
	}
	return e.NewObject("href", href, "hints", e.NewObject("allow", list))
}

func factorURL(ctx *e.Ctx, f *e.Object) string {
	return ctx.BaseURL + "/api/v1/users/" + f.Str("userId") + "/factors/" + f.Str("id")
}

func qrCode(ctx *e.Ctx, f *e.Object) *e.Object {
	return e.NewObject("href", factorURL(ctx, f)+"/qr/"+f.Str("qrToken"), "type", "image/png")
}

func factorLinks(ctx *e.Ctx, f *e.Object) *e.Object {
	self := factorURL(ctx, f)
	user := ctx.BaseURL + "/api/v1/users/" + f.Str("userId")
	links := e.NewObject()
	pending := f.Str("status") == "PENDING_ACTIVATION"
	kind := f.Str("factorType")
	if pending && kind == "push" {
		links.Set("poll", hintLink(self+"/lifecycle/activate/poll", "POST"))
	} else if pending {
		links.Set("activate", hintLink(self+"/lifecycle/activate", "POST"))
	}
	if pending && sendsCode(kind) {
		resend := e.NewObject("name", kind)
		l := hintLink(self+"/resend", "POST")
		resend.Set("href", get(l, "href"))
		resend.Set("hints", get(l, "hints"))
		links.Set("resend", []any{resend})
	}
	if !pending && kind == "question" {
		links.Set("questions", hintLink(user+"/factors/questions", "GET"))
	} else if !pending {
		links.Set("verify", hintLink(self+"/verify", "POST"))
	}
	if pending {
		links.Set("self", hintLink(self, "GET"))
	} else {
		links.Set("self", hintLink(self, "GET", "DELETE"))
	}
	links.Set("user", hintLink(user, "GET"))
	return links
}

func namedLink(name, href string, allow ...string) *e.Object {
	l := hintLink(href, allow...)
	return e.NewObject("name", name, "href", get(l, "href"), "hints", get(l, "hints"))
}

func pushActivationLinks(ctx *e.Ctx, f *e.Object) *e.Object {
	self := factorURL(ctx, f)
	return e.NewObject("send", []any{namedLink("email", self+"/lifecycle/activate/email", "POST"), namedLink("sms", self+"/lifecycle/activate/sms", "POST")}, "qrcode", qrCode(ctx, f))
}

func activationOf(ctx *e.Ctx, f *e.Object) *e.Object {
	if f.Str("status") != "PENDING_ACTIVATION" {
		return nil
	}
	switch f.Str("factorType") {
	case "token:software:totp":
		return e.NewObject("timeStep", float64(totpStepSeconds), "sharedSecret", get(f, "sharedSecret"), "encoding", "base32", "keyLength", float64(totpDigits), "_links", e.NewObject("qrcode", qrCode(ctx, f)))
	case "push":
		result := "WAITING"
		if isPast(ctx, get(f, "activationExpiresAt")) {
			result = "TIMEOUT"
		}
		return e.NewObject("expiresAt", get(f, "activationExpiresAt"), "factorResult", result, "_links", pushActivationLinks(ctx, f))
	}
	return nil
}

// factorJSON is a factor as Okta returns it, with its links and, while pending, what finishing enrollment needs.
func factorJSON(ctx *e.Ctx, f *e.Object) *e.Object {
	out := e.NewObject()
	for _, k := range []string{"id", "factorType", "provider", "vendorName", "status", "created", "lastUpdated"} {
		out.Set(k, get(f, k))
	}
	// Okta Verify shows its device profile only once the device completes enrollment.
	if !(f.Str("factorType") == "push" && f.Str("status") == "PENDING_ACTIVATION") {
		out.Set("profile", shallow(f.Obj("profile")))
	}
	out.Set("_links", factorLinks(ctx, f))
	if a := activationOf(ctx, f); a != nil {
		out.Set("_embedded", e.NewObject("activation", a))
	}
	return out
}

func base32Decode(text string) []byte {
	var out []byte
	bits, value := 0, 0
	for _, c := range jsUpper(strings.TrimRight(text, "=")) {
		value = (value << 5) | strings.IndexRune(base32Chars, c)
		bits += 5
		if bits >= 8 {
			out = append(out, byte((value>>(bits-8))&0xff))
			bits -= 8
		}
	}
	return out
}

// totpCode is the RFC 6238 passcode (HMAC-SHA1, 6 digits) of a base32 secret for one time step.
func totpCode(secret string, step int64) string {
	counter := make([]byte, 8)
	binary.BigEndian.PutUint64(counter, uint64(step))
	mac := hmac.New(sha1.New, base32Decode(secret))
	mac.Write(counter)
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	code := (uint32(sum[offset])&0x7f)<<24 | uint32(sum[offset+1])<<16 | uint32(sum[offset+2])<<8 | uint32(sum[offset+3])
	return fmt.Sprintf("%06d", code%1000000)
}

// checkActivationCode checks the passCode that activates a factor: a TOTP code for a TOTP factor, else the code
// sent to it.
func checkActivationCode(ctx *e.Ctx, f *e.Object, passCode any) error {
	if f.Str("factorType") == "token:software:totp" {
		return checkTotp(ctx, f, passCode)
	}
	return checkSentCode(ctx, f, passCode)
}

// checkTotp accepts the passcode of the current time step or one step either side, each step's code once.
func checkTotp(ctx *e.Ctx, f *e.Object, passCode any) error {
	now := int64(math.Floor(float64(ctx.Clock.NowMs()) / 1000 / totpStepSeconds))
	found := int64(0)
	matched := false
	for _, step := range []int64{now - 1, now, now + 1} {
		if totpCode(f.Str("sharedSecret"), step) == passCode {
			found, matched = step, true
			break
		}
	}
	if !matched {
		return invalidPasscode("passcode")
	}
	if last, has := get(f, "lastTotpStep").(float64); has && float64(found) <= last {
		return oktaErr("E0000082")
	}
	ctx.Set(f, "lastTotpStep", float64(found))
	return nil
}

// sendCode "sends" a fresh one-time passcode: voice calls read 5 digits, SMS and email carry 6. `live` says
// whether the factor is already stored (its writes are then recorded).
func sendCode(ctx *e.Ctx, f *e.Object, lifetime float64, live bool) {
	length := 6
	if f.Str("factorType") == "call" {
		length = 5
	}
	ctx.Set(ctx.Ensure(ctx.State, "factorCodes"), f.Str("id"), ctx.IDs.Token(length, digitChars))
	if live {
		ctx.Set(f, "passCodeExpiresAt", secondsFromNow(ctx, lifetime))
	} else {
		f.Set("passCodeExpiresAt", secondsFromNow(ctx, lifetime))
	}
}

func checkSentCode(ctx *e.Ctx, f *e.Object, passCode any) error {
	codes := ctx.Ensure(ctx.State, "factorCodes")
	sent, has := codes.Get(f.Str("id"))
	if !has || passCode != sent || isPast(ctx, get(f, "passCodeExpiresAt")) {
		return invalidPasscode("passcode")
	}
	ctx.Delete(codes, f.Str("id"))
	ctx.Delete(f, "passCodeExpiresAt")
	return nil
}

func passcodeLifetime(f *e.Object, tokenLifetime float64) float64 {
	if f.Str("factorType") == "email" {
		return tokenLifetime
	}
	return smsCallSeconds
}

var (
	phoneSeparators = regexp.MustCompile(`[` + jsSpace + `().-]`)
	e164            = regexp.MustCompile(`^\+[1-9]\d{6,14}$`)
	nationalNumber  = regexp.MustCompile(`^1?(\d{10})$`)
	dialable        = regexp.MustCompile(`^[2-9]\d{2}[2-9]\d{6}$`)
	nonDigits       = regexp.MustCompile(`\D`)
)

// normalizePhone is a phone number as Okta keeps it, or "" when Okta refuses it (twins/okta/model/factors.ts).
func normalizePhone(value any) string {
	s, isStr := value.(string)
	if !isStr {
		return ""
	}
	compact := phoneSeparators.ReplaceAllString(s, "")
	if strings.HasPrefix(compact, "+") {
		if e164.MatchString(compact) {
			return s
		}
		return ""
	}
	m := nationalNumber.FindStringSubmatch(compact)
	if m == nil || !dialable.MatchString(m[1]) {
		return ""
	}
	if area := m[1][:3]; area == "555" || area[1:] == "11" {
		return ""
	}
	return "+1" + m[1]
}

func phoneProfile(input *e.Object, existing *e.Object, updatePhone bool) (*e.Object, error) {
	phone := normalizePhone(firstOf(get(input, "phoneNumber"), get(existing.Obj("profile"), "phoneNumber")))
	if phone == "" {
		return nil, enrollRefused("Invalid Phone Number.")
	}
	if existing != nil && get(existing.Obj("profile"), "phoneNumber") != phone && !updatePhone {
		return nil, enrollRefused("There is an existing verified phone number.")
	}
	profile := e.NewObject("phoneNumber", phone)
	if ext := get(input, "phoneExtension"); ext != nil {
		profile.Set("phoneExtension", jsString(ext))
	}
	return profile, nil
}

func emailProfile(user *e.Object, input *e.Object) (*e.Object, error) {
	email := jsStringOr(firstOf(get(input, "email"), get(user.Obj("profile"), "email")), "")
	known := false
	for _, k := range []string{"email", "secondEmail"} {
		if v := get(user.Obj("profile"), k); truthy(v) && jsLower(jsString(v)) == jsLower(email) {
			known = true
		}
	}
	if !known {
		return nil, oktaErr("E0000001", summary("Api validation failed: Only verified primary or secondary email can be enrolled."))
	}
	return e.NewObject("email", email), nil
}

func questionText(key any) (string, bool) {
	for _, q := range securityQuestions {
		if q[0] == key {
			return q[1], true
		}
	}
	return "", false
}

// enrollmentOf builds the factor an enrollment asks for; a pending enrollment of the same factor restarts under its id.
func enrollmentOf(ctx *e.Ctx, user *e.Object, factorType, provider string, input *e.Object, activate, updatePhone bool, tokenLifetime float64, existing *e.Object) (*e.Object, error) {
	now := ctx.Now()
	id := ""
	created := any(now)
	if existing != nil {
		id, created = existing.Str("id"), get(existing, "created")
	} else {
		id = oktaID(ctx, idPrefix(factorType, provider))
	}
	f := e.NewObject("id", id, "userId", user.Str("id"), "factorType", factorType, "provider", provider, "vendorName", provider,
		"status", "PENDING_ACTIVATION", "created", created, "lastUpdated", now, "profile", e.NewObject())
	login := get(user.Obj("profile"), "login")
	switch factorType {
	case "sms", "call":
		p, err := phoneProfile(input, existing, updatePhone)
		if err != nil {
			return nil, err
		}
		f.Set("profile", p)
	case "email":
		p, err := emailProfile(user, input)
		if err != nil {
			return nil, err
		}
		f.Set("profile", p)
	case "question":
		text, known := questionText(get(input, "question"))
		answer, isStr := get(input, "answer").(string)
		if !known || !isStr {
			return nil, enrollRefused("Invalid Profile.")
		}
		if jsLen(jsTrim(answer)) < minAnswerLength {
			return nil, enrollRefused("The security question answer must be at least 4 characters in length")
		}
		f.Set("profile", e.NewObject("question", get(input, "question"), "questionText", text))
		f.Set("answer", answer)
		// A security question needs no activation (Okta's enrollFactor).
		f.Set("status", "ACTIVE")
	case "token:software:totp":
		f.Set("profile", e.NewObject("credentialId", login))
		f.Set("sharedSecret", ctx.IDs.Token(16, base32Chars))
		f.Set("qrToken", "00"+ctx.IDs.Token(40, base64urlChars))
	case "push":
		f.Set("profile", e.NewObject("credentialId", login))
		f.Set("qrToken", "00"+ctx.IDs.Token(40, base64urlChars))
		f.Set("activationExpiresAt", secondsFromNow(ctx, pushActivationSec))
	}
	// activate=true skips the activation passcode for sms, call and email only.
	if sendsCode(factorType) && activate {
		f.Set("status", "ACTIVE")
	}
	if f.Str("status") == "PENDING_ACTIVATION" && sendsCode(factorType) {
		sendCode(ctx, f, passcodeLifetime(f, tokenLifetime), false)
	}
	return f, nil
}

// factorToReenroll is the user's factor of this type and provider that a new enrollment takes over (nil when there
// is none); one that is ACTIVE refuses the enrollment.
func factorToReenroll(ctx *e.Ctx, user *e.Object, factorType, provider string) (*e.Object, error) {
	for _, f := range factorsOf(ctx, user.Str("id")) {
		if f.Str("factorType") == factorType && f.Str("provider") == provider {
			if f.Str("status") == "ACTIVE" {
				return nil, enrollRefused("A factor of this type is already set up.")
			}
			return f, nil
		}
	}
	return nil, nil
}

func classicFactorKey(factorType, provider string) string {
	if factorType == "token:software:totp" {
		if provider == "GOOGLE" {
			return "google_otp"
		}
		return "okta_otp"
	}
	if k, found := map[string]string{"sms": "okta_sms", "call": "okta_call", "email": "okta_email", "question": "okta_question", "push": "okta_push"}[factorType]; found {
		return k
	}
	return factorType
}

func authenticatorKey(factorType, provider string) string {
	if factorType == "token:software:totp" {
		if provider == "GOOGLE" {
			return "google_otp"
		}
		return "okta_verify"
	}
	if k, found := map[string]string{"sms": "phone_number", "call": "phone_number", "email": "okta_email", "question": "security_question", "push": "okta_verify"}[factorType]; found {
		return k
	}
	return factorType
}

// factorEnrollment is what the governing MFA enrollment policy says of a factor: REQUIRED, OPTIONAL or NOT_ALLOWED.
func factorEnrollment(state, user *e.Object, factorType, provider string) string {
	groups := groupIDsOf(state, user.Str("id"))
	var settings *e.Object
	found := false
	for _, p := range policiesOfType(state, "MFA_ENROLL") {
		if p.Str("status") == "ACTIVE" && peopleMatch(p.Obj("conditions"), user.Str("id"), groups) {
			settings, found = p.Obj("settings"), true
			break
		}
	}
	if !found || settings == nil {
		return "OPTIONAL"
	}
	if settings.Str("type") == "AUTHENTICATORS" {
		for _, v := range settings.Arr("authenticators") {
			if a, isObj := v.(*e.Object); isObj && a.Str("key") == authenticatorKey(factorType, provider) {
				if s, isStr := get(a.Obj("enroll"), "self").(string); isStr {
					return s
				}
				return "NOT_ALLOWED"
			}
		}
		return "NOT_ALLOWED"
	}
	status := settings.Obj("factors").Obj(classicFactorKey(factorType, provider)).Obj("enroll").Str("self")
	if status == "REQUIRED" || status == "OPTIONAL" {
		return status
	}
	return "NOT_ALLOWED"
}

func factorEnabled(state *e.Object, factorType, provider string) bool {
	authenticators := state.Obj("authenticators")
	if authenticators == nil {
		return true
	}
	key := authenticatorKey(factorType, provider)
	for _, a := range values(authenticators) {
		if a.Str("key") == key && a.Str("status") == "ACTIVE" {
			return true
		}
	}
	return false
}

func enrollmentRefusal(state, user *e.Object, factorType, provider string) string {
	if !factorEnabled(state, factorType, provider) {
		return "Factor not enabled."
	}
	if factorEnrollment(state, user, factorType, provider) == "NOT_ALLOWED" {
		return "Factor not allowed for the user based on the Multifactor policy."
	}
	return ""
}

func checkEnrollable(factorType, provider string) error {
	offered, known := oktaFactorsByProvider[provider]
	if !known {
		return enrollRefused("Invalid Provider.")
	}
	for _, c := range catalog {
		if c[0] == factorType && c[1] == provider {
			return nil
		}
	}
	if contains(offered, factorType) {
		return enrollRefused("Factor not enabled.")
	}
	return enrollRefused("Factor not allowed for the user based on the Multifactor policy.")
}

func factorTarget(f *e.Object) *e.Object {
	return e.NewObject("id", f.Str("id"), "type", "Factor", "alternateId", get(f, "factorType"), "displayName", get(f, "vendorName"), "detailEntry", nil)
}

func verified(ctx *e.Ctx, user, f *e.Object) (*e.Result, error) {
	logEventAs(ctx, logInput{"user.authentication.auth_via_mfa", "Authentication of user via MFA", []*e.Object{userTarget(user), factorTarget(f)}}, userTarget(user))
	return ok(e.NewObject("factorResult", "SUCCESS"))
}

func logFactor(ctx *e.Ctx, user, f *e.Object, action string) {
	message := "Reset factor for user"
	if action == "activate" {
		message = "Activate factor for user"
	}
	logEvent(ctx, logInput{"user.mfa.factor." + action, message, []*e.Object{userTarget(user), factorTarget(f)}})
}

func factorUser(ctx *e.Ctx) (*e.Object, error) {
	ref := ctx.Params["userId"]
	if ref == "" {
		ref = ctx.Params["id"]
	}
	return findUser(ctx, ref)
}

func manageableUser(ctx *e.Ctx) (*e.Object, error) {
	user, err := factorUser(ctx)
	if err != nil {
		return nil, err
	}
	if user.Str("status") == "DEPROVISIONED" {
		return nil, oktaErr("E0000038")
	}
	return user, nil
}

func pushActivation(ctx *e.Ctx, f *e.Object) (*e.Result, error) {
	self := factorURL(ctx, f)
	if f.Str("status") == "ACTIVE" {
		return ok(factorJSON(ctx, f))
	}
	if isPast(ctx, get(f, "activationExpiresAt")) {
		return ok(e.NewObject("factorResult", "TIMEOUT", "_links", e.NewObject("activate", hintLink(self+"/lifecycle/activate", "POST"))))
	}
	links := e.NewObject("poll", hintLink(self+"/lifecycle/activate", "POST"))
	push := pushActivationLinks(ctx, f)
	for _, k := range push.Keys() {
		links.Set(k, get(push, k))
	}
	return ok(e.NewObject("expiresAt", get(f, "activationExpiresAt"), "factorResult", "WAITING", "_links", links))
}

func transactionURL(ctx *e.Ctx, f *e.Object, transactionID string) string {
	return factorURL(ctx, f) + "/transactions/" + transactionID
}

func pushChallenge(ctx *e.Ctx, f *e.Object) (*e.Result, error) {
	id := "v2mst." + ctx.IDs.Token(22, base64urlChars)
	t := e.NewObject("id", id, "userId", get(f, "userId"), "factorId", get(f, "id"), "created", ctx.Now(), "expiresAt", secondsFromNow(ctx, pushVerifySeconds), "factorResult", "WAITING")
	ctx.Set(ctx.Ensure(ctx.State, "factorTransactions"), id, t)
	poll := transactionURL(ctx, f, id)
	return &e.Result{Status: 201, Headers: e.Headers{}, Body: e.NewObject("expiresAt", get(t, "expiresAt"), "factorResult", "WAITING", "_links", e.NewObject("poll", hintLink(poll, "GET"), "cancel", hintLink(poll, "DELETE")))}, nil
}

func factorHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listFactors": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := factorUser(ctx)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, f := range factorsOf(ctx, user.Str("id")) {
				out = append(out, factorJSON(ctx, f))
			}
			return ok(out)
		},
		"listSupportedFactors": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := factorUser(ctx)
			if err != nil {
				return nil, err
			}
			enrolled := factorsOf(ctx, user.Str("id"))
			factorsURL := ctx.BaseURL + "/api/v1/users/" + user.Str("id") + "/factors"
			out := []any{}
			for _, c := range catalog {
				if enrollmentRefusal(ctx.State, user, c[0], c[1]) != "" {
					continue
				}
				status := any("NOT_SETUP")
				for _, f := range enrolled {
					if f.Str("factorType") == c[0] && f.Str("provider") == c[1] {
						status = get(f, "status")
						break
					}
				}
				links := e.NewObject()
				if c[0] == "question" {
					links.Set("questions", hintLink(factorsURL+"/questions", "GET"))
				}
				if status != "ACTIVE" {
					links.Set("enroll", hintLink(factorsURL, "POST"))
				}
				out = append(out, e.NewObject("factorType", c[0], "provider", c[1], "vendorName", c[1], "enrollment", factorEnrollment(ctx.State, user, c[0], c[1]), "status", status, "_links", links))
			}
			return ok(out)
		},
		"listSupportedSecurityQuestions": func(ctx *e.Ctx) (*e.Result, error) {
			if _, err := factorUser(ctx); err != nil {
				return nil, err
			}
			out := []any{}
			for _, q := range securityQuestions {
				out = append(out, e.NewObject("question", q[0], "questionText", q[1]))
			}
			return ok(out)
		},
		"enrollFactor": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := manageableUser(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			factorType := jsStringOr(get(b, "factorType"), "undefined")
			provider := jsString(firstOf(get(b, "provider"), "OKTA"))
			if err := checkEnrollable(factorType, provider); err != nil {
				return nil, err
			}
			if refusal := enrollmentRefusal(ctx.State, user, factorType, provider); refusal != "" {
				return nil, enrollRefused(refusal)
			}
			existing, err := factorToReenroll(ctx, user, factorType, provider)
			if err != nil {
				return nil, err
			}
			input := b.Obj("profile")
			if input == nil {
				input = e.NewObject()
			}
			lifetime, _ := qNumber(ctx, "tokenLifetimeSeconds")
			f, err := enrollmentOf(ctx, user, factorType, provider, input, qBool(ctx, "activate"), qBool(ctx, "updatePhone"), lifetime, existing)
			if err != nil {
				return nil, err
			}
			ctx.Set(ctx.Ensure(ctx.State, "factors"), f.Str("id"), f)
			if f.Str("status") == "ACTIVE" {
				logFactor(ctx, user, f, "activate")
			}
			return ok(factorJSON(ctx, f))
		},
		"getFactor": within(factorUser, requireFactor, func(ctx *e.Ctx, user, f *e.Object) (*e.Result, error) {
			return ok(factorJSON(ctx, f))
		}),
		"unenrollFactor": within(factorUser, requireFactor, func(ctx *e.Ctx, user, f *e.Object) (*e.Result, error) {
			if user.Str("status") == "DEPROVISIONED" {
				return nil, oktaErr("E0000038")
			}
			removeFactor(ctx, f.Str("id"))
			logFactor(ctx, user, f, "deactivate")
			// Unenrolling Okta Verify push also unenrolls Okta Verify TOTP (Okta's unenrollFactor).
			if f.Str("factorType") == "push" {
				for _, other := range factorsOf(ctx, user.Str("id")) {
					if other.Str("factorType") == "token:software:totp" && other.Str("provider") == "OKTA" {
						removeFactor(ctx, other.Str("id"))
					}
				}
			}
			return e.NoContent(), nil
		}),
		"activateFactor": within(manageableUser, requireFactor, func(ctx *e.Ctx, user, f *e.Object) (*e.Result, error) {
			if f.Str("factorType") == "push" {
				return pushActivation(ctx, f)
			}
			if f.Str("status") != "PENDING_ACTIVATION" {
				return nil, wrongFactorStatus("factor: The factor is already active.")
			}
			if err := checkActivationCode(ctx, f, get(body(ctx), "passCode")); err != nil {
				return nil, err
			}
			ctx.Set(f, "status", "ACTIVE")
			ctx.Set(f, "lastUpdated", ctx.Now())
			logFactor(ctx, user, f, "activate")
			return ok(factorJSON(ctx, f))
		}),
		"resendEnrollFactor": within(manageableUser, requireFactor, func(ctx *e.Ctx, user, f *e.Object) (*e.Result, error) {
			if !sendsCode(f.Str("factorType")) || f.Str("status") != "PENDING_ACTIVATION" {
				return nil, wrongFactorStatus("factor: Only a pending sms, call or email enrollment can be resent.")
			}
			b := body(ctx)
			if v, has := b.Get("factorType"); has && v != get(f, "factorType") {
				return nil, invalidFields([][2]string{{"factorType", "The factor is a " + f.Str("factorType") + " factor"}})
			}
			if v, has := b.Get("provider"); has && v != get(f, "provider") {
				return nil, invalidFields([][2]string{{"provider", "Invalid Provider."}})
			}
			if phone, has := b.Obj("profile").Get("phoneNumber"); has && f.Str("factorType") != "email" &&
				nonDigits.ReplaceAllString(normalizePhone(phone), "") != nonDigits.ReplaceAllString(jsStringOr(get(f.Obj("profile"), "phoneNumber"), ""), "") {
				return nil, invalidFields([][2]string{{"profile.phoneNumber", "The phone number is not the one being enrolled; enroll again with updatePhone=true to change it"}})
			}
			sendCode(ctx, f, smsCallSeconds, true)
			ctx.Set(f, "lastUpdated", ctx.Now())
			return ok(factorJSON(ctx, f))
		}),
		"verifyFactor": within(manageableUser, requireFactor, func(ctx *e.Ctx, user, f *e.Object) (*e.Result, error) {
			if f.Str("status") != "ACTIVE" {
				return nil, wrongFactorStatus("factor: The factor is not active.")
			}
			b := body(ctx)
			switch f.Str("factorType") {
			case "question":
				if get(b, "answer") != get(f, "answer") {
					return nil, invalidPasscode("answer")
				}
				return verified(ctx, user, f)
			case "token:software:totp":
				if err := checkTotp(ctx, f, get(b, "passCode")); err != nil {
					return nil, err
				}
				return verified(ctx, user, f)
			case "push":
				return pushChallenge(ctx, f)
			}
			// Without a passCode the call issues a challenge and sends a new code (Okta's verifyFactor).
			if !b.Has("passCode") {
				lifetime, _ := qNumber(ctx, "tokenLifetimeSeconds")
				sendCode(ctx, f, passcodeLifetime(f, lifetime), true)
				self := factorURL(ctx, f)
				out := e.NewObject("factorResult", "CHALLENGE")
				if f.Str("factorType") != "email" {
					out.Set("profile", shallow(f.Obj("profile")))
				}
				out.Set("_links", e.NewObject("verify", hintLink(self+"/verify", "POST"), "factor", hintLink(self, "GET", "DELETE")))
				return ok(out)
			}
			if err := checkSentCode(ctx, f, get(b, "passCode")); err != nil {
				return nil, err
			}
			return verified(ctx, user, f)
		}),
		"getFactorTransactionStatus": within(factorUser, requireFactor, func(ctx *e.Ctx, user, f *e.Object) (*e.Result, error) {
			t := ctx.Ensure(ctx.State, "factorTransactions").Obj(ctx.Params["transactionId"])
			if t == nil || t.Str("factorId") != f.Str("id") {
				return nil, notFound(ctx.Params["transactionId"], "Transaction")
			}
			result := t.Str("factorResult")
			if result == "WAITING" && isPast(ctx, get(t, "expiresAt")) {
				result = "TIMEOUT"
			}
			profile := e.NewObject("credentialId", get(f.Obj("profile"), "credentialId"))
			switch result {
			case "SUCCESS":
				return ok(e.NewObject("factorResult", "SUCCESS"))
			case "WAITING":
				poll := transactionURL(ctx, f, t.Str("id"))
				return ok(e.NewObject("expiresAt", get(t, "expiresAt"), "factorResult", "WAITING", "profile", profile, "_links", e.NewObject("poll", hintLink(poll, "GET"), "cancel", hintLink(poll, "DELETE"))))
			}
			self := factorURL(ctx, f)
			return ok(e.NewObject("factorResult", result, "profile", profile, "_links", e.NewObject("verify", hintLink(self+"/verify", "POST"), "factor", hintLink(self, "GET", "DELETE"))))
		}),
	}
}
