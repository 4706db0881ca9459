package goengine

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The plugin chain, as the TypeScript engine's (src/plugins/chain.ts): plugins added at runtime first (in the order
// added: they are the per-test overrides), then those given when the twin was created, then the twin's own. Before
// phases run in that order and the first answer wins; after phases run in reverse, so the plugin that saw the request
// first is the last to touch its response. Plugins sharing a key replace each other: the one installed last is in force.

// Plugin is a built-in plugin as made from data (PluginFromSpec): its name, its key, the options it was made with
// (as GET /__twin/plugins shows them), its target, and a way to make the phases of one installation.
type Plugin struct {
	name    string
	key     string
	options *Object
	target  pluginTarget
	// phases makes an installation's behavior with empty memory: at install, and again at each twin reset.
	phases func() pluginPhases
}

// pluginPhases is what a plugin does around the handler. A plugin without a phase does nothing in it, which is
// what the TypeScript chain does when a plugin has no such phase.
type pluginPhases interface {
	// before may answer instead of the handler (a transport fault), refuse (an error), or ask to wait (scope.wait).
	before(ctx *Ctx, s *pluginScope) (*Result, error)
	// after may change the response or return another one.
	after(ctx *Ctx, r *Result, s *pluginScope) *Result
}

// noPhases is embedded by plugins that act in one phase only.
type noPhases struct{}

func (noPhases) before(*Ctx, *pluginScope) (*Result, error)      { return nil, nil }
func (noPhases) after(_ *Ctx, r *Result, _ *pluginScope) *Result { return r }

// pluginTarget is which requests a plugin acts on; every field given must match.
type pluginTarget struct {
	operationIDs, methods, paths []string
}

// installation is one installed plugin: its id, where it came from, and its own randomness and memory.
type installation struct {
	id     string
	origin string
	plugin *Plugin
	seed   uint32
	rng    uint32
	phases pluginPhases
}

// random is mulberry32 over the installation's state, exactly as the TypeScript chain draws.
func (inst *installation) random() float64 {
	inst.rng += 0x6d2b79f5
	t := inst.rng
	t = (t ^ (t >> 15)) * (t | 1)
	t ^= t + (t^(t>>7))*(t|61)
	return float64(t^(t>>14)) / 4294967296
}

// pluginScope is what a phase is given besides the request: its installation, the request's journal notes, and,
// for a before phase, a way to ask the pipeline to wait on the twin's clock before going on.
type pluginScope struct {
	chain *pluginChain
	inst  *installation
	notes *[]*Object
	wait  int64
}

func (s *pluginScope) random() float64 { return s.inst.random() }

// note records in the request's journal entry what this plugin did to the request.
func (s *pluginScope) note(action string) {
	*s.notes = append(*s.notes, NewObject("id", s.inst.id, "name", s.inst.plugin.name, "action", action))
}

type pluginChain struct {
	// mu guards the chain and every installation's memory: requests that read run in parallel, and a delayed
	// request waits outside the twin's lock, so phases of several requests may interleave.
	mu      sync.Mutex
	def     *Definition
	seed    uint32
	count   int
	own     []*installation
	base    []*installation
	runtime []*installation
	inForce []*installation
	// current is inForce, for before to read without the lock (recompute makes a new list each time).
	current atomic.Pointer[[]*installation]
}

func newPluginChain(def *Definition, given []*Plugin, randomSeed *uint32) *pluginChain {
	c := &pluginChain{def: def, seed: 1}
	if randomSeed != nil {
		c.seed = *randomSeed
	}
	// Installed in this order (which gives the ids): the twin's own, those given at creation, then runtime ones.
	if def.ReportRateLimits {
		c.own = append(c.own, c.install(rateLimitPlugin(NewObject("enforce", false)), "twin"))
	}
	for _, p := range given {
		c.base = append(c.base, c.install(p, "options"))
	}
	c.base = append(c.base, c.own...)
	c.recompute()
	return c
}

func (c *pluginChain) install(p *Plugin, origin string) *installation {
	c.count++
	// Seeded from what the plugin is, not when it was installed: a test that adds it gets the same draws whether it
	// runs alone or after others. The hash runs over UTF-16 code units, as JavaScript's charCodeAt reads them.
	seed := c.seed
	for _, r := range p.name + string(Marshal(p.options)) {
		unit := uint32(r)
		if r >= 0x10000 {
			unit = 0xd800 + uint32(r-0x10000)>>10
		}
		seed = (seed ^ unit) * 16777619
	}
	return &installation{id: "p" + strconv.Itoa(c.count), origin: origin, plugin: p, seed: seed, rng: seed, phases: p.phases()}
}

// recompute decides which installations are in force: of those sharing a key, the one installed last.
func (c *pluginChain) recompute() {
	winner := map[string]*installation{}
	given := c.base[:len(c.base)-len(c.own)]
	for _, group := range [][]*installation{c.own, given, c.runtime} {
		for _, inst := range group {
			if inst.plugin.key != "" {
				winner[inst.plugin.key] = inst
			}
		}
	}
	var inForce []*installation
	for _, group := range [][]*installation{c.runtime, c.base} {
		for _, inst := range group {
			if inst.plugin.key == "" || winner[inst.plugin.key] == inst {
				inForce = append(inForce, inst)
			}
		}
	}
	c.inForce = inForce
	c.current.Store(&inForce)
}

func (c *pluginChain) listing(inst *installation) *Object {
	inForce := false
	for _, other := range c.inForce {
		inForce = inForce || other == inst
	}
	return NewObject("id", inst.id, "name", inst.plugin.name, "options", CloneObj(inst.plugin.options), "origin", inst.origin, "inForce", inForce)
}

// list is every installed plugin, in the order the chain runs them, as GET /__twin/plugins shows them.
func (c *pluginChain) list() []any {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []any{}
	for _, group := range [][]*installation{c.runtime, c.base} {
		for _, inst := range group {
			out = append(out, c.listing(inst))
		}
	}
	return out
}

// add installs plugins given as data ({ name, options }); none is installed when one is refused.
func (c *pluginChain) add(specs []any) ([]any, error) {
	plugins := make([]*Plugin, len(specs))
	for i, spec := range specs {
		p, err := PluginFromSpec(spec)
		if err != nil {
			return nil, err
		}
		plugins[i] = p
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	added := make([]*installation, len(plugins))
	for i, p := range plugins {
		added[i] = c.install(p, "runtime")
	}
	c.runtime = append(append([]*installation(nil), c.runtime...), added...)
	c.recompute()
	out := make([]any, len(added))
	for i, inst := range added {
		out[i] = c.listing(inst)
	}
	return out, nil
}

// remove removes one plugin added at runtime; false when there is none with that id.
func (c *pluginChain) remove(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, inst := range c.runtime {
		if inst.id == id {
			c.runtime = append(c.runtime[:i:i], c.runtime[i+1:]...)
			c.recompute()
			return true
		}
	}
	return false
}

// resetPlugins removes every plugin added at runtime; those given at creation and the twin's own stay.
func (c *pluginChain) resetPlugins() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runtime = nil
	c.recompute()
}

// reset forgets what every plugin counted and restarts its random generator (a twin reset).
func (c *pluginChain) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, group := range [][]*installation{c.runtime, c.base} {
		for _, inst := range group {
			inst.phases = inst.plugin.phases()
			inst.rng = inst.seed
		}
	}
}

// before runs the before phases in order until one answers or refuses. A phase that asks to wait (latency) waits on
// the twin's clock outside every lock, so the twin serves other requests meanwhile, and the rest run after it.
func (c *pluginChain) before(ctx *Ctx, notes *[]*Object) (*Result, error) {
	inForce := *c.current.Load()
	for _, inst := range inForce {
		if !inst.plugin.target.picks(ctx) {
			continue
		}
		// The scope is the request's own (no phase keeps it), so that each phase does not allocate one.
		scope := &ctx.scope
		*scope = pluginScope{chain: c, inst: inst, notes: notes}
		answer, err := c.runBefore(inst, ctx, scope)
		if answer != nil || err != nil {
			return answer, err
		}
		if scope.wait > 0 {
			ctx.Twin.waitOnClock(ctx, scope.wait)
		}
	}
	return nil, nil
}

// runBefore runs one before phase under the chain's lock, released even if the phase panics (the pipeline recovers).
func (c *pluginChain) runBefore(inst *installation, ctx *Ctx, scope *pluginScope) (*Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return inst.phases.before(ctx, scope)
}

// after runs the after phases in reverse order; each sees the response the one after it left.
func (c *pluginChain) after(ctx *Ctx, draft *Result, notes *[]*Object) *Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.inForce) - 1; i >= 0; i-- {
		inst := c.inForce[i]
		if !inst.plugin.target.picks(ctx) {
			continue
		}
		scope := &ctx.scope
		*scope = pluginScope{chain: c, inst: inst, notes: notes}
		if changed := inst.phases.after(ctx, draft, scope); changed != nil {
			draft = changed
		}
	}
	return draft
}

// waitOnClock lets a delayed request wait without holding the twin's lock, as a TypeScript twin's request awaits
// its clock while the event loop serves others (and the admin API moves a fixed clock on); the state it then goes
// on with is the twin's state of that moment.
func (t *Twin) waitOnClock(ctx *Ctx, ms int64) {
	if ctx.shared {
		t.mu.RUnlock()
		t.Clock.Sleep(ms)
		t.mu.RLock()
	} else {
		t.mu.Unlock()
		t.Clock.Sleep(ms)
		t.mu.Lock()
	}
	ctx.State, ctx.IDs = t.Store.State, t.Store.IDs
}

// Parameter names differ between documents ({id}, {userId}); a target's template matches on its shape.
var templateParam = regexp.MustCompile(`\{[^}]*\}`)

func templateShape(template string) string { return templateParam.ReplaceAllString(template, "{}") }

// picks says whether a request is one the target picks; a request no route matched has no operationId or path.
func (t pluginTarget) picks(ctx *Ctx) bool {
	if t.operationIDs != nil {
		if ctx.Op == nil || !contains(t.operationIDs, ctx.Op.ID) {
			return false
		}
	}
	if t.methods != nil {
		found := false
		for _, m := range t.methods {
			found = found || strings.ToUpper(m) == ctx.Request.Method
		}
		if !found {
			return false
		}
	}
	if t.paths != nil {
		if ctx.Op == nil {
			return false
		}
		found := false
		for _, p := range t.paths {
			found = found || templateShape(p) == templateShape(ctx.Op.Path)
		}
		if !found {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
