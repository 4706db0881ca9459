// Package goengine is the vendor-neutral engine of twinverse's Go twins: the same contract as the TypeScript
// engine (src/engine): routing and validation from the OpenAPI document, one pipeline of named stages, the
// admin API, a store of plain JSON state with seeded ids and an injectable clock, and --data persistence.
// A twin (twins/<service>/go) gives it handlers by operationId and its vendor's error envelope.
package goengine

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// MaxJSONDepth is how deep a JSON body may nest, as in the TypeScript engine.
const MaxJSONDepth = 64

const (
	defaultBodyLimit    = 10 * 1024 * 1024
	journalBodyLimit    = 4096
	defaultJournalLimit = 1000
)

// Headers are a response's headers by lower-case name; a name may repeat (Link).
type Headers map[string][]string

// Set gives a header one value.
func (h Headers) Set(name, value string) { h[name] = []string{value} }

// Get is a header's first value.
func (h Headers) Get(name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has says whether a header is set.
func (h Headers) Has(name string) bool { return len(h[name]) > 0 }

// Result is what a handler answers: a status, headers (lower-case names) and a JSON value, or text.
type Result struct {
	Status  int
	Headers Headers
	Body    any
	// NoBody marks an answer without a body (204); Body is ignored then.
	NoBody bool
	// Fault is set when a plugin chose not to answer: "drop" closes the connection, "hang" leaves it unanswered.
	Fault string
}

// OK is a 200 answer with a body.
func OK(body any) *Result { return &Result{Status: 200, Headers: Headers{}, Body: body} }

// NoContent is a 204 answer.
func NoContent() *Result { return &Result{Status: 204, Headers: Headers{}, NoBody: true} }

// Handler serves one operation on a validated context.
type Handler func(ctx *Ctx) (*Result, error)

// TwinError marks a twin's own refusal: it keeps what its handler wrote (vendors change state on some refusals).
type TwinError interface {
	error
	TwinRefusal()
}

// EngineError is a refusal by the engine, rendered by the twin in its vendor's envelope.
type EngineError struct {
	Kind        string
	Message     string
	Diagnostics []Diagnostic
	Allow       []string
	RetryAfter  int
	HasRetry    bool
}

func (e *EngineError) Error() string { return e.Message }

// RateLimitPolicy is how a vendor limits rates: a request's bucket and the headers it sends.
type RateLimitPolicy struct {
	Bucket  func(ctx *Ctx) Bucket
	Headers func(w Window, refused bool, ctx *Ctx) map[string]string
	// SetHeaders, when given, is used instead of Headers: it sets the same headers on the response itself, which
	// spares a map on every response.
	SetHeaders func(w Window, refused bool, ctx *Ctx, h Headers)
}

// Bucket is one rate-limit bucket.
type Bucket struct {
	Key           string
	Limit         int
	WindowSeconds int
}

// Window is where a bucket stands for the request being answered.
type Window struct {
	Key           string
	Limit         int
	Used          int
	Remaining     int
	ResetAt       int64
	WindowSeconds int
}

// Definition declares a twin: its document, seed, handlers and vendor hooks.
type Definition struct {
	Name         string
	OpenAPI      []byte
	Seed         []byte
	Handlers     map[string]Handler
	Authenticate func(ctx *Ctx) error
	RenderError  func(err error, ctx *Ctx) *Result
	OnResponse   func(r *Result, ctx *Ctx)
	RateLimits   *RateLimitPolicy
	// ReportRateLimits installs rate-limit reporting (enforce false) as the twin's own plugin, as Okta's twin does.
	ReportRateLimits bool
	// ReadOnly says whether a routed request (its ctx.Op, Params and Headers; the state is not yet readable) only
	// reads the state: its handler, authentication and error rendering write nothing but through the engine's own
	// concurrency-safe parts (ids, memo, clock). Such requests run in parallel with each other; a ctx.Set or
	// ctx.Delete in one panics, so a wrong answer fails loudly instead of racing. Nil: every request runs alone.
	ReadOnly func(ctx *Ctx) bool
	// AnswerKey opts a read-only request (one ReadOnly declared) into the answer cache (answers.go): the key of
	// everything its handler's answer depends on besides the state (the base URL, the parameters and headers it
	// reads, the caller), appended to key, or false. Such an answer is kept, written as JSON, until the state may have changed, and
	// the next request with the same operation and key gets it without running the handler. Only an operation
	// whose handler reads nothing else (not the clock, not the query unless keyed) and writes nothing may be keyed.
	AnswerKey func(ctx *Ctx, key []byte) ([]byte, bool)
}

// Options of a twin instance, as `twinverse serve` takes them.
type Options struct {
	Strict bool
	Clock  string
	IDSeed *uint32
	// Plugins are given when the twin is created: they run after those added at runtime, before the twin's own.
	// RandomSeed seeds the plugins' draws (default 1).
	Plugins      []*Plugin
	RandomSeed   *uint32
	JournalLimit int
	BodyLimit    int64
	AdminToken   string
	AdminHosts   []string
	DataFile     string
	// Log receives drift and failure reports (stderr by default).
	Log io.Writer
}

// JournalEntry is one request the twin served, as GET /__twin/requests lists it.
type JournalEntry struct {
	seq         int
	time        string
	method      string
	path        string
	query       string
	operationID string
	status      int
	requestBody string
	hasBody     bool
	notes       []*Object
}

func (e JournalEntry) json() *Object {
	o := NewObject("seq", float64(e.seq), "time", e.time, "method", e.method, "path", e.path, "query", e.query)
	if e.operationID == "" {
		o.Set("operationId", nil)
	} else {
		o.Set("operationId", e.operationID)
	}
	o.Set("status", float64(e.status))
	if e.hasBody {
		o.Set("requestBody", e.requestBody)
	}
	if len(e.notes) > 0 {
		notes := make([]any, len(e.notes))
		for i, n := range e.notes {
			notes[i] = n
		}
		o.Set("plugins", notes)
	}
	return o
}

// Twin is a running instance: it owns its state, clock, journal and plugins. A request that may change the state
// runs alone; reads the twin declares (Definition.ReadOnly) share the lock and run in parallel, since under load
// they are most of a twin's traffic. What every request writes, reads included (a request id, a journal entry, a
// rate-limit count, a memo), has its own small lock.
type Twin struct {
	mu versionedLock
	// journalMu guards journal and seq; memoMu the memo map (the plugin chain has its own lock).
	journalMu sync.Mutex
	memoMu    sync.Mutex
	def       *Definition
	opts      Options
	Spec      *Spec
	Store     *Store
	Clock     *Clock
	bodyLimit int64
	journal   []JournalEntry
	seq       int
	memo      map[string]any
	plugins   *pluginChain
	data      *dataFile
	log       io.Writer

	// isoStamps and dateStamps are the last instants formatted as ISO-8601 and as an HTTP date (stamps.go).
	isoStamps  stampCache
	dateStamps stampCache
	// wallStamps is the wall clock's last second as an HTTP date (the server's Date header).
	wallStamps stampCache
	// lastOrigin is the last request's origin and whether its host is valid (stamps.go).
	lastOrigin atomic.Pointer[hostOrigin]
	// answers are the answers kept for Definition.AnswerKey (answers.go).
	answers answerCache
}

// New creates a twin instance from its definition.
func New(def *Definition, opts Options) (*Twin, error) {
	spec, err := LoadSpec(def.OpenAPI)
	if err != nil {
		return nil, err
	}
	for id := range def.Handlers {
		if _, ok := spec.Operations[id]; !ok {
			return nil, fmt.Errorf("[twinverse] %s twin: handler %s matches no operationId in its document", def.Name, id)
		}
	}
	clock, err := NewClock(opts.Clock)
	if err != nil {
		return nil, err
	}
	seed := NameSeed(def.Name)
	if opts.IDSeed != nil {
		seed = *opts.IDSeed
	}
	store, err := NewStore(def.Name, def.Seed, seed)
	if err != nil {
		return nil, err
	}
	limit := opts.BodyLimit
	if limit <= 0 {
		limit = defaultBodyLimit
	}
	if opts.JournalLimit <= 0 {
		opts.JournalLimit = defaultJournalLimit
	}
	if opts.Log == nil {
		opts.Log = os.Stderr
	}
	t := &Twin{def: def, opts: opts, Spec: spec, Store: store, Clock: clock, bodyLimit: limit, memo: map[string]any{}, log: opts.Log}
	t.plugins = newPluginChain(def, opts.Plugins, opts.RandomSeed)
	return t, nil
}

// Name is the twin's service name.
func (t *Twin) Name() string { return t.def.Name }

// Memo keeps what a twin derives from its state (indexes) until the state is replaced or a write is undone.
// Parallel reads may build the same memo at once (build runs outside the lock, since it may read other memos);
// the first one stored is the one every caller gets.
func (t *Twin) Memo(key string, build func() any) any {
	t.memoMu.Lock()
	v, ok := t.memo[key]
	t.memoMu.Unlock()
	if ok {
		return v
	}
	v = build()
	t.memoMu.Lock()
	defer t.memoMu.Unlock()
	if stored, ok := t.memo[key]; ok {
		return stored
	}
	t.memo[key] = v
	return v
}

func (t *Twin) forget() {
	t.memoMu.Lock()
	t.memo = map[string]any{}
	t.memoMu.Unlock()
}

// Request is one request as the pipeline sees it: transport details are gone.
type Request struct {
	Method       string
	Path         string
	RawQuery     string
	Headers      map[string]string
	Body         string
	HasBody      bool
	BodyTooLarge bool
	BaseURL      string
	LocalAddress string
}

// Search is the URL's query string as location.search shows it ("" or "?...").
func (r *Request) Search() string {
	if r.RawQuery == "" {
		return ""
	}
	return "?" + r.RawQuery
}

// Ctx is everything a handler sees of its request.
type Ctx struct {
	Twin    *Twin
	Request *Request
	BaseURL string
	Headers map[string]string
	Query   map[string]any
	Params  map[string]string
	Body    any
	Op      *Operation
	// Auth is what the twin's Authenticate decided about the caller.
	Auth  any
	State *Object
	IDs   *IDs
	Clock *Clock
	// Search holds the query string's pairs in order, as URLSearchParams reads them.
	Search    *SearchParams
	requestID string
	tx        *tx
	// counted is where each rate-limit installation counted this request, so that it counts it once (a request
	// meets one or two: a list beats a map).
	counted    []countedWindow
	countedBuf [1]countedWindow
	// scope is what the plugin phase being run is given (plugins.go).
	scope pluginScope
	// search is what Search points to, kept with the context rather than apart.
	search SearchParams
	// notes are what plugins did to the request, for its journal entry.
	notes []*Object
	// shared: the request holds the twin's lock with other reads (Definition.ReadOnly), so it must not write.
	shared bool
	// answerKey is where the request's answer key is made (answers.go), long enough for the usual one.
	answerKey [128]byte
}

type countedWindow struct {
	inst   *installation
	window Window
}

// RequestID is the id of the request being served, made once per request by the twin.
func (c *Ctx) RequestID(make func() string) string {
	if c.requestID == "" {
		c.requestID = make()
	}
	return c.requestID
}

// Memo is the twin's memo.
func (c *Ctx) Memo(key string, build func() any) any { return c.Twin.Memo(key, build) }

// Now is the clock's now as an ISO-8601 string.
func (c *Ctx) Now() string {
	if c.Twin == nil {
		return ISO(c.Clock.NowMs())
	}
	return c.Twin.iso(c.Clock.NowMs())
}

// errWriteInRead is the panic of a write made by a request its twin declared read-only.
const errWriteInRead = "a request declared read-only (Definition.ReadOnly) wrote to the state"

// Set writes a key of a state object, remembered so that a failed request can be taken back.
func (c *Ctx) Set(o *Object, key string, v any) {
	if c.shared {
		panic(errWriteInRead + ": " + key)
	}
	if c.tx != nil {
		c.tx.record(o, key)
	}
	o.Set(key, v)
}

// Delete removes a key of a state object, remembered like Set.
func (c *Ctx) Delete(o *Object, key string) {
	if !o.Has(key) {
		return
	}
	if c.shared {
		panic(errWriteInRead + ": " + key)
	}
	if c.tx != nil {
		c.tx.record(o, key)
	}
	o.Delete(key)
}

// Ensure returns the object under a key, creating an empty one (recorded) when there is none.
func (c *Ctx) Ensure(o *Object, key string) *Object {
	if existing := o.Obj(key); existing != nil {
		return existing
	}
	created := NewObject()
	c.Set(o, key, created)
	return created
}

// undo takes back writes to one object. A small object (a record) is saved whole before its first write, and
// put back whole. A large one (a collection: users by id) is not copied on every write, which would make each
// create cost as much as the collection; each write to it is remembered instead (the key, whether it was there,
// its value and place), and undone newest first, which puts back the values and the keys' order alike.
type undo struct {
	o     *Object
	whole bool
	keys  []string
	vals  []any
	key   string
	had   bool
	old   any
	at    int
}

// wholeUndoUpTo is the size up to which an object is saved whole before its first write.
const wholeUndoUpTo = 12

// tx remembers what each write changed, to put it back (with the key order) on failure.
type tx struct {
	undos []undo
	saved map[*Object]bool
	wrote bool
}

func (t *tx) record(o *Object, key string) {
	t.wrote = true
	if t.saved[o] {
		return
	}
	if len(o.keys) <= wholeUndoUpTo {
		t.saved[o] = true
		t.undos = append(t.undos, undo{o: o, whole: true, keys: append([]string(nil), o.keys...), vals: append([]any(nil), o.vals...)})
		return
	}
	at := o.find(key)
	u := undo{o: o, key: key, had: at >= 0, at: at}
	if u.had {
		u.old = o.vals[at]
	}
	t.undos = append(t.undos, u)
}

func (t *tx) rollback() {
	for i := len(t.undos) - 1; i >= 0; i-- {
		u := t.undos[i]
		switch {
		case u.whole:
			u.o.restore(u.keys, u.vals)
		case !u.had:
			u.o.Delete(u.key)
		case u.o.Has(u.key):
			u.o.Set(u.key, u.old)
		default:
			u.o.insertAt(u.at, u.key, u.old)
		}
	}
	t.undos = nil
}

var safeMethods = map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true}

// uncheckedRefusals are refusals no operation's documented responses list: strict mode does not check them.
var uncheckedRefusals = map[string]bool{"not_implemented": true, "unsupported_media_type": true, "payload_too_large": true, "internal": true, "response_drift": true, "rate_limited": true, "unavailable": true, "server_error": true, "unauthorized": true}

// Handle serves one request through the pipeline; it never panics.
func (t *Twin) Handle(req *Request) (res *Result) {
	if strings.HasPrefix(req.Path, "/__twin/") {
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.admin(req)
	}
	// Query and Params stay nil (reading a nil map gives nothing) until validation and routing find some.
	ctx := &Ctx{Twin: t, Request: req, BaseURL: req.BaseURL, Headers: req.Headers, Clock: t.Clock}
	ctx.search.parse(req.RawQuery)
	ctx.Search = &ctx.search
	// Routing reads only the document, so it runs before the lock and decides which lock the request takes.
	var routed *Operation
	var routeErr error
	if !req.BodyTooLarge {
		routed, routeErr = t.route(ctx)
	}
	if routed != nil && t.def.ReadOnly != nil && t.readOnly(ctx, routed) {
		ctx.shared = true
		t.mu.RLock()
		defer t.mu.RUnlock()
	} else {
		t.mu.Lock()
		defer t.mu.Unlock()
	}
	ctx.State, ctx.IDs = t.Store.State, t.Store.IDs
	notes := &ctx.notes
	draft, checkable := t.run(ctx, notes, routed, routeErr)
	if draft.Fault != "" {
		t.record(ctx, 0, *notes)
		return draft
	}
	if t.opts.Strict && ctx.Op != nil && checkable {
		if checked := t.strictCheck(ctx, draft); checked != draft {
			t.undo(ctx)
			draft = checked
		}
	}
	if ctx.tx != nil && ctx.tx.wrote && t.data != nil {
		if err := t.data.save(t.Store.Export()); err != nil {
			t.undo(ctx)
			draft = t.render(ctx, &EngineError{Kind: "unavailable", Message: fmt.Sprintf("The %s twin could not save the change, so it was not made: %v", t.def.Name, err)})
		}
	}
	draft = t.plugins.after(ctx, draft, notes)
	t.finish(ctx, draft)
	t.record(ctx, draft.Status, *notes)
	return draft
}

// readOnly asks the twin whether a routed request only reads; ctx.Op is set for the question only, since the
// pipeline sets it again where it always has (after the body-size check).
func (t *Twin) readOnly(ctx *Ctx, op *Operation) (shared bool) {
	ctx.Op = op
	defer func() {
		ctx.Op = nil
		// Handle never panics: a question that does is answered no, and the request runs alone.
		if recover() != nil {
			shared = false
		}
	}()
	return t.def.ReadOnly(ctx)
}

// run is the pipeline up to the handler's answer or its rendered refusal; routed and routeErr are the route found
// before the lock was taken.
func (t *Twin) run(ctx *Ctx, notes *[]*Object, routed *Operation, routeErr error) (draft *Result, checkable bool) {
	defer func() {
		if p := recover(); p != nil {
			t.undo(ctx)
			fmt.Fprintf(t.log, "[twinverse] %s twin: unexpected error in %s: %v\n%s", t.def.Name, opName(ctx), p, debug.Stack())
			draft, checkable = t.render(ctx, &EngineError{Kind: "internal", Message: "Unexpected error in a handler"}), false
		}
	}()
	result, err := t.stages(ctx, notes, routed, routeErr)
	if ctx.tx != nil && err != nil {
		var twinErr TwinError
		if !errors.As(err, &twinErr) {
			t.undo(ctx)
		}
	}
	if err != nil {
		var engineErr *EngineError
		checkable = !(errors.As(err, &engineErr) && uncheckedRefusals[engineErr.Kind])
		return t.render(ctx, err), checkable
	}
	return normalize(result), true
}

func opName(ctx *Ctx) string {
	if ctx.Op != nil {
		return ctx.Op.ID
	}
	return "the engine"
}

func (t *Twin) stages(ctx *Ctx, notes *[]*Object, op *Operation, routeErr error) (*Result, error) {
	req := ctx.Request
	if req.BodyTooLarge {
		return nil, &EngineError{Kind: "payload_too_large", Message: fmt.Sprintf("The request body is larger than the %s twin accepts (%d bytes)", t.def.Name, t.bodyLimit)}
	}
	if routeErr != nil {
		return nil, routeErr
	}
	ctx.Op = op
	if t.def.Handlers[op.ID] == nil {
		return nil, &EngineError{Kind: "not_implemented", Message: fmt.Sprintf("%s (%s %s) is described but not emulated by the %s twin", op.ID, op.Method, op.Path, t.def.Name)}
	}
	if t.def.Authenticate != nil {
		if err := t.def.Authenticate(ctx); err != nil {
			return nil, err
		}
	}
	if answer, err := t.plugins.before(ctx, notes); answer != nil || err != nil {
		return answer, err
	}
	if err := t.validate(ctx); err != nil {
		return nil, err
	}
	if !safeMethods[req.Method] {
		ctx.tx = &tx{saved: map[*Object]bool{}}
	}
	if t.def.AnswerKey != nil && ctx.shared && !t.opts.Strict {
		return t.cachedAnswer(ctx, t.def.Handlers[op.ID])
	}
	return t.def.Handlers[op.ID](ctx)
}

func (t *Twin) undo(ctx *Ctx) {
	if ctx.tx != nil {
		ctx.tx.rollback()
		ctx.tx.wrote = false
		t.forget()
	}
}

var multipleSlashes = regexp.MustCompile(`/{2,}`)

func (t *Twin) route(ctx *Ctx) (*Operation, error) {
	req := ctx.Request
	path := req.Path
	if strings.Contains(path, "//") {
		path = multipleSlashes.ReplaceAllString(path, "/")
	}
	notEmulated := func() error {
		return &EngineError{Kind: "route_not_found", Message: fmt.Sprintf("%s %s is not emulated by the %s twin", req.Method, req.Path, t.def.Name)}
	}
	if p := t.Spec.Prefix; p != "" {
		if path != p && !strings.HasPrefix(path, p+"/") {
			return nil, notEmulated()
		}
		path = strings.TrimPrefix(path, p)
		if path == "" {
			path = "/"
		}
	}
	match, params := t.Spec.Router.match(path)
	if match == nil {
		return nil, notEmulated()
	}
	op := match.methods[req.Method]
	if op == nil && req.Method == "HEAD" {
		op = match.methods["GET"]
	}
	if op == nil {
		var allow []string
		for _, m := range []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"} {
			if match.methods[m] != nil {
				allow = append(allow, m)
			}
		}
		if match.methods["GET"] != nil && match.methods["HEAD"] == nil {
			allow = append(allow, "HEAD")
		}
		return nil, &EngineError{Kind: "method_not_allowed", Message: fmt.Sprintf("%s is not supported on %s", req.Method, match.template), Allow: allow}
	}
	ctx.Params = params
	return op, nil
}

func mediaTypeOf(value string) string {
	mt, _, _ := strings.Cut(value, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

func (t *Twin) validate(ctx *Ctx) error {
	op := ctx.Op
	query, pathValues, diagnostics := op.checkParameters(ctx)
	req := ctx.Request
	if len(op.RequestMediaTypes) > 0 && req.Body != "" {
		mediaType := mediaTypeOf(ctx.Headers["content-type"])
		if mediaType == "" {
			mediaType = "application/json"
		}
		accepted := false
		for _, m := range op.RequestMediaTypes {
			if m == mediaType || m == "*/*" {
				accepted = true
			}
		}
		if !accepted {
			return &EngineError{Kind: "unsupported_media_type", Message: fmt.Sprintf("%s takes %s, not %s", op.ID, strings.Join(op.RequestMediaTypes, " or "), mediaType)}
		}
		body, err := parseBody(mediaType, req.Body)
		if err != nil {
			return err
		}
		ctx.Body = body
		diagnostics = append(diagnostics, op.ValidateBody(mediaType, body)...)
	} else if op.BodyRequired {
		diagnostics = append(diagnostics, Diagnostic{In: "body", Name: "body", Message: "is required"})
	}
	if len(diagnostics) > 0 {
		return &EngineError{Kind: "invalid_request", Message: "The request does not match the OpenAPI document", Diagnostics: diagnostics}
	}
	ctx.Query = query
	for _, kv := range pathValues {
		if ctx.Params == nil {
			ctx.Params = map[string]string{}
		}
		ctx.Params[kv[0]] = kv[1]
	}
	return nil
}

func parseBody(mediaType, text string) (any, error) {
	if mediaType == "application/x-www-form-urlencoded" {
		out := NewObject()
		for _, kv := range ParseSearch(text).pairs {
			out.Set(kv[0], kv[1])
		}
		return out, nil
	}
	if mediaType == "application/json" || strings.HasSuffix(mediaType, "+json") {
		v, err := Parse([]byte(text), MaxJSONDepth)
		if errors.Is(err, ErrTooDeep) {
			return nil, &EngineError{Kind: "malformed_body", Message: fmt.Sprintf("The request body nests deeper than %d levels", MaxJSONDepth)}
		}
		if err != nil {
			return nil, &EngineError{Kind: "malformed_body", Message: "The request body is not well-formed JSON"}
		}
		return v, nil
	}
	return text, nil
}

// render turns any refusal into the vendor's envelope; a 405 names the methods the path serves.
func (t *Twin) render(ctx *Ctx, err error) (res *Result) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(t.log, "[twinverse] renderError of the %s twin panicked: %v\n", t.def.Name, p)
			res = &Result{Status: 500, Headers: Headers{}, Body: NewObject("error", "internal error")}
		}
	}()
	var engineErr *EngineError
	var twinErr TwinError
	if !errors.As(err, &engineErr) && !errors.As(err, &twinErr) {
		fmt.Fprintf(t.log, "[twinverse] %s twin: unexpected error in %s: %v\n", t.def.Name, opName(ctx), err)
		err = &EngineError{Kind: "internal", Message: "Unexpected error in a handler"}
		engineErr = err.(*EngineError)
	}
	draft := normalize(t.def.RenderError(err, ctx))
	if draft.Status == 405 && engineErr != nil && len(engineErr.Allow) > 0 {
		if !draft.Headers.Has("allow") {
			draft.Headers.Set("allow", strings.Join(engineErr.Allow, ", "))
		}
	}
	return draft
}

func normalize(r *Result) *Result {
	if r == nil {
		return &Result{Status: 200, Headers: Headers{}, NoBody: true}
	}
	if r.Status == 0 {
		r.Status = 200
	}
	// Handlers write lower-case names almost always; the map is rebuilt only when one is not.
	for k := range r.Headers {
		if strings.ToLower(k) != k {
			headers := make(Headers, len(r.Headers))
			for k, v := range r.Headers {
				headers[strings.ToLower(k)] = v
			}
			r.Headers = headers
			break
		}
	}
	if r.Headers == nil {
		r.Headers = Headers{}
	}
	if r.Body == nil && !r.NoBody {
		r.NoBody = true
	}
	return r
}

func (t *Twin) strictCheck(ctx *Ctx, draft *Result) *Result {
	mediaType := mediaTypeOf(draft.Headers.Get("content-type"))
	if mediaType == "" && !draft.NoBody {
		mediaType = "application/json"
	}
	var body any
	if !draft.NoBody {
		body = Clone(draft.Body)
		// What the wire carries is checked: the body as JSON text read back.
		if parsed, err := Parse(Marshal(draft.Body), 1<<20); err == nil {
			body = parsed
		}
	}
	diagnostics := ctx.Op.ValidateResponse(draft.Status, mediaType, body, !draft.NoBody)
	if len(diagnostics) == 0 {
		return draft
	}
	parts := make([]string, len(diagnostics))
	for i, d := range diagnostics {
		parts[i] = d.Name + " " + d.Message
	}
	message := fmt.Sprintf("[twinverse] strict mode: the %s twin's %d response to %s does not match its OpenAPI document: %s", t.def.Name, draft.Status, ctx.Op.ID, strings.Join(parts, "; "))
	fmt.Fprintln(t.log, message)
	return t.render(ctx, &EngineError{Kind: "response_drift", Message: message, Diagnostics: diagnostics})
}

// jsonContentType and textContentType are the content types the engine gives answers, one list each for all of
// them: header values are replaced, never written into, and being full an append would copy them.
var (
	jsonContentType = []string{"application/json"}[:1:1]
	textContentType = []string{"text/plain; charset=utf-8"}[:1:1]
)

func (t *Twin) finish(ctx *Ctx, draft *Result) {
	if t.def.OnResponse != nil {
		t.def.OnResponse(draft, ctx)
	}
	if !draft.NoBody {
		if !draft.Headers.Has("content-type") {
			if _, isText := draft.Body.(string); isText {
				draft.Headers["content-type"] = textContentType
			} else {
				draft.Headers["content-type"] = jsonContentType
			}
		}
	}
}

// Encode is the body's text: a string as it is for a non-JSON type, anything else as JSON.
func (r *Result) Encode() []byte {
	if r.NoBody {
		return nil
	}
	return r.appendBody(make([]byte, 0, 1024))
}

// appendBody appends the body's text (as Encode gives it) to b.
func (r *Result) appendBody(b []byte) []byte {
	if s, ok := r.Body.(string); ok {
		ct := mediaTypeOf(r.Headers.Get("content-type"))
		if ct != "" && ct != "application/json" && !strings.HasSuffix(ct, "+json") {
			return append(b, s...)
		}
	}
	return appendValue(b, r.Body)
}

// pooledBodyLimit is the largest encoding buffer kept for reuse: a rare huge answer does not pin its memory.
const pooledBodyLimit = 1 << 20

func (t *Twin) record(ctx *Ctx, status int, notes []*Object) {
	req := ctx.Request
	t.journalMu.Lock()
	defer t.journalMu.Unlock()
	t.seq++
	entry := JournalEntry{seq: t.seq, time: t.iso(t.Clock.NowMs()), method: req.Method, path: req.Path, query: req.Search(), status: status, notes: notes}
	if ctx.Op != nil {
		entry.operationID = ctx.Op.ID
	}
	if req.Body != "" {
		entry.hasBody = true
		entry.requestBody = req.Body
		if len(entry.requestBody) > journalBodyLimit {
			entry.requestBody = utf16Prefix(entry.requestBody, journalBodyLimit)
		}
	}
	if t.journal == nil {
		t.journal = make([]JournalEntry, 0, 2*t.opts.JournalLimit+64)
	}
	t.journal = append(t.journal, entry)
	// Trimmed in batches, not by one copy per request once full, and within its own array, which is allocated
	// once: the admin API shows only the last JournalLimit.
	if len(t.journal) == cap(t.journal) {
		kept := copy(t.journal, t.journal[len(t.journal)-t.opts.JournalLimit:])
		clear(t.journal[kept:])
		t.journal = t.journal[:kept]
	}
}

// requests is the journal as the admin API lists it: the last JournalLimit entries.
func (t *Twin) requests() []JournalEntry {
	if len(t.journal) > t.opts.JournalLimit {
		return t.journal[len(t.journal)-t.opts.JournalLimit:]
	}
	return t.journal
}

// utf16Prefix is JavaScript's text.slice(0, n): n UTF-16 code units.
func utf16Prefix(s string, n int) string {
	units := 0
	for i, r := range s {
		size := 1
		if r >= 0x10000 {
			size = 2
		}
		if units+size > n {
			return s[:i]
		}
		units += size
	}
	return s
}

// validHost says whether a Host header names a host: a name of letters, digits, dots and hyphens (at most 253,
// starting and ending with a letter or digit) or a bracketed IPv6 address, with an optional port. It is the
// regular expression (?i)^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$ written
// out, as it runs on every request; case folding lets that expression take U+017F (ſ) and U+212A (K) as letters.
func validHost(host string) bool {
	name := host
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return false
		}
		inner := host[1:end]
		if len(inner) < 2 || len(inner) > 45 {
			return false
		}
		for i := 0; i < len(inner); i++ {
			c := inner[i] | 0x20
			if !(inner[i] >= '0' && inner[i] <= '9') && !(c >= 'a' && c <= 'f') && inner[i] != ':' && inner[i] != '.' {
				return false
			}
		}
		return validPort(host[end+1:])
	}
	if i := strings.IndexByte(host, ':'); i >= 0 {
		if !validPort(host[i:]) {
			return false
		}
		name = host[:i]
	}
	count := 0
	last := rune(0)
	for _, c := range name {
		letterOrDigit := (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == 'ſ' || c == 'K'
		if !letterOrDigit && ((c != '.' && c != '-') || count == 0) {
			return false
		}
		count++
		last = c
	}
	return count > 0 && count <= 253 && last != '.' && last != '-'
}

// validPort: empty, or a colon and one to five digits.
func validPort(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ':' || len(s) < 2 || len(s) > 6 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// localText is a local address's text: the host (IPv4-mapped IPv6 shown as IPv4) and the port.
type localText struct{ host, port string }

// localTextOf is the text of a local address (any other value is none: 127.0.0.1 and port 80).
func localTextOf(addr any) localText {
	switch addr := addr.(type) {
	case *net.TCPAddr:
		host := addr.IP.String()
		if addr.Zone != "" {
			host += "%" + addr.Zone
		}
		return localText{host: strings.TrimPrefix(host, "::ffff:"), port: strconv.Itoa(addr.Port)}
	case net.Addr:
		if host, p, err := net.SplitHostPort(addr.String()); err == nil {
			return localText{host: strings.TrimPrefix(host, "::ffff:"), port: p}
		}
	}
	return localText{host: "127.0.0.1", port: "80"}
}
