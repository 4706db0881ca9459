package goengine

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Param is a declared parameter of an operation.
type Param struct {
	Name     string
	In       string
	Required bool
	IsArray  bool
	schema   any
	// plain: the schema is a plain string (plainString), so any text passes unchanged.
	plain bool
}

// Operation is one operation of the document: what the router finds and the validators check.
type Operation struct {
	ID       string
	Method   string
	Path     string
	Security []*Object
	Tags     []string
	Params   []Param
	// RequestMediaTypes are the accepted body media types, lower case; empty when the operation takes no body.
	RequestMediaTypes []string
	BodyRequired      bool
	bodySchemas       map[string]any
	responses         map[string]responseEntry
	spec              *Spec
}

type responseEntry struct {
	media      map[string]any
	hasContent bool
}

// Spec is a compiled OpenAPI 3.0 document: the route table and the validators. Schemas stay as the raw
// document's nodes and are followed by $ref as they are validated, so recursive schemas need no expansion.
type Spec struct {
	Doc        *Object
	Prefix     string
	Router     *Router
	Operations map[string]*Operation
}

// YAMLToJSON converts a YAML document to JSON text with its keys in document order: a twin embeds its
// OpenAPI document as JSON, which loads several times faster than YAML when the binary starts.
func YAMLToJSON(text []byte) ([]byte, error) {
	var node yaml.Node
	if err := yaml.Unmarshal(text, &node); err != nil {
		return nil, fmt.Errorf("[twinverse] cannot read the YAML document: %v", err)
	}
	v, err := fromYAML(&node)
	if err != nil {
		return nil, err
	}
	return Marshal(v), nil
}

// LoadSpec reads and compiles an OpenAPI 3.0 document given as JSON, or as YAML.
func LoadSpec(text []byte) (*Spec, error) {
	var raw any
	var err error
	if trimmed := bytes.TrimSpace(text); len(trimmed) > 0 && trimmed[0] == '{' {
		raw, err = Parse(trimmed, 4096)
	} else {
		var node yaml.Node
		if err = yaml.Unmarshal(text, &node); err == nil {
			raw, err = fromYAML(&node)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("[twinverse] cannot load the OpenAPI document: %v", err)
	}
	doc, ok := raw.(*Object)
	if !ok || !strings.HasPrefix(doc.Str("openapi"), "3.") {
		return nil, fmt.Errorf("[twinverse] not an OpenAPI 3.x document")
	}
	s := &Spec{Doc: doc, Router: NewRouter(), Operations: map[string]*Operation{}}
	s.Prefix = pathPrefix(doc)
	docSecurity := objects(doc.Arr("security"))
	paths := doc.Obj("paths")
	for _, template := range paths.Keys() {
		item := s.resolve(paths.Obj(template))
		for _, method := range methods {
			op := item.Obj(method)
			if op == nil {
				continue
			}
			id := op.Str("operationId")
			if id == "" {
				return nil, fmt.Errorf("[twinverse] %s %s has no operationId", strings.ToUpper(method), template)
			}
			if _, dup := s.Operations[id]; dup {
				return nil, fmt.Errorf("[twinverse] operationId %s is used twice", id)
			}
			compiled := &Operation{ID: id, Method: strings.ToUpper(method), Path: template, Security: docSecurity, spec: s, bodySchemas: map[string]any{}, responses: map[string]responseEntry{}}
			if v, has := op.Get("security"); has {
				list, _ := v.([]any)
				compiled.Security = objects(list)
			}
			for _, t := range op.Arr("tags") {
				if str, isStr := t.(string); isStr {
					compiled.Tags = append(compiled.Tags, str)
				}
			}
			// Path-level parameters apply unless the operation redefines them.
			var params []Param
			collect := func(list []any) {
				for _, p := range list {
					node := s.resolve(p.(*Object))
					param := Param{Name: node.Str("name"), In: node.Str("in"), schema: node.Obj("schema")}
					if param.In == "header" {
						param.Name = strings.ToLower(param.Name)
					}
					required, _ := node.Get("required")
					param.Required = required == true || param.In == "path"
					param.IsArray = s.resolve(node.Obj("schema")).Str("type") == "array"
					param.plain = plainString(s.resolve(node.Obj("schema")))
					for i, existing := range params {
						if existing.Name == param.Name && existing.In == param.In {
							params = append(params[:i], params[i+1:]...)
							break
						}
					}
					params = append(params, param)
				}
			}
			collect(item.Arr("parameters"))
			collect(op.Arr("parameters"))
			compiled.Params = params
			if body := s.resolve(op.Obj("requestBody")); body != nil {
				required, _ := body.Get("required")
				compiled.BodyRequired = required == true
				content := body.Obj("content")
				for _, mt := range content.Keys() {
					compiled.RequestMediaTypes = append(compiled.RequestMediaTypes, strings.ToLower(mt))
					if schema, has := content.Obj(mt).Get("schema"); has {
						compiled.bodySchemas[strings.ToLower(mt)] = schema
					}
				}
			}
			responses := op.Obj("responses")
			for _, status := range responses.Keys() {
				r := s.resolve(responses.Obj(status))
				entry := responseEntry{media: map[string]any{}}
				content := r.Obj("content")
				entry.hasContent = content.Len() > 0
				for _, mt := range content.Keys() {
					if schema, has := content.Obj(mt).Get("schema"); has {
						entry.media[strings.ToLower(mt)] = schema
					}
				}
				compiled.responses[strings.ToUpper(status)] = entry
			}
			s.Operations[id] = compiled
			if err := s.Router.Add(template, compiled.Method, compiled); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

func objects(list []any) []*Object {
	out := []*Object{}
	for _, v := range list {
		if o, ok := v.(*Object); ok {
			out = append(out, o)
		}
	}
	return out
}

func pathPrefix(doc *Object) string {
	servers := doc.Arr("servers")
	if len(servers) == 0 {
		return ""
	}
	server, _ := servers[0].(*Object)
	raw := server.Str("url")
	vars := server.Obj("variables")
	for _, name := range vars.Keys() {
		raw = strings.ReplaceAll(raw, "{"+name+"}", vars.Obj(name).Str("default"))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" || u.Path == "/" {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

// resolve follows local $refs until it reaches an object that is not one.
func (s *Spec) resolve(o *Object) *Object {
	for i := 0; o != nil && i < 32; i++ {
		ref := o.Str("$ref")
		if !strings.HasPrefix(ref, "#/") {
			return o
		}
		target, _ := s.pointer(ref[1:]).(*Object)
		o = target
	}
	return o
}

// pointer reads a JSON pointer (with ~0, ~1 and percent escapes) in the document.
func (s *Spec) pointer(p string) any {
	var node any = s.Doc
	for _, part := range strings.Split(p, "/")[1:] {
		if unescaped, err := url.PathUnescape(part); err == nil {
			part = unescaped
		}
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case *Object:
			node, _ = n.Get(part)
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			node = n[i]
		default:
			return nil
		}
	}
	return node
}

// fromYAML turns a YAML node into ordered JSON values.
func fromYAML(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return fromYAML(n.Content[0])
	case yaml.AliasNode:
		return fromYAML(n.Alias)
	case yaml.MappingNode:
		o := NewObject()
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := fromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			o.Set(n.Content[i].Value, v)
		}
		return o, nil
	case yaml.SequenceNode:
		a := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromYAML(c)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		return a, nil
	default:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!int", "!!float":
			var f float64
			err := n.Decode(&f)
			return f, err
		default:
			return n.Value, nil
		}
	}
}
