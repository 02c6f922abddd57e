package action

// Paths of an action, and outputs that would destroy inputs. The verbs
// remove what is at an output's path before they run (so that nothing
// stale survives a failure), then write there: an output flag that names a
// source, the working directory or a parent of either would delete or
// overwrite what the action reads.

import (
	"fmt"
	"path/filepath"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// Resolve resolves p against dir, the action's working directory ("" is the
// process's own): an absolute p, or any p when dir is "", stays as it is.
func Resolve(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// Abs is Resolve made absolute.
func Abs(dir, p string) (string, error) { return filepath.Abs(Resolve(dir, p)) }

// FlagPath is a path given by a flag, for messages: Flag such as
// "--out-dir", Path as given.
type FlagPath struct {
	Flag, Path string
	// AsWritten compares the path only as written, without resolving its
	// symbolic links: for long lists such as an action's declared
	// inputs.
	AsWritten bool
}

func (f FlagPath) String() string {
	if f.Flag == "" {
		return f.Path
	}
	return f.Flag + " " + f.Path
}

// Forms are the ways a path is compared: as written (made absolute) and
// with the symbolic links of its existing part resolved, so that neither
// "x/../pkg" nor a link to pkg hides pkg. Compare the forms of two paths
// pairwise, with hostpath.Below.
func Forms(dir, p string) ([]string, error) {
	a, err := Abs(dir, p)
	if err != nil {
		return nil, err
	}
	return []string{a, hostpath.ResolveExisting(a)}, nil
}

// CheckOutputs reports an output that is the working directory dir ("" is
// the current one) or a parent of it, that names an input or a parent of
// one, or that two outputs share a path. Paths are relative to dir or
// absolute.
func CheckOutputs(dir string, outputs, inputs []FlagPath) error {
	wd, err := Forms(dir, ".")
	if err != nil {
		return err
	}
	type formed struct {
		FlagPath
		f []string
	}
	form := func(ps []FlagPath) ([]formed, error) {
		var out []formed
		for _, p := range ps {
			if p.Path == "" {
				continue
			}
			var f []string
			var err error
			if p.AsWritten {
				var a string
				a, err = Abs(dir, p.Path)
				f = []string{a, a}
			} else {
				f, err = Forms(dir, p.Path)
			}
			if err != nil {
				return nil, err
			}
			out = append(out, formed{p, f})
		}
		return out, nil
	}
	outs, err := form(outputs)
	if err != nil {
		return err
	}
	ins, err := form(inputs)
	if err != nil {
		return err
	}
	// clash reports whether b is a or below it, in one of the forms.
	clash := func(a, b []string) bool {
		for i := range a {
			if hostpath.Below(b[i], a[i]) {
				return true
			}
		}
		return false
	}
	for i, o := range outs {
		if clash(o.f, wd) {
			return fmt.Errorf("%s: an output may not be the working directory or a parent of it (it is removed before the run)", o)
		}
		for _, in := range ins {
			if clash(o.f, in.f) {
				what := "is"
				if !clash(in.f, o.f) {
					what = "is a parent of"
				}
				return fmt.Errorf("%s: the output %s the input %s, which the run would destroy", o, what, in)
			}
		}
		for _, p := range outs[:i] {
			if clash(o.f, p.f) || clash(p.f, o.f) {
				return fmt.Errorf("%s: the output is, holds or lies in the output %s", o, p)
			}
		}
	}
	return nil
}
