package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strconv"

	e "twinverse/twins/goengine"
)

// Signing keys made at run time (a new authorization server, a key rotation, an app key credential) are derived
// from a seed drawn from the twin's id source, as src/kit/signing-keys.ts derives them, so that both backends make
// the same 2048-bit RSA key for the same seed and a reproducible run signs with the same keys.

// derivedKeyExponent is RSA's usual public exponent, 65537.
const derivedKeyExponent = 65537

// derivedKeyStream is a deterministic byte stream: HMAC-SHA-256 (keyed with the seed) of a counter written in
// decimal, block after block.
type derivedKeyStream struct {
	seed    []byte
	counter int
}

func (s *derivedKeyStream) next(length int) []byte {
	var out []byte
	for have := 0; have < length; have += 32 {
		mac := hmac.New(sha256.New, s.seed)
		mac.Write([]byte(strconv.Itoa(s.counter)))
		s.counter++
		out = mac.Sum(out)
	}
	return out[:length]
}

// derivedKeySmallPrimes are the odd primes below 2^14: a candidate one of them divides is skipped untested.
func derivedKeySmallPrimes() []int64 {
	const limit = 1 << 14
	composite := make([]bool, limit)
	var primes []int64
	for i := 3; i < limit; i += 2 {
		if composite[i] {
			continue
		}
		primes = append(primes, int64(i))
		for j := i * i; j < limit; j += 2 * i {
			composite[j] = true
		}
	}
	return primes
}

// derivedKeyPrime is the first prime at or after a 1024-bit number drawn from the stream (its top two bits set, so
// that the product of two has 2048 bits) whose p-1 is not a multiple of the exponent, searching 2^16 odd offsets
// before drawing again, as the TypeScript twin searches.
func derivedKeyPrime(stream *derivedKeyStream, small []int64) *big.Int {
	exponent := big.NewInt(derivedKeyExponent)
	one := big.NewInt(1)
	for {
		draw := stream.next(128)
		draw[0] |= 0xc0
		draw[127] |= 1
		start := new(big.Int).SetBytes(draw)
		residues := make([]int64, len(small))
		for i, p := range small {
			residues[i] = new(big.Int).Mod(start, big.NewInt(p)).Int64()
		}
		for offset := int64(0); offset < 1<<16; offset += 2 {
			divisible := false
			for i, p := range small {
				if (residues[i]+offset)%p == 0 {
					divisible = true
					break
				}
			}
			if divisible {
				continue
			}
			candidate := new(big.Int).Add(start, big.NewInt(offset))
			if new(big.Int).Mod(new(big.Int).Sub(candidate, one), exponent).Sign() != 0 && candidate.ProbablyPrime(20) {
				return candidate
			}
		}
	}
}

func derivedKeyBase64(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.Bytes()) }

// deriveSigningKey is the private RS256 JWK derived from the seed, with the members in the TypeScript twin's order.
func deriveSigningKey(seed, kid string) *e.Object {
	stream := &derivedKeyStream{seed: []byte(seed)}
	small := derivedKeySmallPrimes()
	p := derivedKeyPrime(stream, small)
	q := derivedKeyPrime(stream, small)
	for q.Cmp(p) == 0 {
		q = derivedKeyPrime(stream, small)
	}
	one := big.NewInt(1)
	pm1, qm1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
	d := new(big.Int).ModInverse(big.NewInt(derivedKeyExponent), new(big.Int).Mul(pm1, qm1))
	return e.NewObject(
		"kty", "RSA",
		"kid", kid,
		"n", derivedKeyBase64(new(big.Int).Mul(p, q)),
		"e", "AQAB",
		"d", derivedKeyBase64(d),
		"p", derivedKeyBase64(p),
		"q", derivedKeyBase64(q),
		"dp", derivedKeyBase64(new(big.Int).Mod(d, pm1)),
		"dq", derivedKeyBase64(new(big.Int).Mod(d, qm1)),
		"qi", derivedKeyBase64(new(big.Int).ModInverse(q, p)),
	)
}
