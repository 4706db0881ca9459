package main

// JOSE for the OAuth endpoints, on the standard library: crypto/rsa and crypto/ecdsa with compact JWS written
// here rather than a JOSE module. The twin signs only RS256 with the JWKs of its state, and verifies RS256 tokens
// of its own, client assertions (RS*, ES*, HS*) and DPoP proofs (RS*, ES*); that is a few dozen lines, and keeping
// it in the standard library leaves the module's dependencies as they are. RSASSA-PKCS1-v1_5 is deterministic,
// so a token this twin signs is byte for byte the TypeScript twin's for the same key and claims.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"math/big"
	"strings"

	e "twinverse/twins/goengine"
)

var b64 = base64.RawURLEncoding

// decodeB64URL reads base64url as jose does: padding is tolerated.
func decodeB64URL(s string) ([]byte, bool) {
	out, err := b64.DecodeString(strings.TrimRight(s, "="))
	return out, err == nil
}

func jwkBigInt(jwk *e.Object, name string) (*big.Int, bool) {
	raw, ok := decodeB64URL(jwk.Str(name))
	if !ok || len(raw) == 0 {
		return nil, false
	}
	return new(big.Int).SetBytes(raw), true
}

// jwkRSAPublic is the public half of an RSA JWK, or nil.
func jwkRSAPublic(jwk *e.Object) *rsa.PublicKey {
	if jwk.Str("kty") != "RSA" {
		return nil
	}
	n, okN := jwkBigInt(jwk, "n")
	exp, okE := jwkBigInt(jwk, "e")
	if !okN || !okE || !exp.IsInt64() || exp.Int64() > 1<<31-1 {
		return nil
	}
	return &rsa.PublicKey{N: n, E: int(exp.Int64())}
}

// jwkRSAPrivate is an RSA private JWK (with its CRT members) as a key, or nil.
func jwkRSAPrivate(jwk *e.Object) *rsa.PrivateKey {
	public := jwkRSAPublic(jwk)
	d, okD := jwkBigInt(jwk, "d")
	p, okP := jwkBigInt(jwk, "p")
	q, okQ := jwkBigInt(jwk, "q")
	if public == nil || !okD || !okP || !okQ {
		return nil
	}
	key := &rsa.PrivateKey{PublicKey: *public, D: d, Primes: []*big.Int{p, q}}
	if key.Validate() != nil {
		return nil
	}
	key.Precompute()
	return key
}

func jwkECPublic(jwk *e.Object) *ecdsa.PublicKey {
	if jwk.Str("kty") != "EC" {
		return nil
	}
	curves := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}
	curve := curves[jwk.Str("crv")]
	x, okX := jwkBigInt(jwk, "x")
	y, okY := jwkBigInt(jwk, "y")
	if curve == nil || !okX || !okY || !curve.IsOnCurve(x, y) {
		return nil
	}
	return &ecdsa.PublicKey{Curve: curve, X: x, Y: y}
}

// jwsAlgorithm is what a JWS algorithm needs: its hash, and the key type and curve it takes.
type jwsAlgorithm struct {
	hash  crypto.Hash
	kty   string
	curve string
}

var jwsAlgs = map[string]jwsAlgorithm{
	"RS256": {crypto.SHA256, "RSA", ""}, "RS384": {crypto.SHA384, "RSA", ""}, "RS512": {crypto.SHA512, "RSA", ""},
	"ES256": {crypto.SHA256, "EC", "P-256"}, "ES384": {crypto.SHA384, "EC", "P-384"}, "ES512": {crypto.SHA512, "EC", "P-521"},
	"HS256": {crypto.SHA256, "oct", ""}, "HS384": {crypto.SHA384, "oct", ""}, "HS512": {crypto.SHA512, "oct", ""},
}

func jwsDigest(h crypto.Hash, data string) []byte {
	var w hash.Hash
	switch h {
	case crypto.SHA384:
		w = sha512.New384()
	case crypto.SHA512:
		w = sha512.New()
	default:
		w = sha256.New()
	}
	w.Write([]byte(data))
	return w.Sum(nil)
}

// compactJWS is a compact JWS split into its parts, its header and payload decoded.
type compactJWS struct {
	signingInput string
	signature    []byte
	header       *e.Object
	payload      *e.Object
}

// parseCompactJWS reads a compact JWS whose header and payload are JSON objects, or nil.
func parseCompactJWS(token string) *compactJWS {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil
	}
	rawHeader, ok1 := decodeB64URL(parts[0])
	rawPayload, ok2 := decodeB64URL(parts[1])
	signature, ok3 := decodeB64URL(parts[2])
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	header, _ := parseObjectJSON(rawHeader)
	payload, _ := parseObjectJSON(rawPayload)
	if header == nil || payload == nil {
		return nil
	}
	return &compactJWS{signingInput: parts[0] + "." + parts[1], signature: signature, header: header, payload: payload}
}

func parseObjectJSON(raw []byte) (*e.Object, bool) {
	v, err := e.Parse(raw, e.MaxJSONDepth)
	o, ok := v.(*e.Object)
	return o, err == nil && ok
}

// verifyWith checks the JWS signature with one key (a JWK, or an HMAC secret for HS*).
func (j *compactJWS) verifyWith(alg string, jwk *e.Object, secret []byte) bool {
	a, known := jwsAlgs[alg]
	if !known {
		return false
	}
	sum := jwsDigest(a.hash, j.signingInput)
	switch a.kty {
	case "RSA":
		key := jwkRSAPublic(jwk)
		return key != nil && key.N.BitLen() >= 2048 && rsa.VerifyPKCS1v15(key, a.hash, sum, j.signature) == nil
	case "EC":
		key := jwkECPublic(jwk)
		if key == nil || jwk.Str("crv") != a.curve {
			return false
		}
		size := (key.Curve.Params().BitSize + 7) / 8
		if len(j.signature) != 2*size {
			return false
		}
		r := new(big.Int).SetBytes(j.signature[:size])
		s := new(big.Int).SetBytes(j.signature[size:])
		return ecdsa.Verify(key, sum, r, s)
	}
	mac := hmac.New(map[crypto.Hash]func() hash.Hash{crypto.SHA256: sha256.New, crypto.SHA384: sha512.New384, crypto.SHA512: sha512.New}[a.hash], secret)
	mac.Write([]byte(j.signingInput))
	return hmac.Equal(mac.Sum(nil), j.signature)
}

// verifyWithSet checks the signature against a key set as jose's local JWK sets pick keys: the header's kid (when
// it has one), the key type (and curve) of its alg, a `use` of sig or none, an `alg` that is the header's or none.
func (j *compactJWS) verifyWithSet(keys []*e.Object, allowed []string) bool {
	alg := j.header.Str("alg")
	if !contains(allowed, alg) {
		return false
	}
	a := jwsAlgs[alg]
	kid, hasKid := j.header.Get("kid")
	for _, key := range keys {
		if hasKid && get(key, "kid") != kid {
			continue
		}
		if key.Str("kty") != a.kty || (a.curve != "" && key.Str("crv") != a.curve) {
			continue
		}
		if use, has := key.Get("use"); has && use != "sig" {
			continue
		}
		if ka, has := key.Get("alg"); has && ka != alg {
			continue
		}
		if j.verifyWith(alg, key, nil) {
			return true
		}
	}
	return false
}

// numClaim reads a numeric claim.
func numClaim(o *e.Object, name string) (float64, bool) {
	v, ok := get(o, name).(float64)
	return v, ok
}

// jwtTimesValid is jose's check of exp and nbf at an instant (epoch seconds): exp must lie after it, nbf not after it.
func jwtTimesValid(claims *e.Object, now float64) bool {
	if v, has := claims.Get("exp"); has {
		exp, isNum := v.(float64)
		if !isNum || exp <= now {
			return false
		}
	}
	if v, has := claims.Get("nbf"); has {
		nbf, isNum := v.(float64)
		if !isNum || nbf > now {
			return false
		}
	}
	if v, has := claims.Get("iat"); has {
		if _, isNum := v.(float64); !isNum {
			return false
		}
	}
	return true
}

// signCompactRS256 signs claims with an RSA private JWK, the key id in the header as the TypeScript twin writes it.
func signCompactRS256(jwk *e.Object, claims *e.Object) (string, bool) {
	key := jwkRSAPrivate(jwk)
	if key == nil {
		return "", false
	}
	header := e.NewObject("kid", jwk.Str("kid"), "alg", "RS256")
	input := b64.EncodeToString(e.Marshal(header)) + "." + b64.EncodeToString(e.Marshal(claims))
	sum := sha256.Sum256([]byte(input))
	signature, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", false
	}
	return input + "." + b64.EncodeToString(signature), true
}

// oidcHalfHash is an ID token's at_hash or c_hash for RS256: the left half of the SHA-256 of the value, base64url.
func oidcHalfHash(value string) string {
	sum := sha256.Sum256([]byte(value))
	return b64.EncodeToString(sum[:16])
}

// issuedFingerprint is the SHA-256 of a token as issued, kept in its record so only that very token matches.
func issuedFingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return b64.EncodeToString(sum[:])
}

// publicSigningJWK is the public half of a signing key, as a key set serves it.
func publicSigningJWK(key *e.Object) *e.Object {
	return e.NewObject("kty", get(key, "kty"), "alg", "RS256", "kid", get(key, "kid"), "use", "sig", "e", get(key, "e"), "n", get(key, "n"))
}
