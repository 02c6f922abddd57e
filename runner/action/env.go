package action

import (
	"fmt"
	"strings"
)

// EnvPath is an environment variable naming a path, relative to the
// action's working directory, which the verb gives its program in the form
// the program can open (see rustc.Request and buildscript.Request): the
// flag --env-path NAME=PATH.
type EnvPath struct {
	Name string
	Path string
}

// ParseEnvPaths reads the values of --env-path, NAME=PATH each.
func ParseEnvPaths(values []string) ([]EnvPath, error) {
	var out []EnvPath
	for _, ep := range values {
		k, p, ok := strings.Cut(ep, "=")
		if !ok || k == "" || p == "" {
			return nil, fmt.Errorf("--env-path %q: want NAME=PATH", ep)
		}
		out = append(out, EnvPath{Name: k, Path: p})
	}
	return out, nil
}
