package measure

import (
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	if got := Median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("median of 3 1 2 = %v", got)
	}
	ds := []time.Duration{4, 1, 3, 2}
	if got := Median(ds); got != 3 || ds[0] != 4 {
		t.Errorf("median of 4 1 3 2 = %v (want the upper middle), input now %v", got, ds)
	}
}

// TestRun: a command's peak RSS is its own (a few MiB for sh), and a
// failure carries the command and its output.
func TestRun(t *testing.T) {
	wall, rss, err := Run(t.TempDir(), "sh", "-c", "true")
	if err != nil || wall <= 0 || rss <= 0 || rss > 1<<20 {
		t.Errorf("sh -c true: %v, %d KiB, %v", wall, rss, err)
	}
	if _, _, err := Run("", "sh", "-c", "echo said; exit 3"); err == nil || !strings.Contains(err.Error(), "sh -c echo said; exit 3") || !strings.Contains(err.Error(), "said") {
		t.Errorf("a failing command: %v", err)
	}
}
