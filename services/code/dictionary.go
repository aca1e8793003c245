package code

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"bingli/models/icd10"
)

// codeRef is one ICD-10 code with its dictionary name.
type codeRef struct {
	Code string
	Name string
}

// term is what a lexicon key normalises to: one code, or several for a
// compound (dagger/asterisk pairs such as E11.371 + H36.0, or synonyms
// listed on several lines).
type term struct {
	// Name is the dictionary name the key stands for (the display name used
	// for CHIP-CDN evaluation).
	Name  string
	Codes []codeRef
	// Rank orders terms competing for one key: lower wins (synonym 0,
	// dictionary name 1, bracket alias 2).
	Rank int
}

// dictionary is the loaded ICD-10 v601 dictionary with the synonym table.
// It is read-only after load.
type dictionary struct {
	names   map[string]string // code (without +/*) -> name
	lexicon map[string]*term  // folded key -> term
	// byName maps a dictionary name to its term (most specific code when
	// the name repeats); the re-ranker's labels are names.
	byName map[string]*term
	// nameInfo caches the re-ranker's view of a name (*nameInfo by name).
	nameInfo sync.Map
	// docs are the retrieval documents (distinct keys), in a stable order.
	docs []doc
}

type doc struct {
	key  string
	term *term
}

// splitCode splits a v601 code into its parts: "E11.371+H36.0*" ->
// E11.371, H36.0; "H36.0*" -> H36.0.
func splitCode(c string) []string {
	c = strings.TrimSpace(c)
	var out []string
	for _, p := range strings.Split(c, "+") {
		p = strings.TrimSuffix(strings.TrimSpace(p), "*")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// codeDepth ranks how specific a code is: longer codes are leaves.
func codeDepth(c string) int { return len(splitCode(c)[0]) }

// stripBrackets removes bracketed parts and returns them separately:
// "变性性近视[病理性近视][高度近视]" -> "变性性近视", [病理性近视 高度近视].
func stripBrackets(s string) (string, []string) {
	var b strings.Builder
	var parts []string
	depth := 0
	var cur strings.Builder
	for _, r := range s {
		switch r {
		case '[', '(', '（', '【':
			if depth == 0 {
				cur.Reset()
			} else {
				cur.WriteRune(r)
			}
			depth++
			continue
		case ']', ')', '）', '】':
			if depth > 0 {
				depth--
				if depth == 0 {
					if p := strings.TrimSpace(cur.String()); p != "" {
						parts = append(parts, p)
					}
				} else {
					cur.WriteRune(r)
				}
				continue
			}
		}
		if depth > 0 {
			cur.WriteRune(r)
		} else {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String()), parts
}

// loadDictionary parses the embedded v601 file and synonym table.
func loadDictionary() (*dictionary, error) {
	d := &dictionary{names: make(map[string]string, 41000), lexicon: make(map[string]*term, 90000), byName: make(map[string]*term, 38000)}
	type row struct{ code, name string }
	var rows []row
	for i, line := range strings.Split(icd10.V601, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		if !ok || code == "" || name == "" {
			return nil, fmt.Errorf("icd10_v601.tsv line %d: want code<TAB>name", i+1)
		}
		rows = append(rows, row{code, name})
		for _, p := range splitCode(code) {
			// A plain row names its code; a dagger/asterisk row names its
			// parts only where no plain row does.
			if _, seen := d.names[p]; !seen || !strings.Contains(code, "+") {
				d.names[p] = name
			}
		}
	}
	mk := func(code, name string, rank int) *term {
		t := &term{Name: name, Rank: rank}
		parts := splitCode(code)
		for i, p := range parts {
			n := name
			if i > 0 {
				n = d.names[p]
			}
			t.Codes = append(t.Codes, codeRef{Code: p, Name: n})
		}
		return t
	}
	add := func(key string, t *term) {
		key = fold(key)
		if key == "" {
			return
		}
		old, ok := d.lexicon[key]
		if ok {
			if old.Rank < t.Rank {
				return
			}
			if old.Rank == t.Rank {
				if old.Rank == 0 { // synonym on several lines: compound
					old.Codes = append(old.Codes, t.Codes...)
					return
				}
				// Same name under several codes: keep the most specific.
				if len(old.Codes[0].Code) >= len(t.Codes[0].Code) {
					return
				}
			}
		}
		d.lexicon[key] = t
	}
	for _, r := range rows {
		t := mk(r.code, r.name, 1)
		add(r.name, t)
		if old, ok := d.byName[r.name]; !ok || len(old.Codes[0].Code) < len(t.Codes[0].Code) {
			d.byName[r.name] = t
		}
		base, alias := stripBrackets(r.name)
		if base != r.name && base != "" {
			add(base, &term{Name: r.name, Codes: t.Codes, Rank: 2})
		}
		for _, a := range alias {
			add(a, &term{Name: r.name, Codes: t.Codes, Rank: 2})
		}
	}
	for i, line := range strings.Split(icd10.OphthalmologySynonyms, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		syn, code, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("ophthalmology_synonyms.tsv line %d: want synonym<TAB>code", i+1)
		}
		code = strings.TrimSpace(code)
		parts := splitCode(code)
		name, ok := d.names[parts[0]]
		if !ok {
			return nil, fmt.Errorf("ophthalmology_synonyms.tsv line %d: code %s not in icd10_v601.tsv", i+1, code)
		}
		for _, p := range parts[1:] {
			if _, ok := d.names[p]; !ok {
				return nil, fmt.Errorf("ophthalmology_synonyms.tsv line %d: code %s not in icd10_v601.tsv", i+1, p)
			}
		}
		add(strings.TrimSpace(syn), mk(code, name, 0))
	}
	keys := make([]string, 0, len(d.lexicon))
	for k := range d.lexicon {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d.docs = make([]doc, len(keys))
	for i, k := range keys {
		d.docs[i] = doc{key: k, term: d.lexicon[k]}
	}
	return d, nil
}
