package main

import (
	"net/url"
	"regexp"
	"strings"

	e "twinverse/twins/goengine"
)

const oidc = "OPENID_CONNECT"

// pathApp is the app the path names.
func pathApp(ctx *e.Ctx) (*e.Object, error) { return requireApp(ctx, ctx.Params["appId"]) }

func requireApp(ctx *e.Ctx, id string) (*e.Object, error) {
	if a := ctx.State.Obj("apps").Obj(id); a != nil {
		return a, nil
	}
	return nil, notFound(id, "AppInstance")
}

func appLinkURL(base string, app *e.Object) string {
	id := app.Str("id")
	suffix := ""
	if len(id) > 3 {
		suffix = id[3:]
	}
	return base + "/home/" + jsString(get(app, "name")) + "/" + id + "/aln" + suffix
}

func appLogoURL(base string) string {
	return base + "/assets/img/logos/default.6770228fb0dab49a1695ef440a5279bb.png"
}

var expandUserRE = regexp.MustCompile(`^user/(` + jsDot + `+)$`)

// appJSON is an app as Okta returns it; the client secret shows only in the answers to create and replace.
func appJSON(ctx *e.Ctx, app *e.Object, secret bool, expand string) *e.Object {
	base := ctx.BaseURL
	out := e.CloneObj(app)
	if client := out.Obj("credentials").Obj("oauthClient"); client != nil && !secret {
		client.Delete("client_secret")
	}
	if m := expandUserRE.FindStringSubmatch(expand); m != nil {
		for _, appUser := range assignedUsers(ctx.State, app) {
			if appUser.Str("id") == m[1] {
				out.Set("_embedded", e.NewObject("user", appUserJSON(ctx, app, appUser, false)))
				break
			}
		}
	}
	lifecycle := "activate"
	if app.Str("status") == "ACTIVE" {
		lifecycle = "deactivate"
	}
	appLinks := []any{}
	for _, name := range app.Obj("visibility").Obj("appLinks").Keys() {
		appLinks = append(appLinks, e.NewObject("name", name, "href", appLinkURL(base, app), "type", "text/html"))
	}
	id := app.Str("id")
	out.Set("_links", e.NewObject(
		"uploadLogo", e.NewObject("href", base+"/api/v1/apps/"+id+"/logo", "hints", e.NewObject("allow", []any{"POST"})),
		"appLinks", appLinks,
		"groups", e.NewObject("href", base+"/api/v1/apps/"+id+"/groups"),
		"logo", []any{e.NewObject("name", "medium", "href", appLogoURL(base), "type", "image/png")},
		"users", e.NewObject("href", base+"/api/v1/apps/"+id+"/users"),
		lifecycle, e.NewObject("href", base+"/api/v1/apps/"+id+"/lifecycle/"+lifecycle),
	))
	return out
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// appName: oidc_client for OIDC apps, bookmark for bookmarks, else the one sent or one made from the label.
func appName(state *e.Object, b *e.Object) (string, error) {
	name, hasName := b.Get("name")
	if b.Str("signOnMode") == oidc {
		if hasName && name != "oidc_client" {
			return "", invalidFields([][2]string{{"name", "The name of an OPENID_CONNECT app must be 'oidc_client'"}})
		}
		return "oidc_client", nil
	}
	if hasName {
		return jsString(name), nil
	}
	if b.Str("signOnMode") == "BOOKMARK" {
		return "bookmark", nil
	}
	slug := slugRE.ReplaceAllString(jsLower(jsStringOr(get(b, "label"), "undefined")), "")
	if len(slug) > 40 {
		slug = slug[:40]
	}
	if slug == "" {
		slug = "app"
	}
	taken := map[string]bool{}
	for _, a := range values(state.Obj("apps")) {
		taken[jsString(get(a, "name"))] = true
	}
	subdomain := state.Obj("org").Str("subdomain")
	n := 1
	for taken[subdomain+"_"+slug+"_"+itoa(n)] {
		n++
	}
	return subdomain + "_" + slug + "_" + itoa(n), nil
}

func checkAppSettings(signOnMode string, settings *e.Object) error {
	required := map[string][]string{"BOOKMARK": {"url"}, "BASIC_AUTH": {"url", "authURL"}}[signOnMode]
	var problems [][2]string
	for _, f := range required {
		if !truthy(get(settings.Obj("app"), f)) {
			problems = append(problems, [2]string{"settings.app." + f, "The field cannot be left blank"})
		}
	}
	if len(problems) > 0 {
		return invalidFields(problems)
	}
	return nil
}

var vaultedModes = []string{"AUTO_LOGIN", "BASIC_AUTH", "BROWSER_PLUGIN", "SECURE_PASSWORD_STORE"}

func without(o *e.Object, key string) *e.Object {
	out := e.NewObject()
	for _, k := range o.Keys() {
		if k != key {
			out.Set(k, get(o, k))
		}
	}
	return out
}

func vaulted(credentials *e.Object) *e.Object {
	if !credentials.Has("password") {
		return credentials
	}
	out := without(credentials, "password")
	out.Set("password", e.NewObject())
	return out
}

func merge(into *e.Object, from *e.Object) *e.Object {
	for _, k := range from.Keys() {
		into.Set(k, get(from, k))
	}
	return into
}

func newCredentials(b *e.Object) *e.Object {
	sent := vaulted(without(b.Obj("credentials"), "oauthClient"))
	template := e.NewObject("template", "${source.login}", "type", "BUILT_IN")
	if !contains(vaultedModes, b.Str("signOnMode")) {
		return merge(e.NewObject("userNameTemplate", template, "signing", e.NewObject()), sent)
	}
	return merge(e.NewObject("scheme", "EDIT_USERNAME_AND_PASSWORD", "userNameTemplate", template, "revealPassword", false, "signing", e.NewObject()), sent)
}

func nullWhenEmpty(section any, keys []string) any {
	o, isObj := section.(*e.Object)
	if !isObj {
		return section
	}
	c := shallow(o)
	for _, k := range keys {
		if get(c, k) == "" && c.Has(k) {
			c.Set(k, nil)
		}
	}
	return c
}

func appSettings(section *e.Object) *e.Object {
	s := without(section, "oauthClient")
	if v, has := s.Get("signOn"); has {
		s.Set("signOn", nullWhenEmpty(v, []string{"defaultRelayState", "ssoAcsUrlOverride", "audienceOverride", "recipientOverride", "destinationOverride"}))
	}
	if v, has := s.Get("notes"); has {
		s.Set("notes", nullWhenEmpty(v, []string{"admin", "enduser"}))
	}
	return s
}

func appAccessibility(sent *e.Object) *e.Object {
	out := e.NewObject("selfService", false, "errorRedirectUrl", nil, "loginRedirectUrl", nil)
	if sent == nil {
		return out
	}
	if c, isObj := nullWhenEmpty(sent, []string{"errorRedirectUrl", "loginRedirectUrl"}).(*e.Object); isObj {
		merge(out, c)
	}
	return out
}

var allowedGrants = func() map[string][]string {
	oie := []string{"urn:okta:params:oauth:grant-type:otp", "urn:okta:params:oauth:grant-type:oob", "http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-oob"}
	saml := "urn:ietf:params:oauth:grant-type:saml2-bearer"
	tx := "urn:ietf:params:oauth:grant-type:token-exchange"
	jwt := "urn:ietf:params:oauth:grant-type:jwt-bearer"
	device := "urn:ietf:params:oauth:grant-type:device_code"
	return map[string][]string{
		"service": append([]string{"client_credentials", saml, tx, jwt}, oie...),
		"browser": append([]string{"authorization_code", "implicit", "refresh_token", "interaction_code", saml, tx}, oie...),
		"native":  append([]string{"authorization_code", "implicit", "password", "refresh_token", "interaction_code", saml, device, tx, jwt}, oie...),
		"web":     append([]string{"authorization_code", "implicit", "password", "refresh_token", "client_credentials", "interaction_code", saml, device, tx, jwt, "urn:openid:params:grant-type:ciba"}, oie...),
	}
}()

const secretAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

func firstOf(vals ...any) any {
	for _, v := range vals {
		if v != nil {
			return v
		}
	}
	return nil
}

func isRedirectURI(uri string, wildcard any) bool {
	raw := uri
	if wildcard == "SUBDOMAIN" {
		raw = strings.Replace(uri, "*", "wildcard", 1)
	}
	u, err := url.Parse(raw)
	return err == nil && u.Scheme != "" && u.Fragment == "" && !strings.Contains(uri, "#")
}

// oauthClientOf is the OAuth client of an OIDC app, with Okta's defaults and checks (app-oauth-client.ts).
func oauthClientOf(ctx *e.Ctx, appID string, b *e.Object, previous *e.Object) (*e.Object, *e.Object, error) {
	sentSettings := b.Obj("settings").Obj("oauthClient")
	sentCredentials := b.Obj("credentials").Obj("oauthClient")
	if sentCredentials == nil {
		sentCredentials = e.NewObject()
	}
	before := previous.Obj("credentials").Obj("oauthClient")
	if sentSettings == nil && previous == nil {
		return nil, nil, invalidFields([][2]string{{"settings.oauthClient", "The field cannot be left blank"}})
	}
	source := sentSettings
	if source == nil {
		source = previous.Obj("settings").Obj("oauthClient")
	}
	settings := shallow(source)
	kind := jsStringOr(get(settings, "application_type"), "web")
	defaultGrant := "authorization_code"
	if kind == "service" {
		defaultGrant = "client_credentials"
	}
	grants := strings_(settings.Arr("grant_types"))
	if !settings.Has("grant_types") || get(settings, "grant_types") == nil {
		grants = []string{defaultGrant}
	}
	defaultMethod := "client_secret_basic"
	if kind == "browser" {
		defaultMethod = "none"
	}
	method := jsString(firstOf(get(sentCredentials, "token_endpoint_auth_method"), get(before, "token_endpoint_auth_method"), defaultMethod))
	pkce := firstOf(get(sentCredentials, "pkce_required"), get(before, "pkce_required"), kind == "browser" || kind == "native")
	redirects := strings_(settings.Arr("redirect_uris"))
	var problems [][2]string
	if len(grants) == 0 {
		problems = append(problems, [2]string{"settings.oauthClient.grant_types", "The field cannot be left blank"})
	}
	for _, g := range grants {
		if !contains(allowedGrants[kind], g) {
			problems = append(problems, [2]string{"settings.oauthClient.grant_types", "'" + g + "' is not a valid grant type for the '" + kind + "' application type"})
		}
	}
	if (contains(grants, "authorization_code") || contains(grants, "implicit")) && len(redirects) == 0 {
		problems = append(problems, [2]string{"settings.oauthClient.redirect_uris", "At least one redirect URI is required for the authorization_code and implicit grant types"})
	}
	for _, uri := range redirects {
		if !isRedirectURI(uri, get(settings, "wildcard_redirect")) {
			problems = append(problems, [2]string{"settings.oauthClient.redirect_uris", "'" + uri + "' is not an absolute URI without a fragment"})
		}
	}
	if method == "none" && contains(grants, "client_credentials") {
		problems = append(problems, [2]string{"credentials.oauthClient.token_endpoint_auth_method", "The client_credentials grant type requires client authentication; 'none' is not allowed"})
	}
	if method == "none" && kind == "web" && contains(grants, "authorization_code") {
		problems = append(problems, [2]string{"credentials.oauthClient.token_endpoint_auth_method", "A web app using the authorization_code grant cannot use 'none'"})
	}
	if method == "none" && pkce == false {
		problems = append(problems, [2]string{"credentials.oauthClient.pkce_required", "PKCE is required when token_endpoint_auth_method is 'none'"})
	}
	clientID := jsString(firstOf(get(before, "client_id"), get(sentCredentials, "client_id"), appID))
	if previous == nil {
		for _, a := range values(ctx.State.Obj("apps")) {
			if get(a.Obj("credentials").Obj("oauthClient"), "client_id") == clientID {
				problems = append(problems, [2]string{"credentials.oauthClient.client_id", "An object with this field already exists in the current organization"})
				break
			}
		}
	}
	if len(problems) > 0 {
		return nil, nil, invalidFields(problems)
	}
	credentials := e.NewObject("autoKeyRotation", firstOf(get(sentCredentials, "autoKeyRotation"), get(before, "autoKeyRotation"), true), "client_id", clientID)
	if contains([]string{"client_secret_basic", "client_secret_post", "client_secret_jwt"}, method) {
		secret := firstOf(get(sentCredentials, "client_secret"), get(before, "client_secret"))
		if secret == nil {
			secret = ctx.IDs.Token(64, secretAlphabet)
		}
		credentials.Set("client_secret", secret)
	}
	credentials.Set("token_endpoint_auth_method", method)
	credentials.Set("pkce_required", pkce)
	responseTypes := get(settings, "response_types")
	if responseTypes == nil {
		var types []any
		if contains(grants, "authorization_code") {
			types = append(types, "code")
		}
		if contains(grants, "implicit") {
			types = append(types, "token", "id_token")
		}
		if len(types) == 0 {
			types = []any{"token"}
		}
		responseTypes = types
	}
	out := e.NewObject("consent_method", "TRUSTED", "issuer_mode", "ORG_URL", "idp_initiated_login", e.NewObject("mode", "DISABLED", "default_scope", []any{}), "wildcard_redirect", "DISABLED", "dpop_bound_access_tokens", false)
	merge(out, settings)
	redirectList := make([]any, len(redirects))
	for i, r := range redirects {
		redirectList[i] = r
	}
	grantList := make([]any, len(grants))
	for i, g := range grants {
		grantList[i] = g
	}
	out.Set("redirect_uris", redirectList)
	out.Set("response_types", responseTypes)
	out.Set("grant_types", grantList)
	out.Set("application_type", kind)
	if contains(grants, "refresh_token") && !truthy(get(settings, "refresh_token")) {
		rotation := "STATIC"
		if kind == "browser" {
			rotation = "ROTATE"
		}
		out.Set("refresh_token", e.NewObject("rotation_type", rotation, "leeway", float64(30)))
	}
	return credentials, out, nil
}

func setAppStatus(ctx *e.Ctx, status string) (*e.Result, error) {
	app, err := requireApp(ctx, ctx.Params["appId"])
	if err != nil {
		return nil, err
	}
	if app.Str("status") != status {
		ctx.Set(app, "status", status)
		ctx.Set(app, "lastUpdated", ctx.Now())
		action, verb := "deactivate", "Deactivate"
		if status == "ACTIVE" {
			action, verb = "activate", "Activate"
		}
		logEvent(ctx, logInput{"application.lifecycle." + action, verb + " application", []*e.Object{appTarget(app)}})
	}
	return ok(e.NewObject())
}

func appHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listApplications": func(ctx *e.Ctx) (*e.Result, error) {
			apps := values(ctx.State.Obj("apps"))
			if q, has := qString(ctx, "q"); has {
				needle := jsLower(q)
				apps = keep(apps, func(a *e.Object) bool {
					return strings.HasPrefix(jsLower(jsStringOr(get(a, "name"), "undefined")), needle) || strings.HasPrefix(jsLower(jsStringOr(get(a, "label"), "undefined")), needle)
				})
			}
			if filter, has := qString(ctx, "filter"); has {
				m, err := compileFilter(filter, appFilterRules(ctx.State))
				if err != nil {
					return nil, err
				}
				apps = keep(apps, m)
			}
			limit := 20
			if l, _ := qNumber(ctx, "limit"); l > 0 {
				limit = int(min(l, 200))
			}
			after, hasAfter := qString(ctx, "after")
			expand, _ := qString(ctx, "expand")
			return pagedJSON(ctx, apps, limit, after, hasAfter, func(a *e.Object) any { return appJSON(ctx, a, false, expand) })
		},
		"createApplication": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			id := oktaID(ctx, "0oa")
			now := ctx.Now()
			name, err := appName(ctx.State, b)
			if err != nil {
				return nil, err
			}
			isOIDC := b.Str("signOnMode") == oidc
			if err := checkAppSettings(b.Str("signOnMode"), b.Obj("settings")); err != nil {
				return nil, err
			}
			status := "INACTIVE"
			if qBool(ctx, "activate") {
				status = "ACTIVE"
			}
			linkName := "login"
			if isOIDC {
				linkName = name + "_link"
			}
			visibility := e.NewObject("autoLaunch", false, "autoSubmitToolbar", false, "hide", e.NewObject("iOS", isOIDC, "web", isOIDC), "appLinks", e.NewObject(linkName, true))
			merge(visibility, b.Obj("visibility"))
			settings := e.NewObject("app", e.NewObject(), "notifications", e.NewObject("vpn", e.NewObject("network", e.NewObject("connection", "DISABLED"), "message", nil, "helpUrl", nil)), "manualProvisioning", false, "implicitAssignment", false, "notes", e.NewObject("admin", nil, "enduser", nil))
			merge(settings, appSettings(b.Obj("settings")))
			app := e.NewObject(
				"id", id, "orn", "orn:okta:idp:"+ctx.State.Obj("org").Str("id")+":apps:"+name+":"+id, "name", name, "label", get(b, "label"),
				"status", status, "lastUpdated", now, "created", now, "accessibility", appAccessibility(b.Obj("accessibility")),
				"visibility", visibility, "features", []any{}, "signOnMode", get(b, "signOnMode"), "credentials", newCredentials(b), "settings", settings,
			)
			if v, has := b.Get("profile"); has {
				app.Set("profile", v)
			}
			if isOIDC {
				credentials, clientSettings, err := oauthClientOf(ctx, id, b, nil)
				if err != nil {
					return nil, err
				}
				signing := e.NewObject()
				if keys := ctx.State.Obj("oauth").Arr("signingKeys"); len(keys) > 0 {
					if k, isObj := keys[0].(*e.Object); isObj {
						if kid, has := k.Get("kid"); has {
							signing.Set("kid", kid)
						}
					}
				}
				merge(signing, b.Obj("credentials").Obj("signing"))
				app.Obj("credentials").Set("signing", signing)
				app.Obj("credentials").Set("oauthClient", credentials)
				app.Obj("settings").Set("oauthClient", clientSettings)
			}
			ctx.Set(ctx.State.Obj("apps"), id, app)
			logEvent(ctx, logInput{"application.lifecycle.create", "Add application", []*e.Object{appTarget(app)}})
			if status == "ACTIVE" {
				logEvent(ctx, logInput{"application.lifecycle.activate", "Activate application", []*e.Object{appTarget(app)}})
			}
			return ok(appJSON(ctx, app, true, ""))
		},
		"getApplication": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			expand, _ := qString(ctx, "expand")
			return ok(appJSON(ctx, app, false, expand))
		},
		"replaceApplication": func(ctx *e.Ctx) (*e.Result, error) {
			live, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			if get(b, "signOnMode") != get(live, "signOnMode") {
				return nil, invalidFields([][2]string{{"signOnMode", "The signOnMode of an app cannot change from " + jsString(get(live, "signOnMode"))}})
			}
			if truthy(get(b, "settings")) {
				if err := checkAppSettings(live.Str("signOnMode"), b.Obj("settings")); err != nil {
					return nil, err
				}
			}
			var clientCreds, clientSettings *e.Object
			if live.Str("signOnMode") == oidc {
				if clientCreds, clientSettings, err = oauthClientOf(ctx, live.Str("id"), b, live); err != nil {
					return nil, err
				}
			}
			app := e.CloneObj(live)
			app.Set("label", get(b, "label"))
			if truthy(get(b, "accessibility")) {
				app.Set("accessibility", appAccessibility(b.Obj("accessibility")))
			}
			if truthy(get(b, "visibility")) {
				app.Set("visibility", merge(shallow(app.Obj("visibility")), b.Obj("visibility")))
			}
			if truthy(get(b, "credentials")) {
				app.Set("credentials", merge(shallow(app.Obj("credentials")), vaulted(without(b.Obj("credentials"), "oauthClient"))))
			}
			if truthy(get(b, "settings")) {
				app.Set("settings", merge(shallow(app.Obj("settings")), appSettings(b.Obj("settings"))))
			}
			if v, has := b.Get("profile"); has {
				app.Set("profile", v)
			}
			if clientCreds != nil {
				app.Obj("credentials").Set("oauthClient", clientCreds)
				app.Obj("settings").Set("oauthClient", clientSettings)
			}
			app.Set("lastUpdated", ctx.Now())
			ctx.Set(ctx.State.Obj("apps"), app.Str("id"), app)
			logEvent(ctx, logInput{"application.lifecycle.update", "Update application", []*e.Object{appTarget(app)}})
			return ok(appJSON(ctx, app, true, ""))
		},
		"deleteApplication": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			if app.Str("status") == "ACTIVE" {
				return nil, oktaErr("E0000056", causes("The application must be deactivated before deletion."))
			}
			id := app.Str("id")
			ctx.Delete(ctx.State.Obj("apps"), id)
			ctx.Delete(ctx.State.Obj("appUsers"), id)
			ctx.Delete(ctx.State.Obj("appGroups"), id)
			oauth := ctx.State.Obj("oauth")
			if grants := oauth.Obj("appGrants"); grants != nil {
				ctx.Delete(grants, id)
			}
			if clientID, isStr := get(app.Obj("credentials").Obj("oauthClient"), "client_id").(string); isStr && clientID != "" {
				if roles := oauth.Obj("clientRoles"); roles != nil {
					ctx.Delete(roles, clientID)
				}
			}
			logEvent(ctx, logInput{"application.lifecycle.delete", "Delete application", []*e.Object{appTarget(app)}})
			return e.NoContent(), nil
		},
		"activateApplication":   func(ctx *e.Ctx) (*e.Result, error) { return setAppStatus(ctx, "ACTIVE") },
		"deactivateApplication": func(ctx *e.Ctx) (*e.Result, error) { return setAppStatus(ctx, "INACTIVE") },
	}
}

func appFilterRules(state *e.Object) filterRules {
	props := []string{"id", "name", "status", "user.id", "group.id", "credentials.signing.kid", "settings.slo.enabled"}
	return filterRules{
		supports: func(p, op string) bool { return op == "eq" && contains(props, p) },
		read: func(app *e.Object, p string) any {
			switch p {
			case "user.id":
				var ids []any
				for _, u := range assignedUsers(state, app) {
					ids = append(ids, u.Str("id"))
				}
				if ids == nil {
					ids = []any{}
				}
				return ids
			case "group.id":
				var ids []any
				for _, k := range state.Obj("appGroups").Obj(app.Str("id")).Keys() {
					ids = append(ids, k)
				}
				if ids == nil {
					ids = []any{}
				}
				return ids
			}
			return pathValue(app, p)
		},
	}
}
