// Command twincopy copies files in pairs (source, destination): `go generate` uses it to put a twin's OpenAPI
// document and seed beside its Go sources, where go:embed can reach them. A .yaml source copied to a .json
// destination is converted to JSON (keys in document order), which the twin loads faster when it starts.
package main

import (
	"fmt"
	"os"
	"strings"

	"twinverse/twins/goengine"
)

func main() {
	args := os.Args[1:]
	if len(args) == 0 || len(args)%2 != 0 {
		fmt.Fprintln(os.Stderr, "usage: twincopy <source> <destination> [<source> <destination> ...]")
		os.Exit(2)
	}
	for i := 0; i < len(args); i += 2 {
		if err := copyFile(args[i], args[i+1]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func copyFile(source, destination string) error {
	data, err := os.ReadFile(source)
	if err != nil {
		return err
	}
	if strings.HasSuffix(source, ".yaml") && strings.HasSuffix(destination, ".json") {
		if data, err = goengine.YAMLToJSON(data); err != nil {
			return fmt.Errorf("%s: %v", source, err)
		}
	}
	return os.WriteFile(destination, data, 0o644)
}
