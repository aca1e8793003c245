package synth

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Broken records: what an ingest stage must dead-letter with a reason rather
// than crash on or drop silently. None of them is in gold.

type brokenKind int

const (
	brokenTruncatedJSON brokenKind = iota
	brokenEmptyTextJSON
	brokenInvalidUTF8
	brokenInvalidGB18030
	brokenEmptyTextCSV
	brokenOversized // once per archive: it is 2.5 MiB
	numBrokenKinds
)

// OversizeBytes is the size above which a note text is refused (2 MiB); the
// oversized broken note is well past it.
const OversizeBytes = 2 << 20

type brokenPlan struct {
	at   int // write before patient at
	kind brokenKind
	n    int // sequence number, for the note id
}

// brokenSchedule spreads the broken records over the archive: one of each
// kind per 25,000 patients (at least one), the oversized note only once.
func brokenSchedule(patients int) []brokenPlan {
	rounds := 1 + patients/25000
	var kinds []brokenKind
	for r := 0; r < rounds; r++ {
		for k := brokenKind(0); k < numBrokenKinds; k++ {
			if k == brokenOversized && r > 0 {
				continue
			}
			kinds = append(kinds, k)
		}
	}
	plan := make([]brokenPlan, len(kinds))
	for i, k := range kinds {
		plan[i] = brokenPlan{at: (2*i + 1) * patients / (2 * len(kinds)), kind: k, n: i}
	}
	return plan
}

// writeBroken writes one broken record and lists it in the manifest.
func (w *writer) writeBroken(a *archive, seed int64, p brokenPlan) error {
	// the text comes from a patient who is not in the archive
	_, notes, _ := a.patient(seed, 1_000_000_000+p.n, 2)
	g := notes[0]
	id := fmt.Sprintf("EMR%07dX%d", p.at, p.n)
	n := jsonlNote{NoteID: id, PatientID: g.PatientID, VisitDate: g.VisitDate, NoteType: g.NoteType, Text: g.Text}
	rec := BrokenRecord{NoteID: id}
	switch p.kind {
	case brokenTruncatedJSON, brokenEmptyTextJSON, brokenInvalidUTF8, brokenOversized:
		rec.File, rec.Line = FileJSONL, w.jsonLine
		var line []byte
		switch p.kind {
		case brokenTruncatedJSON:
			b, _ := json.Marshal(n)
			cut := len(b) * 3 / 5
			for cut > 0 && !utf8.RuneStart(b[cut]) {
				cut--
			}
			line = b[:cut]
			rec.Reason = "truncated JSON"
		case brokenEmptyTextJSON:
			n.Text = ""
			line, _ = json.Marshal(n)
			rec.Reason = "empty text"
		case brokenInvalidUTF8:
			b, _ := json.Marshal(n)
			s := string(b)
			i := strings.Index(s, "。")
			if i < 0 {
				i = strings.Index(s, `"text":"`) + len(`"text":"`)
			}
			line = []byte(s[:i] + "\xff\xfe\xc3" + s[i:])
			rec.Reason = "invalid UTF-8"
		case brokenOversized:
			var sb strings.Builder
			for sb.Len() <= OversizeBytes+OversizeBytes/4 {
				sb.WriteString(g.Text)
				sb.WriteString("\n")
			}
			n.Text = sb.String()
			line, _ = json.Marshal(n)
			rec.Reason = fmt.Sprintf("text over 2 MiB (%d bytes)", len(n.Text))
		}
		if _, err := w.jsonl.Write(append(line, '\n')); err != nil {
			return fmt.Errorf("synth: %s: %w", FileJSONL, err)
		}
		w.jsonLine++
		w.count(FileJSONL, true)
	case brokenInvalidGB18030:
		// 0xFF is never a GB18030 (or GBK) byte; it follows a whole character
		// so a decoder resynchronises right after it.
		rec.File, rec.Line = FileCSV, w.csvLine+1
		text := strings.ReplaceAll(g.Text, "\n", " ")
		half := []rune(text)
		mid := len(half) / 2
		pre, err := w.gb.String(fmt.Sprintf("%s,%s,%s,%s,\"%s", id, n.PatientID, n.VisitDate, n.NoteType, strings.ReplaceAll(string(half[:mid]), `"`, `""`)))
		if err != nil {
			return fmt.Errorf("synth: %w", err)
		}
		post, err := w.gb.String(strings.ReplaceAll(string(half[mid:]), `"`, `""`) + "\"\r\n")
		if err != nil {
			return fmt.Errorf("synth: %w", err)
		}
		if _, err := w.csv.WriteString(pre + "\xff\xff" + post); err != nil {
			return fmt.Errorf("synth: %s: %w", FileCSV, err)
		}
		w.csvLine++
		rec.Reason = "text is not valid GB18030"
		w.count(FileCSV, true)
	case brokenEmptyTextCSV:
		rec.File, rec.Line = FileCSV, w.csvLine+1
		if err := w.writeCSVRow([]string{id, n.PatientID, n.VisitDate, n.NoteType, ""}); err != nil {
			return err
		}
		rec.Reason = "empty text"
		w.count(FileCSV, true)
	}
	w.man.BrokenList = append(w.man.BrokenList, rec)
	w.sum.Broken++
	return nil
}
