package goengine

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// RouteMatch is a path's match: its operations by method, its template and its parameters.
type RouteMatch struct {
	Methods  map[string]*Operation
	Template string
	Params   map[string]string
}

type routeNode struct {
	literal  map[string]*routeNode
	param    *routeNode
	suffixed map[string]*routeNode
	suffixes []string
	route    *route
}

type route struct {
	template string
	names    []string
	methods  map[string]*Operation
}

// Router is a trie on path segments compiled from the document's templates: a literal segment beats a
// parameter (/users/me before /users/{id}), a parameter with a literal suffix ({id}:batchUpdate) beats a bare one.
type Router struct{ root *routeNode }

// NewRouter makes an empty router.
func NewRouter() *Router { return &Router{root: &routeNode{literal: map[string]*routeNode{}}} }

var paramSegment = regexp.MustCompile(`^\{([^}]+)\}(.*)$`)

// Add registers a template's operation for a method.
func (r *Router) Add(template, method string, op *Operation) error {
	node := r.root
	var names []string
	for _, segment := range strings.Split(template, "/")[1:] {
		if m := paramSegment.FindStringSubmatch(segment); m != nil {
			names = append(names, m[1])
			if m[2] != "" {
				if node.suffixed == nil {
					node.suffixed = map[string]*routeNode{}
				}
				next, ok := node.suffixed[m[2]]
				if !ok {
					next = &routeNode{literal: map[string]*routeNode{}}
					node.suffixed[m[2]] = next
					node.suffixes = append(node.suffixes, m[2])
				}
				node = next
				continue
			}
			if node.param == nil {
				node.param = &routeNode{literal: map[string]*routeNode{}}
			}
			node = node.param
			continue
		}
		next, ok := node.literal[segment]
		if !ok {
			next = &routeNode{literal: map[string]*routeNode{}}
			node.literal[segment] = next
		}
		node = next
	}
	if node.route != nil && node.route.template != template {
		return fmt.Errorf("[twinverse] OpenAPI paths %s and %s are the same path with other parameter names; keep one", node.route.template, template)
	}
	if node.route == nil {
		node.route = &route{template: template, names: names, methods: map[string]*Operation{}}
	}
	node.route.methods[method] = op
	return nil
}

func decodeSegment(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	// decodeURIComponent: a segment whose escapes are malformed or give bytes that are not UTF-8 stays as it is.
	if d, err := url.PathUnescape(s); err == nil && utf8.ValidString(d) {
		return d
	}
	return s
}

// Match finds the route of a path.
func (r *Router) Match(path string) *RouteMatch {
	found, params := r.match(path)
	if found == nil {
		return nil
	}
	return &RouteMatch{Methods: found.methods, Template: found.template, Params: params}
}

// match finds the route of a path and its parameters (nil when it has none).
func (r *Router) match(path string) (*route, map[string]string) {
	// Paths have a few segments: they are cut on the stack, not into a new slice.
	var segmentsBuf [16]string
	var valuesBuf [8]string
	segments := segmentsBuf[:0]
	if i := strings.IndexByte(path, '/'); i >= 0 {
		rest := path[i+1:]
		for {
			j := strings.IndexByte(rest, '/')
			if j < 0 {
				segments = append(segments, rest)
				break
			}
			segments = append(segments, rest[:j])
			rest = rest[j+1:]
		}
	}
	found, values := walk(r.root, segments, 0, valuesBuf[:0])
	if found == nil {
		return nil, nil
	}
	if len(found.names) == 0 {
		return found, nil
	}
	params := make(map[string]string, len(found.names))
	for k, name := range found.names {
		params[name] = values[k]
	}
	return found, params
}

func walk(node *routeNode, segments []string, i int, values []string) (*route, []string) {
	if i == len(segments) {
		if node.route == nil {
			return nil, nil
		}
		return node.route, values
	}
	if next, ok := node.literal[segments[i]]; ok {
		if found, v := walk(next, segments, i+1, values); found != nil {
			return found, v
		}
	}
	for _, suffix := range node.suffixes {
		seg := segments[i]
		if len(seg) <= len(suffix) || !strings.HasSuffix(seg, suffix) {
			continue
		}
		if found, v := walk(node.suffixed[suffix], segments, i+1, append(values, decodeSegment(seg[:len(seg)-len(suffix)]))); found != nil {
			return found, v
		}
	}
	if node.param != nil && segments[i] != "" {
		return walk(node.param, segments, i+1, append(values, decodeSegment(segments[i])))
	}
	return nil, nil
}
