package action

import (
	"fmt"
	"strings"
)

// EnvPath is an environment variable naming a path, the flag --env-path
// NAME=PATH: relative to the action's working directory (rustc's must stay
// below it; a build script's may be absolute), and given to the program in
// the form it can open (see rustc.Request and buildscript.Request).
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
