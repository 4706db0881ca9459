package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	e "twinverse/twins/goengine"
)

// passwordSettings are the settings of the PASSWORD policy that governs a user, over Okta's defaults.
type passwordSettings struct {
	minLength, minLowerCase, minUpperCase, minNumber, minSymbol float64
	excludeUsername                                             bool
	excludeAttributes                                           []string
	historyCount, minAgeMinutes                                 float64
}

func groupIDsOf(state *e.Object, userID string) map[string]bool {
	ids := map[string]bool{}
	members := state.Obj("groupMembers")
	for _, gid := range members.Keys() {
		if isMember(state, gid, userID) {
			ids[gid] = true
		}
	}
	for _, g := range values(state.Obj("groups")) {
		if g.Str("type") == "BUILT_IN" && jsString(get(g.Obj("profile"), "name")) == "Everyone" {
			ids[g.Str("id")] = true
		}
	}
	return ids
}

func strings_(list []any) []string {
	var out []string
	for _, v := range list {
		if s, isStr := v.(string); isStr {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// peopleMatch: whether a policy's or rule's people condition takes in the user.
func peopleMatch(conditions *e.Object, userID string, groups map[string]bool) bool {
	people := conditions.Obj("people")
	includeGroups := strings_(people.Obj("groups").Arr("include"))
	excludeGroups := strings_(people.Obj("groups").Arr("exclude"))
	includeUsers := strings_(people.Obj("users").Arr("include"))
	excludeUsers := strings_(people.Obj("users").Arr("exclude"))
	if contains(excludeUsers, userID) {
		return false
	}
	for _, g := range excludeGroups {
		if groups[g] {
			return false
		}
	}
	if len(includeGroups) == 0 && len(includeUsers) == 0 {
		return true
	}
	if contains(includeUsers, userID) {
		return true
	}
	for _, g := range includeGroups {
		if groups[g] {
			return true
		}
	}
	return false
}

func policiesOfType(state *e.Object, kind string) []*e.Object {
	var out []*e.Object
	for _, p := range values(state.Obj("policies")) {
		if p.Str("type") == kind {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		si, sj := get(out[i], "system") == true, get(out[j], "system") == true
		if si != sj {
			return !si
		}
		pi, _ := get(out[i], "priority").(float64)
		pj, _ := get(out[j], "priority").(float64)
		return pi < pj
	})
	return out
}

func settingsOf(state *e.Object, user *e.Object) passwordSettings {
	s := passwordSettings{minLength: 8, minLowerCase: 1, minUpperCase: 1, minNumber: 1, excludeUsername: true, historyCount: 4, excludeAttributes: []string{}}
	groups := groupIDsOf(state, user.Str("id"))
	var password *e.Object
	for _, p := range policiesOfType(state, "PASSWORD") {
		if p.Str("status") == "ACTIVE" && peopleMatch(p.Obj("conditions"), user.Str("id"), groups) {
			password = p.Obj("settings").Obj("password")
			break
		}
	}
	c := password.Obj("complexity")
	num := func(o *e.Object, k string, into *float64) {
		if v, isNum := get(o, k).(float64); isNum {
			*into = v
		}
	}
	num(c, "minLength", &s.minLength)
	num(c, "minLowerCase", &s.minLowerCase)
	num(c, "minUpperCase", &s.minUpperCase)
	num(c, "minNumber", &s.minNumber)
	num(c, "minSymbol", &s.minSymbol)
	if v, isBool := get(c, "excludeUsername").(bool); isBool {
		s.excludeUsername = v
	}
	if v := c.Arr("excludeAttributes"); v != nil {
		s.excludeAttributes = strings_(v)
	}
	age := password.Obj("age")
	num(age, "historyCount", &s.historyCount)
	num(age, "minAgeMinutes", &s.minAgeMinutes)
	return s
}

func countLabel(n float64, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf("at least %s %s", e.FormatNumber(n), many)
}

func passwordRequirements(s passwordSettings) string {
	parts := []string{"at least " + e.FormatNumber(s.minLength) + " characters"}
	if s.minLowerCase > 0 {
		parts = append(parts, countLabel(s.minLowerCase, "a lowercase letter", "lowercase letters"))
	}
	if s.minUpperCase > 0 {
		parts = append(parts, countLabel(s.minUpperCase, "an uppercase letter", "uppercase letters"))
	}
	if s.minNumber > 0 {
		parts = append(parts, countLabel(s.minNumber, "a number", "numbers"))
	}
	if s.minSymbol > 0 {
		parts = append(parts, countLabel(s.minSymbol, "a symbol", "symbols"))
	}
	if s.excludeUsername {
		parts = append(parts, "no parts of your username")
	}
	if contains(s.excludeAttributes, "firstName") {
		parts = append(parts, "does not include your first name")
	}
	if contains(s.excludeAttributes, "lastName") {
		parts = append(parts, "does not include your last name")
	}
	text := "Password requirements: " + strings.Join(parts, ", ") + "."
	if s.historyCount > 0 {
		text += " Your password cannot be any of your last " + e.FormatNumber(s.historyCount) + " passwords."
	}
	if s.minAgeMinutes > 0 {
		text += " At least " + e.FormatNumber(s.minAgeMinutes) + " minute(s) must have elapsed since you last changed your password."
	}
	return text
}

var (
	lowerRE     = regexp.MustCompile(`[a-z]`)
	upperRE     = regexp.MustCompile(`[A-Z]`)
	digitRE     = regexp.MustCompile(`\d`)
	symbolRE    = regexp.MustCompile(`[^A-Za-z0-9]`)
	localSplit  = regexp.MustCompile(`[,._#@-]`)
	domainSplit = regexp.MustCompile(`[,._#-]`)
)

func usernameParts(login string) []string {
	parts := strings.Split(jsLower(login), "@")
	local, domain := parts[0], ""
	if len(parts) > 1 {
		domain = parts[1]
	}
	all := localSplit.Split(local, -1)
	d := domainSplit.Split(domain, -1)
	all = append(all, d[:len(d)-1]...)
	var out []string
	for _, p := range all {
		if jsLen(p) >= 4 {
			out = append(out, p)
		}
	}
	return out
}

func meetsComplexity(s passwordSettings, user *e.Object, password string) bool {
	count := func(re *regexp.Regexp) float64 {
		n := 0
		for _, r := range password {
			if re.MatchString(string(r)) {
				n++
				if r >= 0x10000 && re == symbolRE {
					n++
				}
			}
		}
		return float64(n)
	}
	if float64(jsLen(password)) < s.minLength {
		return false
	}
	if count(lowerRE) < s.minLowerCase || count(upperRE) < s.minUpperCase || count(digitRE) < s.minNumber || count(symbolRE) < s.minSymbol {
		return false
	}
	lowered := jsLower(password)
	profile := user.Obj("profile")
	if s.excludeUsername {
		for _, part := range usernameParts(jsStringOr(get(profile, "login"), "")) {
			if strings.Contains(lowered, part) {
				return false
			}
		}
	}
	for _, attr := range s.excludeAttributes {
		if v, isStr := get(profile, attr).(string); isStr && jsLen(v) >= 3 && strings.Contains(lowered, jsLower(v)) {
			return false
		}
	}
	return true
}

// passwordChangeProblem: complexity, then history, then minimum age (twins/okta/model/policies.ts).
func passwordChangeProblem(ctx *e.Ctx, user *e.Object, password string) string {
	s := settingsOf(ctx.State, user)
	cause := "password: Password requirements were not met. " + passwordRequirements(s)
	if !meetsComplexity(s, user, password) {
		return cause
	}
	recent := append([]any{get(user, "password")}, ctx.State.Obj("passwordHistory").Arr(user.Str("id"))...)
	if float64(len(recent)) > s.historyCount {
		recent = recent[:int(s.historyCount)]
	}
	if s.historyCount > 0 {
		for _, p := range recent {
			if p == password {
				return "password: Password has been used too recently"
			}
		}
	}
	minAgeMs := s.minAgeMinutes * 60000
	if changed, isStr := get(user, "passwordChanged").(string); minAgeMs > 0 && get(user, "password") != nil && isStr && changed != "" {
		if t, err := e.ParseInstant(changed); err == nil && float64(ctx.Clock.NowMs()-t.UnixMilli()) < minAgeMs {
			return cause
		}
	}
	return ""
}

// rememberPassword keeps the password being replaced in the user's history.
func rememberPassword(ctx *e.Ctx, user *e.Object) {
	current, isStr := get(user, "password").(string)
	if !isStr {
		return
	}
	history := ctx.Ensure(ctx.State, "passwordHistory")
	list := append([]any{current}, history.Arr(user.Str("id"))...)
	if len(list) > 24 {
		list = list[:24]
	}
	ctx.Set(history, user.Str("id"), list)
}

// applyCredentials applies the password and recovery question a create or an edit sends, to a user not yet
// stored (a new one, or an edit's draft).
func applyCredentials(ctx *e.Ctx, user *e.Object, credentials *e.Object) error {
	if password := credentials.Obj("password"); truthy(get(credentials, "password")) && password != nil {
		if v, has := password.Get("value"); has {
			value := jsString(v)
			if problem := passwordChangeProblem(ctx, user, value); problem != "" {
				return validationFailed(problem)
			}
			rememberPassword(ctx, user)
			user.Set("password", value)
			user.Obj("credentials").Set("password", e.NewObject())
			user.Set("passwordChanged", ctx.Now())
		} else if truthy(get(password, "hash")) || truthy(get(password, "hook")) {
			user.Set("password", nil)
			user.Obj("credentials").Set("provider", e.NewObject("type", "IMPORT", "name", "IMPORT"))
			user.Obj("credentials").Set("password", e.NewObject())
			user.Set("passwordChanged", ctx.Now())
		}
	}
	recovery, has := credentials.Get("recovery_question")
	if !has || recovery == nil {
		return nil
	}
	r, _ := recovery.(*e.Object)
	// A user read back and sent whole (the SDK's update pattern) carries its question without the write-only answer.
	rq, rqHas := r.Get("question")
	sq, sqHas := user.Obj("recoveryQuestion").Get("question")
	if !r.Has("answer") && ((!rqHas && !sqHas) || (rqHas && sqHas && rq == sq)) {
		return nil
	}
	var cs []string
	q, qs := get(r, "question").(string)
	a, as := get(r, "answer").(string)
	if !qs || jsTrim(q) == "" {
		cs = append(cs, "recovery_question.question: The field cannot be left blank")
	}
	if !as || jsTrim(a) == "" {
		cs = append(cs, "recovery_question.answer: The field cannot be left blank")
	}
	if len(cs) > 0 {
		return validationFailed(cs...)
	}
	user.Set("recoveryQuestion", e.NewObject("question", q, "answer", a))
	user.Obj("credentials").Set("recovery_question", e.NewObject("question", q))
	return nil
}
