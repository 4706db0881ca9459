package main

import (
	"strings"

	e "twinverse/twins/goengine"
)

// Identity providers (tag IdentityProvider, twins/okta/api/identity-providers.ts): the IdP records, their protocol
// and policy settings and their lifecycle. The twin keeps them as configuration: it sends no users to them.

// idpProtocols is the protocol each IdP type speaks (Okta's IdentityProviderType table), in the order the refusal
// of an unknown type lists them.
var idpProtocols = [][2]string{
	{"AMAZON", "OIDC"}, {"APPLE", "OIDC"}, {"GITLAB", "OIDC"}, {"GOOGLE", "OIDC"}, {"LINKEDIN", "OIDC"}, {"LOGINGOV", "OIDC"}, {"LOGINGOV_SANDBOX", "OIDC"},
	{"MICROSOFT", "OIDC"}, {"OIDC", "OIDC"}, {"OKTA_INTEGRATION", "OIDC"}, {"PAYPAL", "OIDC"}, {"PAYPAL_SANDBOX", "OIDC"}, {"SALESFORCE", "OIDC"},
	{"XERO", "OIDC"}, {"YAHOO", "OIDC"}, {"YAHOOJP", "OIDC"},
	{"DISCORD", "OAUTH2"}, {"FACEBOOK", "OAUTH2"}, {"GITHUB", "OAUTH2"}, {"SPOTIFY", "OAUTH2"},
	{"SAML2", "SAML2"},
	{"X509", "MTLS"},
	{"IDV_CLEAR", "ID_PROOFING"}, {"IDV_INCODE", "ID_PROOFING"}, {"IDV_PERSONA", "ID_PROOFING"}, {"IDV_STANDARD", "ID_PROOFING"},
}

func idpProtocolOf(typ any) string {
	for _, p := range idpProtocols {
		if p[0] == typ {
			return p[1]
		}
	}
	return ""
}

// defaultIdpPolicy is the policy Okta gives an IdP created without one: provision and link automatically, match on the username.
func defaultIdpPolicy(typ string) *e.Object {
	template := "idpuser.email"
	if typ == "SAML2" {
		template = "idpuser.subjectNameId"
	}
	return e.NewObject(
		"provisioning", e.NewObject("action", "AUTO", "profileMaster", false, "groups", e.NewObject("action", "NONE"), "conditions", e.NewObject("deprovisioned", e.NewObject("action", "NONE"), "suspended", e.NewObject("action", "NONE"))),
		"accountLink", e.NewObject("filter", nil, "action", "AUTO"),
		"subject", e.NewObject("userNameTemplate", e.NewObject("template", template), "filter", nil, "matchType", "USERNAME"),
		"maxClockSkew", float64(0),
	)
}

func requireIdp(ctx *e.Ctx) (*e.Object, error) {
	id := ctx.Params["idpId"]
	if idp := ctx.State.Obj("identityProviders").Obj(id); idp != nil {
		return idp, nil
	}
	return nil, notFound(id, "IdentityProvider")
}

// idpJSON is an IdP as Okta returns it. Social and OpenID Connect IdPs link to the org's /authorize with `idp` and to
// the callback the IdP returns users to; SAML ones to their metadata and assertion consumer service.
func idpJSON(ctx *e.Ctx, idp *e.Object) *e.Object {
	base := strings.TrimRight(ctx.BaseURL, "/")
	id := idp.Str("id")
	links := e.NewObject()
	switch idpProtocolOf(get(idp, "type")) {
	case "OIDC", "OAUTH2":
		links.Set("authorize", e.NewObject(
			"href", base+"/oauth2/v1/authorize?idp="+id+"&client_id={clientId}&response_type={responseType}&response_mode={responseMode}&scope={scopes}&redirect_uri={redirectUri}&state={state}&nonce={nonce}",
			"templated", true,
			"hints", e.NewObject("allow", []any{"GET"})))
		links.Set("clientRedirectUri", e.NewObject("href", base+"/oauth2/v1/authorize/callback", "hints", e.NewObject("allow", []any{"POST"})))
	case "SAML2":
		links.Set("metadata", e.NewObject("href", base+"/api/v1/idps/"+id+"/metadata.xml", "type", "application/xml", "hints", e.NewObject("allow", []any{"GET"})))
		links.Set("acs", e.NewObject("href", base+"/sso/saml2/"+id, "type", "application/xml", "hints", e.NewObject("allow", []any{"POST"})))
	}
	out := e.CloneObj(idp)
	out.Set("_links", links)
	return out
}

// idpFields is an IdP body checked before anything is written: a name, a known type, and a protocol that the type
// speaks with what it needs (a client id for OAuth-based IdPs, the endpoints of a generic OpenID Connect IdP, the SSO
// URL of a SAML one). It returns the name, type, protocol and policy as stored.
func idpFields(b *e.Object, existingType string) (name, typ string, protocol, policy *e.Object, err error) {
	var problems [][2]string
	add := func(field, message string) { problems = append(problems, [2]string{field, message}) }
	if !nonBlank(get(b, "name")) {
		add("name", "The field cannot be left blank")
	}
	rawType := orDefault(b, "type", nil)
	if rawType == nil && existingType != "" {
		rawType = existingType
	}
	typ, _ = rawType.(string)
	expected := idpProtocolOf(rawType)
	if expected == "" {
		names := make([]string, len(idpProtocols))
		for i, p := range idpProtocols {
			names[i] = p[0]
		}
		add("type", "Must be one of "+strings.Join(names, ", ")+".")
	} else if existingType != "" && typ != existingType {
		add("type", "The type of an identity provider cannot be changed.")
	}
	protocol = b.Obj("protocol")
	if protocol == nil {
		add("protocol", "The field cannot be left blank")
	} else if expected != "" {
		if get(protocol, "type") != expected {
			add("protocol.type", "An identity provider of type "+typ+" uses the "+expected+" protocol.")
		}
		if (expected == "OIDC" || expected == "OAUTH2") && !nonBlank(get(protocol.Obj("credentials").Obj("client"), "client_id")) {
			add("protocol.credentials.client.client_id", "The field cannot be left blank")
		}
		if typ == "OIDC" {
			for _, endpoint := range []string{"authorization", "token"} {
				if !nonBlank(get(protocol.Obj("endpoints").Obj(endpoint), "url")) {
					add("protocol.endpoints."+endpoint+".url", "The field cannot be left blank")
				}
			}
			if !nonBlank(get(protocol.Obj("issuer"), "url")) {
				add("protocol.issuer.url", "The field cannot be left blank")
			}
		}
		if expected == "SAML2" && !nonBlank(get(protocol.Obj("endpoints").Obj("sso"), "url")) {
			add("protocol.endpoints.sso.url", "The field cannot be left blank")
		}
	}
	if raw, has := b.Get("policy"); has {
		if _, isObj := raw.(*e.Object); !isObj {
			add("policy", "Must be an object.")
		}
	}
	if len(problems) > 0 {
		return "", "", nil, nil, invalidFields(problems)
	}
	policy = defaultIdpPolicy(typ)
	if sent := b.Obj("policy"); sent != nil {
		for _, k := range sent.Keys() {
			policy.Set(k, e.Clone(get(sent, k)))
		}
	}
	return jsTrim(b.Str("name")), typ, e.CloneObj(protocol), policy, nil
}

func logIdp(ctx *e.Ctx, idp *e.Object, action string) {
	target := e.NewObject("id", idp.Str("id"), "type", "IdentityProvider", "alternateId", get(idp, "name"), "displayName", get(idp, "name"), "detailEntry", nil)
	logEvent(ctx, logInput{"system.idp.lifecycle." + action, strings.ToUpper(action[:1]) + action[1:] + " IdP", []*e.Object{target}})
}

func setIdpStatus(ctx *e.Ctx, status, action string) (*e.Result, error) {
	idp, err := requireIdp(ctx)
	if err != nil {
		return nil, err
	}
	if idp.Str("status") != status {
		ctx.Set(idp, "status", status)
		ctx.Set(idp, "lastUpdated", ctx.Now())
		logIdp(ctx, idp, action)
	}
	return ok(idpJSON(ctx, idp))
}

func identityProviderHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listIdentityProviders": func(ctx *e.Ctx) (*e.Result, error) {
			q, _ := qString(ctx, "q")
			q = jsLower(q)
			typ, _ := qString(ctx, "type")
			var idps []*e.Object
			for _, idp := range values(ctx.State.Obj("identityProviders")) {
				if (q == "" || strings.HasPrefix(jsLower(idp.Str("name")), q)) && (typ == "" || idp.Str("type") == typ) {
					idps = append(idps, idp)
				}
			}
			// Okta: a page holds 20 IdPs by default (the document's default) and at most 200.
			limit, _ := qNumber(ctx, "limit")
			after, hasAfter := qString(ctx, "after")
			return pagedJSON(ctx, idps, int(min(limit, 200)), after, hasAfter, func(idp *e.Object) any { return idpJSON(ctx, idp) })
		},
		"createIdentityProvider": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			name, typ, protocol, policy, err := idpFields(b, "")
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			status := "ACTIVE"
			if get(b, "status") == "INACTIVE" {
				status = "INACTIVE"
			}
			idp := e.NewObject("id", oktaID(ctx, "0oa"), "type", typ, "issuerMode", e.Clone(orDefault(b, "issuerMode", "ORG_URL")), "name", name, "status", status,
				"created", now, "lastUpdated", now, "protocol", protocol, "policy", policy, "properties", e.Clone(orDefault(b, "properties", nil)))
			ctx.Set(ctx.Ensure(ctx.State, "identityProviders"), idp.Str("id"), idp)
			logIdp(ctx, idp, "create")
			return ok(idpJSON(ctx, idp))
		},
		"getIdentityProvider": func(ctx *e.Ctx) (*e.Result, error) {
			idp, err := requireIdp(ctx)
			if err != nil {
				return nil, err
			}
			return ok(idpJSON(ctx, idp))
		},
		"replaceIdentityProvider": func(ctx *e.Ctx) (*e.Result, error) {
			idp, err := requireIdp(ctx)
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			name, _, protocol, policy, err := idpFields(b, idp.Str("type"))
			if err != nil {
				return nil, err
			}
			ctx.Set(idp, "name", name)
			ctx.Set(idp, "protocol", protocol)
			ctx.Set(idp, "policy", policy)
			ctx.Set(idp, "properties", e.Clone(orDefault(b, "properties", orDefault(idp, "properties", nil))))
			ctx.Set(idp, "lastUpdated", ctx.Now())
			logIdp(ctx, idp, "update")
			return ok(idpJSON(ctx, idp))
		},
		"deleteIdentityProvider": func(ctx *e.Ctx) (*e.Result, error) {
			idp, err := requireIdp(ctx)
			if err != nil {
				return nil, err
			}
			ctx.Delete(ctx.State.Obj("identityProviders"), idp.Str("id"))
			logIdp(ctx, idp, "delete")
			return e.NoContent(), nil
		},
		"activateIdentityProvider":   func(ctx *e.Ctx) (*e.Result, error) { return setIdpStatus(ctx, "ACTIVE", "activate") },
		"deactivateIdentityProvider": func(ctx *e.Ctx) (*e.Result, error) { return setIdpStatus(ctx, "INACTIVE", "deactivate") },
	}
}
