package ingest

import (
	"fmt"
	"sort"
	"strings"
)

// Target fields a source column or key can be mapped to.
const (
	FieldNoteID    = "note_id"
	FieldPatientID = "patient_id"
	FieldVisitDate = "visit_date"
	FieldNoteType  = "note_type"
	FieldText      = "text"
)

// targets lists the mapping targets in a fixed order.
var targets = []string{FieldNoteID, FieldPatientID, FieldVisitDate, FieldNoteType, FieldText}

// defaultAliases are the source column/key names recognised for each target
// when the Mapping does not name it, in order of preference.
var defaultAliases = map[string][]string{
	FieldNoteID:    {"note_id", "id", "记录ID", "记录号", "病历ID"},
	FieldPatientID: {"patient_id", "患者ID", "病案号", "登记号", "患者编号"},
	FieldVisitDate: {"visit_date", "就诊日期", "记录日期", "日期"},
	FieldNoteType:  {"note_type", "记录类型", "病历类型", "文书类型"},
	FieldText:      {"text", "病历内容", "内容", "正文", "病历文本"},
}

// Mapping maps a target field to the source column/key name holding it.
type Mapping map[string]string

// ParseMapping parses "patient_id=病案号,visit_date=就诊日期,text=病历内容".
// Spaces around names are ignored; an empty string is an empty mapping.
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		target, source, ok := strings.Cut(part, "=")
		target, source = strings.TrimSpace(target), strings.TrimSpace(source)
		if !ok {
			return nil, fmt.Errorf("mapping %q: want target=column", part)
		}
		if !isTarget(target) {
			return nil, fmt.Errorf("mapping: unknown target %q (want one of %s)", target, strings.Join(targets, ", "))
		}
		if source == "" {
			return nil, fmt.Errorf("mapping %s: empty column name", target)
		}
		if strings.Contains(source, "=") {
			return nil, fmt.Errorf("mapping %s: column name contains '=' (missing ASCII comma between pairs?)", target)
		}
		if _, dup := m[target]; dup {
			return nil, fmt.Errorf("mapping: target %s given twice", target)
		}
		m[target] = source
	}
	return m, nil
}

// String renders the mapping in the form ParseMapping reads, targets sorted.
func (m Mapping) String() string {
	var b strings.Builder
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + m[k])
	}
	return b.String()
}

// validate reports the first unknown target of a hand-built mapping.
func (m Mapping) validate() error {
	for _, t := range sortedKeys(m) {
		if !isTarget(t) {
			return fmt.Errorf("mapping: unknown target %q (want one of %s)", t, strings.Join(targets, ", "))
		}
		if strings.TrimSpace(m[t]) == "" {
			return fmt.Errorf("mapping %s: empty column name", t)
		}
	}
	return nil
}

// candidates returns the source names to look for, in order, for target.
func (m Mapping) candidates(target string) []string {
	if src, ok := m[target]; ok {
		return []string{strings.TrimSpace(src)}
	}
	return defaultAliases[target]
}

func isTarget(s string) bool {
	for _, t := range targets {
		if s == t {
			return true
		}
	}
	return false
}

func sortedKeys(m Mapping) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
