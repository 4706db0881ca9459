package main

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	e "twinverse/twins/goengine"
)

// An app's key credentials and an OAuth client's JSON Web Keys.

func TestApplicationKeyCredentials(t *testing.T) {
	c := newClient(t)
	base := "/api/v1/apps/" + oaService + "/credentials/keys"
	keys := c.do("GET", base, nil).list(t)
	if len(keys) != 1 || keys[0]["kid"] != "twin-okta-signing-key-1" || keys[0]["expiresAt"] != "2036-01-01T00:00:00.000Z" || keys[0]["d"] != nil {
		t.Fatalf("an OIDC app's key credential is the org key it signs with, for 10 years: %v", keys)
	}
	generated := c.do("POST", base+"/generate?validityYears=3", nil)
	if generated.status != 201 {
		t.Fatalf("generate: %d %s", generated.status, generated.text)
	}
	key := generated.json(t)
	if len(key["kid"].(string)) != 43 || key["expiresAt"] != "2029-01-01T00:00:00.000Z" || key["use"] != "sig" || key["privateJwk"] != nil {
		t.Fatalf("a generated key: %v", key)
	}
	der, _ := base64.StdEncoding.DecodeString(key["x5c"].([]any)[0].(string))
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("x5c is no certificate: %v", err)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Fatalf("the certificate is not self-signed: %v", err)
	}
	n, _ := base64.RawURLEncoding.DecodeString(key["n"].(string))
	if public := cert.PublicKey.(*rsa.PublicKey); public.N.Cmp(new(big.Int).SetBytes(n)) != 0 || public.N.BitLen() != 2048 || cert.Subject.CommonName != "dev-123 twinverse service app" {
		t.Fatalf("the certificate is for the key, named after the org and app: %v", cert.Subject)
	}
	thumbprint := sha256.Sum256(der)
	if key["x5t#S256"] != base64.RawURLEncoding.EncodeToString(thumbprint[:]) {
		t.Fatal("x5t#S256 is the certificate's SHA-256")
	}
	if got := c.do("GET", base+"/"+key["kid"].(string), nil).json(t); got["x5c"].([]any)[0] != key["x5c"].([]any)[0] {
		t.Fatalf("get: %v", got)
	}
	if list := c.do("GET", base, nil).list(t); len(list) != 2 {
		t.Fatalf("the generated key is listed after the signing key: %v", list)
	}
	bad := c.expectError(c.do("POST", base+"/generate?validityYears=11", nil), 400, "E0000001")
	if bad["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != "validityYears: Must be between 2 and 10." {
		t.Fatalf("%v", bad)
	}
	c.expectError(c.do("GET", base+"/nope", nil), 404, "E0000007")
	c.expectError(c.do("GET", "/api/v1/apps/nope/credentials/keys", nil), 404, "E0000007")
	if got := eventTypes(c, `eventType eq "app.keys.generate"`); got != "app.keys.generate" {
		t.Fatalf("events: %s", got)
	}
}

func TestClientJSONWebKeys(t *testing.T) {
	c := newClient(t)
	base := "/api/v1/apps/" + oaService + "/credentials/jwks"
	if keys := c.do("GET", base, nil).list(t); len(keys) != 0 {
		t.Fatalf("%v", keys)
	}
	n := c.twin.Store.State.Obj("oauth").Arr("signingKeys")[0].(*e.Object).Str("n")
	added := c.do("POST", base, map[string]any{"kty": "RSA", "kid": "k1", "e": "AQAB", "n": n, "id": "pksmine"})
	if added.status != 201 {
		t.Fatalf("add: %d %s", added.status, added.text)
	}
	key := added.json(t)
	id := key["id"].(string)
	if !strings.HasPrefix(id, "pks") || id == "pksmine" || key["status"] != "ACTIVE" || key["use"] != "sig" || key["_links"].(map[string]any)["deactivate"] == nil {
		t.Fatalf("an added key: %v", key)
	}
	refused := c.expectError(c.do("POST", base, map[string]any{"kty": "RSA", "kid": "k1", "e": "AQAB", "n": "AQAB", "d": "x", "use": "x"}), 400, "E0000001")
	var causes []string
	for _, cause := range refused["errorCauses"].([]any) {
		causes = append(causes, cause.(map[string]any)["errorSummary"].(string))
	}
	want := "RSA key length in the 'jwks' is less than '2,048' bits for the given key.|The 'jwks' must contain only public keys.|The 'use' of a key in the 'jwks' must be sig or enc.|All keys in the 'jwks' must have a unique `kid`."
	if refused["errorSummary"] != "Api validation failed: JsonWebKey" || strings.Join(causes, "|") != want {
		t.Fatalf("causes %q", strings.Join(causes, "|"))
	}
	c.expectError(c.do("POST", base, map[string]any{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}), 400, "E0000001")
	enc := c.do("POST", base, map[string]any{"kty": "EC", "kid": "e1", "crv": "P-256", "x": "a", "y": "b", "use": "enc"}).json(t)["id"].(string)

	c.expectError(c.do("DELETE", base+"/"+id, nil), 400, "E0000001")
	c.expectError(c.do("POST", base+"/"+enc+"/lifecycle/deactivate", nil), 400, "E0000001")
	inactive := c.do("POST", base+"/"+id+"/lifecycle/deactivate", nil).json(t)
	if links := inactive["_links"].(map[string]any); inactive["status"] != "INACTIVE" || links["activate"] == nil || links["delete"] == nil {
		t.Fatalf("an inactive key: %v", inactive)
	}
	if len(clientAssertionKeys(c.twin.Store.State.Obj("apps").Obj(oaService))) != 1 {
		t.Fatal("client authentication reads only the ACTIVE keys")
	}
	if r := c.do("DELETE", base+"/"+id, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("GET", base+"/"+id, nil), 404, "E0000007")
	if keys := c.do("GET", base, nil).list(t); len(keys) != 1 || keys[0]["id"] != enc {
		t.Fatalf("%v", keys)
	}
	bookmark := c.do("POST", "/api/v1/apps", map[string]any{"name": "bookmark", "label": "Docs", "signOnMode": "BOOKMARK", "settings": map[string]any{"app": map[string]any{"url": "https://docs.test"}}})
	if bookmark.status != 200 {
		t.Fatalf("bookmark: %d %s", bookmark.status, bookmark.text)
	}
	notClient := c.expectError(c.do("GET", "/api/v1/apps/"+bookmark.json(t)["id"].(string)+"/credentials/jwks", nil), 404, "E0000007")
	if !strings.HasSuffix(notClient["errorSummary"].(string), "(OAuth2Client)") {
		t.Fatalf("%v", notClient)
	}
}
