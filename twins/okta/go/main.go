// Command okta is the Go twin of Okta: the same OpenAPI document, seed, admin API and flags as
// `twinverse serve okta`, served by a compiled binary.
//
//	cd twins && go build -o "$TMPDIR/okta-twin" ./okta/go && "$TMPDIR/okta-twin" --port 4010 --clock 2026-01-01T00:00:00.000Z
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	e "twinverse/twins/goengine"
)

//go:generate go run ../../goengine/cmd/twincopy ../../../openapi/okta.yaml openapi.json ../seed.json seed.json

// The document and the seed are copies of openapi/okta.yaml (as JSON) and twins/okta/seed.json (go:embed cannot reach
// outside this folder); `go generate` makes them and TestEmbeddedCopiesMatch fails when they drift.
var (
	//go:embed openapi.json
	oktaDocument []byte
	//go:embed seed.json
	oktaSeed []byte
)

func main() {
	// A twin keeps a small live heap and allocates fast (every answer is built and encoded anew): collecting at
	// twice the default heap growth takes about a fifth off the CPU each request costs, for some more memory. A
	// GOGC given in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type config struct {
	port       int
	host       string
	seeds      []string
	data       string
	strict     bool
	clock      string
	adminToken string
	bodyLimit  int64
	// exitOnStdinClose: the driver's lifeline. It keeps a pipe on stdin that it never writes to; the kernel closes
	// the pipe however the parent ends (SIGKILL included), and the twin exits instead of living on as an orphan.
	exitOnStdinClose bool
	// pluginArgs and pluginsFile are `--plugin name:key=value,...` (each) and `--plugins file.json`, as serve takes them.
	pluginArgs  []string
	pluginsFile string
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

var loopbackHosts = map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("okta", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var seeds multi
	var port string
	var bodyLimit string
	fs.StringVar(&port, "port", "4010", "port to listen on (0 picks a free one)")
	fs.StringVar(&c.host, "host", "127.0.0.1", "address to listen on")
	fs.Var(&seeds, "seed", "a state export (GET /__twin/state) to start from and reset to")
	fs.StringVar(&c.data, "data", "", "a file that keeps the state across restarts")
	fs.BoolVar(&c.strict, "strict", false, "check every response against the OpenAPI document")
	fs.StringVar(&c.clock, "clock", "system", "'system' or an ISO-8601 instant for a fixed clock")
	fs.StringVar(&c.adminToken, "admin-token", "", "a secret the admin API requires as Authorization: Bearer <token>")
	fs.StringVar(&bodyLimit, "body-limit", "", "the largest request body, in bytes")
	fs.BoolVar(&c.exitOnStdinClose, "exit-on-stdin-close", false, "exit when standard input closes (the driver's parent-death signal)")
	var pluginArgs multi
	fs.Var(&pluginArgs, "plugin", "install a built-in plugin: name:key=value,... (repeatable)")
	fs.StringVar(&c.pluginsFile, "plugins", "", "install the plugins of a JSON file: [{ \"name\": ..., \"options\": {...} }]")
	// The short names `twinverse serve` takes.
	fs.StringVar(&port, "p", "4010", "short for --port")
	fs.StringVar(&c.host, "H", "127.0.0.1", "short for --host")
	fs.StringVar(&c.data, "d", "", "short for --data")
	fs.Var(&seeds, "s", "short for --seed")
	// The service name may come first, as in `twinverse serve okta --port 4010`, or anywhere between flags.
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		if fs.Arg(0) != "okta" {
			return nil, fmt.Errorf("[twinverse] this binary serves the okta twin only, not %s", strings.Join(fs.Args(), " "))
		}
		rest = fs.Args()[1:]
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return nil, fmt.Errorf("[twinverse] --port must be a whole number from 0 to 65535, not %s", port)
	}
	c.port = n
	if bodyLimit != "" {
		limit, err := strconv.ParseInt(bodyLimit, 10, 64)
		if err != nil || limit < 0 {
			return nil, fmt.Errorf("[twinverse] --body-limit must be a whole number of bytes, not %s", bodyLimit)
		}
		c.bodyLimit = limit
	}
	c.seeds = seeds
	c.pluginArgs = pluginArgs
	if !loopbackHosts[c.host] && c.adminToken == "" {
		return nil, fmt.Errorf("[twinverse] --host %s is reachable from other machines: give --admin-token <secret> too, so that only you can reset, read or replace the twins' state", c.host)
	}
	if c.adminToken != "" && len(c.adminToken) < 8 {
		return nil, errors.New("[twinverse] --admin-token must be at least 8 characters")
	}
	return c, nil
}

// readPlugins makes the plugins --plugins (a file's array, first) and --plugin ask for, checked before anything starts.
func readPlugins(c *config) ([]*e.Plugin, error) {
	var specs []any
	if c.pluginsFile != "" {
		text, err := os.ReadFile(c.pluginsFile)
		if err != nil {
			return nil, fmt.Errorf("[twinverse] cannot read --plugins %s: %v", c.pluginsFile, err)
		}
		doc, err := e.Parse(text, e.MaxJSONDepth)
		list, isList := doc.([]any)
		if err != nil || !isList {
			return nil, fmt.Errorf("[twinverse] --plugins %s must hold a JSON array of { \"name\": ..., \"options\": {...} }", c.pluginsFile)
		}
		specs = append(specs, list...)
	}
	for _, arg := range c.pluginArgs {
		spec, err := e.ParsePluginArgument(arg)
		if err != nil {
			return nil, err
		}
		specs = append(specs, spec)
	}
	plugins := make([]*e.Plugin, 0, len(specs))
	for _, spec := range specs {
		plugin, err := e.PluginFromSpec(spec)
		if err != nil {
			return nil, err
		}
		plugins = append(plugins, plugin)
	}
	return plugins, nil
}

// newTwin builds the twin from the flags: seed files, then what a --data file saved.
func newTwin(c *config, log io.Writer) (*e.Twin, error) {
	plugins, err := readPlugins(c)
	if err != nil {
		return nil, err
	}
	opts := e.Options{Strict: c.strict, Clock: c.clock, AdminToken: c.adminToken, BodyLimit: c.bodyLimit, Log: log, Plugins: plugins}
	if !loopbackHosts[c.host] {
		opts.AdminHosts = []string{c.host}
	}
	twin, err := e.New(newOktaTwin(oktaDocument, oktaSeed, handlers()), opts)
	if err != nil {
		return nil, err
	}
	for _, file := range c.seeds {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("[twinverse] cannot read seed file %s: %v", file, err)
		}
		doc, err := e.Parse(text, 4*e.MaxJSONDepth)
		if err != nil {
			return nil, fmt.Errorf("[twinverse] seed file %s is not valid JSON: %v", file, err)
		}
		o, isObj := doc.(*e.Object)
		name, isStr := get(o, "twin").(string)
		if !isObj || !isStr {
			return nil, fmt.Errorf("[twinverse] seed file %s is not a twinverse state export (GET /__twin/state gives one): it names no \"twin\"", file)
		}
		if name != "okta" {
			return nil, fmt.Errorf("[twinverse] seed file %s is for the %s twin, which is not being served (serving: okta)", file, name)
		}
		if err := twin.Reseed(doc); err != nil {
			return nil, err
		}
	}
	if c.data != "" {
		if err := twin.UseData(c.data); err != nil {
			return nil, err
		}
	}
	return twin, nil
}

func run(args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	twin, err := newTwin(c, stderr)
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(c.host, strconv.Itoa(c.port)))
	if err != nil {
		if strings.Contains(err.Error(), "address already in use") {
			return fmt.Errorf("[twinverse] port %d on %s is in use (wanted for okta); choose another with --port, or 0 for free ports", c.port, c.host)
		}
		return fmt.Errorf("[twinverse] cannot listen on %s port %d: %v", c.host, c.port, err)
	}
	shown := c.host
	if strings.Contains(shown, ":") {
		shown = "[" + shown + "]"
	}
	url := fmt.Sprintf("http://%s:%d", shown, listener.Addr().(*net.TCPAddr).Port)
	fmt.Fprintf(stdout, "okta twin listening on %s\n", url)
	server := e.NewServer(twin)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- server.Serve(listener) }()
	// Without the flag stdin is ignored (under nohup it is /dev/null, which reads as closed at once).
	var stdinClosed chan struct{}
	if c.exitOnStdinClose {
		stdinClosed = make(chan struct{})
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			close(stdinClosed)
		}()
	}
	select {
	case err := <-done:
		return err
	case <-stop:
	case <-stdinClosed:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return server.Shutdown(ctx)
}
