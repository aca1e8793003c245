// Package goldmarkup reads the hand-written gold files of the tests: blocks
// that start with a "## header" line (lines starting "# " are comments),
// whose text marks spans inline as [[field|field|...]]. One field of each
// mark is the span's text; the others label it.
package goldmarkup

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Block is one note of a gold file: its header line (without "## ") and
// its body (lines joined, trailing newlines trimmed).
type Block struct {
	Header, Body string
}

// Blocks splits a gold file into its blocks.
func Blocks(src string) []Block {
	var out []Block
	var body []string
	flush := func() {
		if len(out) > 0 {
			out[len(out)-1].Body = strings.TrimRight(strings.Join(body, "\n"), "\n")
		}
		body = nil
	}
	for _, line := range strings.Split(src, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			flush()
			out = append(out, Block{Header: h})
			continue
		}
		if len(out) == 0 || strings.HasPrefix(line, "# ") {
			continue
		}
		body = append(body, line)
	}
	flush()
	return out
}

// Mark is one [[...]] span: its fields and its code-point offsets in the
// plain text.
type Mark struct {
	Fields     []string
	Start, End int
	Raw        string // the mark as written, for error messages
}

// Strip removes the marks from body, writing field textField of each in
// its place, and returns the plain text with the marks.
func Strip(body string, textField int) (string, []Mark, error) {
	var out strings.Builder
	var marks []Mark
	text := body
	for {
		i := strings.Index(text, "[[")
		if i < 0 {
			out.WriteString(text)
			break
		}
		out.WriteString(text[:i])
		j := strings.Index(text[i:], "]]")
		if j < 0 {
			return "", nil, fmt.Errorf("unclosed [[")
		}
		f := strings.Split(text[i+2:i+j], "|")
		if len(f) <= textField {
			return "", nil, fmt.Errorf("bad markup %q", text[i:i+j+2])
		}
		start := utf8.RuneCountInString(out.String())
		out.WriteString(f[textField])
		marks = append(marks, Mark{Fields: f, Start: start, End: start + utf8.RuneCountInString(f[textField]), Raw: text[i : i+j+2]})
		text = text[i+j+2:]
	}
	return out.String(), marks, nil
}
