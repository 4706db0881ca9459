package goengine

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
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
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// Match finds the route of a path.
func (r *Router) Match(path string) *RouteMatch {
	return walk(r.root, strings.Split(path, "/")[1:], 0, nil)
}

func walk(node *routeNode, segments []string, i int, values []string) *RouteMatch {
	if i == len(segments) {
		if node.route == nil {
			return nil
		}
		params := map[string]string{}
		for k, name := range node.route.names {
			params[name] = values[k]
		}
		return &RouteMatch{Methods: node.route.methods, Template: node.route.template, Params: params}
	}
	if next, ok := node.literal[segments[i]]; ok {
		if found := walk(next, segments, i+1, values); found != nil {
			return found
		}
	}
	for _, suffix := range node.suffixes {
		seg := segments[i]
		if len(seg) <= len(suffix) || !strings.HasSuffix(seg, suffix) {
			continue
		}
		if found := walk(node.suffixed[suffix], segments, i+1, append(values, decodeSegment(seg[:len(seg)-len(suffix)]))); found != nil {
			return found
		}
	}
	if node.param != nil && segments[i] != "" {
		return walk(node.param, segments, i+1, append(values, decodeSegment(segments[i])))
	}
	return nil
}
