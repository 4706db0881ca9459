package main

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/dlclark/regexp2/v2"
)

// Patterns a user supplies that the TypeScript twin evaluates as a JavaScript RegExp (a GROUPS claim's REGEX filter,
// the login pattern of the user schema) are compiled with regexp2's ECMAScript mode here, not with Go's regexp: RE2
// has no lookaround or backreferences and reads some syntax its own way. The twin's own fixed patterns stay RE2.

// jsRegExp is a pattern compiled as new RegExp(source) compiles it: no flags, so it matches UTF-16 code units.
type jsRegExp struct{ re *regexp2.Regexp }

// compileJSRegExp compiles source as JavaScript's new RegExp(source) does, or fails where it throws a SyntaxError.
// regexp2 also takes .NET's group constructs ((?i), (?#...), (?>...), (?'name'...), conditionals) and a group name
// used twice in alternatives; Node (up to its 22 line) refuses them all, so they are refused here first.
func compileJSRegExp(source string) (*jsRegExp, error) {
	if err := jsGroupSyntax(source); err != nil {
		return nil, err
	}
	re, err := regexp2.Compile(utf16Pattern(source), regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return &jsRegExp{re}, nil
}

// test is RegExp.prototype.test: whether the pattern matches somewhere in s. A match regexp2 gives up on (its
// backtracking limit) counts as none.
func (r *jsRegExp) test(s string) bool {
	units := utf16.Encode([]rune(s))
	input := make([]rune, len(units))
	for i, u := range units {
		input[i] = rune(u)
	}
	matched, err := r.re.MatchRunes(input)
	return err == nil && matched
}

// jsGroupSyntax refuses the groups a JavaScript RegExp without flags does not know: after "(?" only ":", "=", "!",
// "<=", "<!" and "<name>" (each name once) are groups of its syntax.
func jsGroupSyntax(source string) error {
	names := map[string]bool{}
	inClass := false
	for i := 0; i < len(source); i++ {
		switch c := source[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(' && strings.HasPrefix(source[i+1:], "?"):
			rest := source[i+2:]
			switch {
			case strings.HasPrefix(rest, ":"), strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"), strings.HasPrefix(rest, "<="), strings.HasPrefix(rest, "<!"):
			case strings.HasPrefix(rest, "<") && strings.Contains(rest, ">"):
				name := rest[1:strings.Index(rest, ">")]
				if names[name] {
					return fmt.Errorf("duplicate capture group name %s", name)
				}
				names[name] = true
			default:
				return fmt.Errorf("invalid group at %d", i)
			}
		}
	}
	return nil
}

// utf16Pattern writes each character beyond the Basic Multilingual Plane as its two UTF-16 code units (\uD83D\uDE00),
// as JavaScript reads a pattern without the u flag: a quantifier after one repeats its low surrogate, and an identity
// escape of one escapes its high surrogate.
func utf16Pattern(source string) string {
	var out strings.Builder
	escaped := false
	for _, r := range source {
		switch {
		case r > 0xFFFF:
			high, low := utf16.EncodeRune(r)
			fmt.Fprintf(&out, `\u%04X\u%04X`, high, low)
			escaped = false
		case escaped:
			out.WriteByte('\\')
			out.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		default:
			out.WriteRune(r)
		}
	}
	if escaped {
		out.WriteByte('\\')
	}
	return out.String()
}
