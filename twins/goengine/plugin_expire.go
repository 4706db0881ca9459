package goengine

import (
	"fmt"
	"strings"
)

// The expire-credentials plugin (src/plugins/expire-credentials.ts): a credential stops working at an instant of the
// twin's clock or after n calls, refused with the vendor's own error for an expired (or revoked) credential, which
// the twin renders from the unauthorized refusal (Okta: 401 E0000011).

type expireCredentials struct {
	noPhases
	credential *string
	at         string
	atMs       *int64
	afterCalls *float64
	reason     string
	calls      map[string]int
}

func expireCredentialsPlugin(options *Object) (*Plugin, error) {
	p := expireCredentials{reason: "expired"}
	if v, ok := options.Get("credential"); ok {
		s := v.(string)
		p.credential = &s
	}
	if v, ok := options.Get("at"); ok {
		p.at = v.(string)
		t, err := ParseInstant(p.at)
		if err != nil {
			return nil, fmt.Errorf("[twinverse] expire-credentials: at %s is not an ISO-8601 instant", jsQuote(p.at))
		}
		ms := t.UnixMilli()
		p.atMs = &ms
	}
	if n, ok := getNumber(options, "afterCalls"); ok {
		p.afterCalls = &n
	}
	if p.atMs == nil && p.afterCalls == nil {
		return nil, fmt.Errorf("[twinverse] expire-credentials: give `at` (an instant) or `afterCalls` (a number of calls)")
	}
	if revoked, _ := options.Get("revoked"); revoked == true {
		p.reason = "revoked"
	}
	return &Plugin{name: "expire-credentials", options: options, target: targetOf(options), phases: func() pluginPhases {
		fresh := p
		fresh.calls = map[string]int{}
		return &fresh
	}}, nil
}

// authorizationCredential is the credential of the Authorization header: what follows the scheme (SSWS, Bearer, Basic).
func authorizationCredential(ctx *Ctx) (string, bool) {
	fields := strings.Fields(ctx.Headers["authorization"])
	if len(fields) < 2 {
		return "", false
	}
	return strings.Join(fields[1:], " "), true
}

func (p *expireCredentials) before(ctx *Ctx, s *pluginScope) (*Result, error) {
	carried, ok := authorizationCredential(ctx)
	if !ok || (p.credential != nil && carried != *p.credential) {
		return nil, nil
	}
	p.calls[carried]++
	n := p.calls[carried]
	timeUp := p.atMs != nil && ctx.Clock.NowMs() >= *p.atMs
	usedUp := p.afterCalls != nil && float64(n) > *p.afterCalls
	if !timeUp && !usedUp {
		return nil, nil
	}
	why := "the clock passed " + p.at
	if !timeUp {
		why = fmt.Sprintf("call %d, after %s allowed", n, jsNumberString(*p.afterCalls))
	}
	s.note(fmt.Sprintf("refused the credential as %s: %s", p.reason, why))
	return nil, &EngineError{Kind: "unauthorized", Message: "The credential was " + p.reason}
}
