package testharness

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Status    string        `xml:"status,attr"`
	Failure   *junitMessage `xml:"failure"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut *junitMessage `xml:"system-out"`
}

type junitMessage struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",innerxml"` // escaped by escapeText
}

// escapeText escapes character data for XML, keeping its line breaks as
// they are (encoding/xml writes them as &#xA;, unreadable in a log).
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF)):
			b.WriteRune(r)
		default:
			b.WriteRune('\uFFFD') // not allowed in XML 1.0, even escaped
		}
	}
	return b.String()
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// WriteJUnit writes the report as JUnit XML, the shape Bazel writes and
// reads in test.xml: one <testsuite> named suite, a <testcase> per test
// (classname: suite), with <failure message="the panic">its output</failure>
// or <skipped message="the reason"/>.
func (r *Report) WriteJUnit(w io.Writer, suite string) error {
	s := junitSuite{
		Name: suite, Tests: len(r.Results), Failures: r.Count(Failed), Skipped: r.Count(Ignored),
		Time: seconds(r.Duration), Timestamp: r.Start.UTC().Format("2006-01-02T15:04:05.000Z"),
		Cases: []junitCase{},
	}
	for _, res := range r.Results {
		c := junitCase{Name: res.Name, Classname: suite, Time: seconds(res.Duration), Status: "run"}
		switch res.Outcome {
		case Failed:
			c.Failure = &junitMessage{Message: res.Message, Type: "failure", Text: escapeText(res.Output)}
		case Ignored:
			c.Status = "notrun"
			c.Skipped = &junitMessage{Message: res.Reason}
		case Passed:
			if res.Output != "" {
				c.SystemOut = &junitMessage{Text: escapeText(res.Output)}
			}
		}
		s.Cases = append(s.Cases, c)
	}
	doc := junitSuites{Tests: s.Tests, Failures: s.Failures, Skipped: s.Skipped, Time: s.Time, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
