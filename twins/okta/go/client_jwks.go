package main

import (
	"crypto/sha256"
	"strings"

	e "twinverse/twins/goengine"
)

// An OAuth client's public keys (tag ApplicationSSOPublicKeys; twins/okta/model/app-jwks.ts), kept in the app's
// `settings.oauthClient.jwks`, where private_key_jwt client authentication (clientAssertionKeys) reads the ACTIVE ones.

// maxClientKeys is Okta's limit on an OAuth 2.0 client's JSON Web Keys.
const maxClientKeys = 50

// clientJWKList is the client's keys, or Okta's 404 for an app that is no OAuth 2.0 client.
func clientJWKList(app *e.Object) ([]*e.Object, error) {
	settings := app.Obj("settings").Obj("oauthClient")
	if settings == nil || app.Str("signOnMode") != oidc {
		return nil, oktaErr("E0000007", detail("Resource not found: "+app.Str("id")+" (OAuth2Client)"))
	}
	keys, _ := get(settings.Obj("jwks"), "keys").([]any)
	return objects(keys), nil
}

// clientJWKID is a key's `pks` id. Keys added through this API carry theirs; keys sent inline with the app get one
// derived from the key itself, so that every read names them alike.
func clientJWKID(key *e.Object) string {
	if id, isString := get(key, "id").(string); isString {
		return id
	}
	digest := sha256.Sum256([]byte(jsString(orDefault(key, "kid", "")) + "/" + jsString(orDefault(key, "n", orDefault(key, "x", "")))))
	var b strings.Builder
	b.WriteString("pks")
	for i := 0; i < 17; i++ {
		b.WriteByte(refreshIDAlphabet[int(digest[i])%62])
	}
	return b.String()
}

func requireClientJWK(ctx *e.Ctx) (*e.Object, *e.Object, error) {
	app, err := requireApp(ctx, ctx.Params["appId"])
	if err != nil {
		return nil, nil, err
	}
	keys, err := clientJWKList(app)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range keys {
		if clientJWKID(k) == ctx.Params["keyId"] {
			return app, k, nil
		}
	}
	return nil, nil, notFound(ctx.Params["keyId"], "JsonWebKey")
}

// clientJWKJSON is a client key as Okta returns it: its id, status and dates, and the lifecycle links its status allows.
func clientJWKJSON(ctx *e.Ctx, app, key *e.Object) *e.Object {
	id := clientJWKID(key)
	self := ctx.BaseURL + "/api/v1/apps/" + app.Str("id") + "/credentials/jwks/" + id
	status, lifecycle := "ACTIVE", "deactivate"
	if get(key, "status") == "INACTIVE" {
		status, lifecycle = "INACTIVE", "activate"
	}
	out := e.CloneObj(key)
	out.Set("id", id)
	out.Set("kid", orDefault(key, "kid", nil))
	out.Set("use", orDefault(key, "use", "sig"))
	out.Set("status", status)
	for _, k := range []string{"created", "lastUpdated"} {
		if v := orDefault(key, k, get(app, k)); v != nil {
			out.Set(k, e.Clone(v))
		} else {
			out.Delete(k)
		}
	}
	links := e.NewObject(lifecycle, hintedLink(self+"/lifecycle/"+lifecycle, "POST"))
	if status == "INACTIVE" {
		links.Set("delete", hintedLink(self, "DELETE"))
	}
	out.Set("_links", links)
	return out
}

func nonEmptyString(v any) bool {
	s, isString := v.(string)
	return isString && s != ""
}

// checkNewClientJWK checks a key to add before anything is written, with Okta's causes (its
// ErrorClientJsonWebKey… examples): a public RSA key of at least 2048 bits or an EC key, a `kid` unique among the
// client's keys (and present when keys already exist), and room under the limit. It gives the key to store.
func checkNewClientJWK(keys []*e.Object, b *e.Object) (*e.Object, error) {
	var found []string
	switch get(b, "kty") {
	case "RSA":
		if !nonEmptyString(get(b, "n")) || !nonEmptyString(get(b, "e")) {
			found = append(found, "The 'jwks' RSA key must have the 'n' and 'e' parameters.")
		} else if len(decodeLenientBase64(b.Str("n")))*8 < 2048 {
			found = append(found, "RSA key length in the 'jwks' is less than '2,048' bits for the given key.")
		}
	case "EC":
		if !nonEmptyString(get(b, "crv")) || !nonEmptyString(get(b, "x")) || !nonEmptyString(get(b, "y")) {
			found = append(found, "The 'jwks' EC key must have the 'crv', 'x' and 'y' parameters.")
		}
	default:
		found = append(found, "The 'kty' of a key in the 'jwks' must be RSA or EC.")
	}
	for _, member := range []string{"d", "p", "q", "dp", "dq", "qi"} {
		if b.Has(member) {
			found = append(found, "The 'jwks' must contain only public keys.")
			break
		}
	}
	if use, has := b.Get("use"); has && use != "sig" && use != "enc" {
		found = append(found, "The 'use' of a key in the 'jwks' must be sig or enc.")
	}
	unnamed, duplicate := false, false
	for _, k := range keys {
		unnamed = unnamed || !nonEmptyString(get(k, "kid"))
		duplicate = duplicate || get(k, "kid") == get(b, "kid")
	}
	if len(keys) > 0 && (!nonEmptyString(get(b, "kid")) || unnamed) {
		found = append(found, "Each key should have a unique kid when adding multiple keys. Use the Apps API to update the JWKS to add a kid for the existing key, or delete the existing key and re-add the key with a kid using the JWKS APIs.")
	} else if duplicate {
		found = append(found, "All keys in the 'jwks' must have a unique `kid`.")
	}
	if len(keys) >= maxClientKeys {
		found = append(found, "You can't create a new key. You have reached the maximum number of keys allowed (50). To add another key, you must first delete an existing one.")
	}
	if len(found) > 0 {
		return nil, oktaErr("E0000001", detail("JsonWebKey"), causes(found...))
	}
	key := e.NewObject()
	for _, k := range b.Keys() {
		if k != "id" && k != "created" && k != "lastUpdated" && k != "_links" {
			key.Set(k, e.Clone(get(b, k)))
		}
	}
	key.Set("use", orDefault(b, "use", "sig"))
	if get(b, "status") == "INACTIVE" {
		key.Set("status", "INACTIVE")
	} else {
		key.Set("status", "ACTIVE")
	}
	return key, nil
}

// setClientJWKs replaces the client's jwks with these keys, as the TypeScript twin writes a new jwks object.
func setClientJWKs(ctx *e.Ctx, app *e.Object, keys []any) {
	ctx.Set(app.Obj("settings").Obj("oauthClient"), "jwks", e.NewObject("keys", keys))
}

// setClientJWKStatus activates or deactivates a key; Okta: "You can only deactivate signing keys."
func setClientJWKStatus(ctx *e.Ctx, status string) (*e.Result, error) {
	app, key, err := requireClientJWK(ctx)
	if err != nil {
		return nil, err
	}
	if status == "INACTIVE" && get(key, "use") == "enc" {
		return nil, invalidFields([][2]string{{"status", "Only signing keys can be deactivated."}})
	}
	if orDefault(key, "status", "ACTIVE") != status {
		ctx.Set(key, "status", status)
		ctx.Set(key, "lastUpdated", ctx.Now())
	}
	return ok(clientJWKJSON(ctx, app, key))
}

func clientJWKHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listJwk": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			keys, err := clientJWKList(app)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, k := range keys {
				out = append(out, clientJWKJSON(ctx, app, k))
			}
			return ok(out)
		},
		"addJwk": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			keys, err := clientJWKList(app)
			if err != nil {
				return nil, err
			}
			key, err := checkNewClientJWK(keys, body(ctx))
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			merge(key, e.NewObject("id", oktaID(ctx, "pks"), "created", now, "lastUpdated", now))
			setClientJWKs(ctx, app, append(append([]any{}, list(keys)...), key))
			return created201(clientJWKJSON(ctx, app, key)), nil
		},
		"getJwk": func(ctx *e.Ctx) (*e.Result, error) {
			app, key, err := requireClientJWK(ctx)
			if err != nil {
				return nil, err
			}
			return ok(clientJWKJSON(ctx, app, key))
		},
		"deletejwk": func(ctx *e.Ctx) (*e.Result, error) {
			app, key, err := requireClientJWK(ctx)
			if err != nil {
				return nil, err
			}
			// Okta: "You can only delete an inactive key."
			if orDefault(key, "status", "ACTIVE") != "INACTIVE" {
				return nil, invalidFields([][2]string{{"status", "You can only delete an inactive key."}})
			}
			keys, _ := clientJWKList(app)
			var kept []*e.Object
			for _, k := range keys {
				if k != key {
					kept = append(kept, k)
				}
			}
			setClientJWKs(ctx, app, list(kept))
			return e.NoContent(), nil
		},
		"activateOAuth2ClientJsonWebKey":   func(ctx *e.Ctx) (*e.Result, error) { return setClientJWKStatus(ctx, "ACTIVE") },
		"deactivateOAuth2ClientJsonWebKey": func(ctx *e.Ctx) (*e.Result, error) { return setClientJWKStatus(ctx, "INACTIVE") },
	}
}
