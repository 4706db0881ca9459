package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	e "twinverse/twins/goengine"
)

// An app's key credentials (tag ApplicationSSOCredentialKey; twins/okta/api/app-keys.ts, model/app-keys.ts): X.509
// certificates for the keys an app signs with. A key generated here is the app's to use once its
// `credentials.signing.kid` names it (Okta's key rollover).

// derTLV is one DER element: its tag, its length (short form below 128 bytes, long form above) and its content.
func derTLV(tag byte, content []byte) []byte {
	n := len(content)
	out := []byte{tag}
	if n < 0x80 {
		out = append(out, byte(n))
	} else {
		var length []byte
		for rest := n; rest > 0; rest >>= 8 {
			length = append([]byte{byte(rest & 0xff)}, length...)
		}
		out = append(out, 0x80|byte(len(length)))
		out = append(out, length...)
	}
	return append(out, content...)
}

func derSequence(parts ...[]byte) []byte {
	var content []byte
	for _, p := range parts {
		content = append(content, p...)
	}
	return derTLV(0x30, content)
}

// derInteger is a non-negative INTEGER from its big-endian bytes (a zero byte first when the top bit is set).
func derInteger(bytes []byte) []byte {
	if len(bytes) > 0 && bytes[0]&0x80 != 0 {
		bytes = append([]byte{0}, bytes...)
	}
	return derTLV(0x02, bytes)
}

func derOID(dotted string) []byte {
	parts := strings.Split(dotted, ".")
	arcs := make([]int, len(parts))
	for i, p := range parts {
		arcs[i], _ = strconv.Atoi(p)
	}
	out := []byte{byte(arcs[0]*40 + arcs[1])}
	for _, arc := range arcs[2:] {
		chunk := []byte{byte(arc & 0x7f)}
		for v := arc >> 7; v > 0; v >>= 7 {
			chunk = append([]byte{byte(v&0x7f) | 0x80}, chunk...)
		}
		out = append(out, chunk...)
	}
	return derTLV(0x06, out)
}

// derTime is RFC 5280 §4.1.2.5's time: UTCTime through 2049, GeneralizedTime from 2050.
func derTime(t time.Time) []byte {
	stamp := t.UTC().Format("20060102150405")
	if t.UTC().Year() < 2050 {
		return derTLV(0x17, []byte(stamp[2:]+"Z"))
	}
	return derTLV(0x18, []byte(stamp+"Z"))
}

func derCommonName(name string) []byte {
	return derSequence(derTLV(0x31, derSequence(derOID("2.5.4.3"), derTLV(0x0c, []byte(name)))))
}

// selfSignedCertificate is a self-signed X.509 v3 certificate (DER) for the RSA key, written element by element as
// the TypeScript twin writes it; its PKCS #1 v1.5 signature is deterministic, so the same key and dates always give
// the same certificate.
func selfSignedCertificate(key *e.Object, subject string, notBefore, notAfter time.Time) ([]byte, error) {
	private := jwkRSAPrivate(key)
	if private == nil {
		return nil, errors.New("the key is not a usable RSA private key")
	}
	spki, err := x509.MarshalPKIXPublicKey(&private.PublicKey)
	if err != nil {
		return nil, err
	}
	serial := sha256.Sum256([]byte(key.Str("n")))
	algorithm := derSequence(derOID("1.2.840.113549.1.1.11"), []byte{0x05, 0x00})
	name := derCommonName(subject)
	tbs := derSequence(derTLV(0xa0, derInteger([]byte{2})), derInteger(serial[:16]), algorithm, name, derSequence(derTime(notBefore), derTime(notAfter)), name, spki)
	digest := sha256.Sum256(tbs)
	signature, err := rsa.SignPKCS1v15(nil, private, crypto.SHA256, digest[:])
	if err != nil {
		return nil, err
	}
	return derSequence(tbs, algorithm, derTLV(0x03, append([]byte{0}, signature...))), nil
}

// appKeyCredential is an app key credential for a key pair, valid from `created` for `years`.
func appKeyCredential(key *e.Object, subject, created string, years int) (*e.Object, error) {
	start, err := e.ParseInstant(created)
	if err != nil {
		return nil, err
	}
	start = start.UTC()
	end := start.AddDate(years, 0, 0)
	der, err := selfSignedCertificate(key, subject, start, end)
	if err != nil {
		return nil, err
	}
	thumbprint := sha256.Sum256(der)
	private := e.NewObject()
	for _, k := range []string{"kty", "kid", "n", "e", "d", "p", "q", "dp", "dq", "qi"} {
		if v, has := key.Get(k); has {
			private.Set(k, v)
		}
	}
	return e.NewObject("kid", get(key, "kid"), "created", created, "lastUpdated", created, "expiresAt", e.ISO(end.UnixMilli()),
		"x5c", []any{base64.StdEncoding.EncodeToString(der)}, "x5t#S256", base64.RawURLEncoding.EncodeToString(thumbprint[:]),
		"e", get(key, "e"), "n", get(key, "n"), "privateJwk", private), nil
}

// appKeySubject is the subject of an app's certificates: Okta names the app's org and label.
func appKeySubject(ctx *e.Ctx, app *e.Object) string {
	return ctx.State.Obj("org").Str("subdomain") + " " + jsString(orDefault(app, "label", get(app, "name")))
}

// appKeyCredentials are the app's key credentials: the org signing key its `credentials.signing.kid` names (OIDC
// apps are created with it), then the keys generated for the app.
func appKeyCredentials(ctx *e.Ctx, app *e.Object) ([]*e.Object, error) {
	own := objects(ctx.State.Obj("appKeys").Arr(app.Str("id")))
	kid, _ := get(app.Obj("credentials").Obj("signing"), "kid").(string)
	if kid == "" {
		return own, nil
	}
	for _, k := range own {
		if get(k, "kid") == kid {
			return own, nil
		}
	}
	for _, k := range objects(ctx.State.Obj("oauth").Arr("signingKeys")) {
		if get(k, "kid") == kid {
			credential, err := appKeyCredential(k, appKeySubject(ctx, app), jsString(get(app, "created")), 10)
			if err != nil {
				return nil, err
			}
			return append([]*e.Object{credential}, own...), nil
		}
	}
	return own, nil
}

// appKeyJSON is a key credential as Okta returns it: the public key and its certificate, never the private key.
func appKeyJSON(key *e.Object) *e.Object {
	return e.NewObject("created", get(key, "created"), "lastUpdated", get(key, "lastUpdated"), "expiresAt", get(key, "expiresAt"),
		"x5c", e.Clone(get(key, "x5c")), "e", get(key, "e"), "n", get(key, "n"), "kid", get(key, "kid"), "kty", "RSA", "use", "sig",
		"x5t#S256", get(key, "x5t#S256"))
}

// appKeyHandlers are an app's key credentials and, for an OAuth client, its public keys (clientJWKHandlers).
func appKeyHandlers() map[string]e.Handler {
	handlers := clientJWKHandlers()
	for id, h := range map[string]e.Handler{
		"listApplicationKeys": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			keys, err := appKeyCredentials(ctx, app)
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, k := range keys {
				out = append(out, appKeyJSON(k))
			}
			return ok(out)
		},
		"getApplicationKey": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			keys, err := appKeyCredentials(ctx, app)
			if err != nil {
				return nil, err
			}
			for _, k := range keys {
				if get(k, "kid") == ctx.Params["keyId"] {
					return ok(appKeyJSON(k))
				}
			}
			return nil, notFound(ctx.Params["keyId"], "AppInstanceKey")
		},
		"generateApplicationKey": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			years, has := qNumber(ctx, "validityYears")
			if !has {
				years = 2
			}
			// Okta: "Expiry years for the application key credential", 2 to 10.
			if !isJSInteger(years) || years < 2 || years > 10 {
				return nil, invalidFields([][2]string{{"validityYears", "Must be between 2 and 10."}})
			}
			kid := mintOpaqueToken(ctx, 43)
			pair := deriveSigningKey(ctx.State.Obj("org").Str("id")+"/"+app.Str("id")+"/"+kid, kid)
			key, err := appKeyCredential(pair, appKeySubject(ctx, app), ctx.Now(), int(years))
			if err != nil {
				return nil, err
			}
			store := ctx.Ensure(ctx.State, "appKeys")
			ctx.Set(store, app.Str("id"), append(append([]any{}, store.Arr(app.Str("id"))...), key))
			// Okta's app.keys.generate (Event Types catalog); the display message is the TypeScript twin's.
			credential := e.NewObject("id", kid, "type", "AppKeyCredential", "alternateId", kid, "displayName", kid, "detailEntry", nil)
			logEvent(ctx, logInput{eventType: "app.keys.generate", displayMessage: "Generate application key credential", target: []*e.Object{appTarget(app), credential}})
			return created201(appKeyJSON(key)), nil
		},
	} {
		handlers[id] = h
	}
	return handlers
}
