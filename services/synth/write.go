package synth

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Output layout: the archive files (what a hospital export looks like) go
// in DirArchive, with names relative to it; gold.jsonl and manifest.json sit
// beside it, so `bingli process --in DIR/archive` reads the archive as is.
const (
	DirArchive   = "archive"
	FileJSONL    = "notes_utf8.jsonl"
	FileCSV      = "notes_gbk.csv"
	DirTxt       = "txt"
	FileGold     = "gold.jsonl"
	FileManifest = "manifest.json"
)

// CSVHeader is the header row of notes_gbk.csv (the ingest's default aliases).
var CSVHeader = []string{"记录ID", "病案号", "就诊日期", "记录类型", "病历内容"}

// jsonlNote is one line of notes_utf8.jsonl.
type jsonlNote struct {
	NoteID    string `json:"note_id"`
	PatientID string `json:"patient_id"`
	VisitDate string `json:"visit_date"`
	NoteType  string `json:"note_type"`
	Text      string `json:"text"`
}

// BrokenRecord is a deliberately bad record, listed in the manifest.
type BrokenRecord struct {
	File   string `json:"file"`
	Line   int    `json:"line"` // 1-based physical line where the record starts
	Reason string `json:"reason"`
	NoteID string `json:"note_id,omitempty"`
}

// FileCounts counts what one archive file holds.
type FileCounts struct {
	Notes  int `json:"notes"`
	Broken int `json:"broken"`
}

// Manifest is manifest.json.
type Manifest struct {
	Generator   string                `json:"generator"`
	Config      Config                `json:"config"`
	Patients    int                   `json:"patients"`
	Notes       int                   `json:"notes"`
	Broken      int                   `json:"broken"`
	Files       map[string]FileCounts `json:"files"`
	TxtUTF8     int                   `json:"txt_utf8"`
	TxtUTF16LE  int                   `json:"txt_utf16le"`
	PHI         map[string]int        `json:"phi_counts"`
	NoteTypes   map[string]int        `json:"note_types"`
	BrokenList  []BrokenRecord        `json:"broken_records"`
	Conventions string                `json:"conventions"`
}

const conventions = "Offsets are Unicode code points, end-exclusive, into the note text exactly as written in the archive " +
	"(CSV: the decoded field; txt: the file after its BOM). Diagnosis spans exclude laterality words, which go into eye; " +
	"measurement spans cover the value and the unit as written, units in gold are normalised; AGE spans cover the digits " +
	"of ages of 90 and over only. txt notes carry no visit date in the archive; gold has it."

// writer holds the open archive files.
type writer struct {
	dir             string
	jsonl, csv, gld *bufio.Writer
	files           []*os.File
	jsonLine        int
	csvLine         int
	gb              *encoding.Encoder
	jenc, genc      *json.Encoder
	sum             Summary
	man             Manifest
}

func (w *writer) create(name string) (*bufio.Writer, error) {
	path := filepath.Join(w.dir, DirArchive, name)
	if name == FileGold {
		path = filepath.Join(w.dir, name)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w.files = append(w.files, f)
	return bufio.NewWriterSize(f, 1<<20), nil
}

func (w *writer) close() error {
	var errs []error
	for _, bw := range []*bufio.Writer{w.jsonl, w.csv, w.gld} {
		if bw != nil {
			errs = append(errs, bw.Flush())
		}
	}
	for _, f := range w.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// Write generates cfg.Patients patients into dir (created if needed): the
// archive files, gold.jsonl and manifest.json. It streams: memory stays
// bounded whatever the number of patients (apart from Summary.Files, one
// entry per txt note).
func Write(ctx context.Context, cfg Config, dir string) (sum Summary, err error) {
	if cfg.Patients < 0 {
		return Summary{}, fmt.Errorf("synth: patients %d < 0", cfg.Patients)
	}
	if cfg.MeanVisits <= 0 {
		cfg.MeanVisits = 6
	}
	if err := os.MkdirAll(filepath.Join(dir, DirArchive, DirTxt), 0o755); err != nil {
		return Summary{}, fmt.Errorf("synth: %w", err)
	}
	w := &writer{dir: dir, gb: simplifiedchinese.GB18030.NewEncoder()}
	defer func() {
		if cerr := w.close(); cerr != nil && err == nil {
			err = fmt.Errorf("synth: %w", cerr)
		}
	}()
	for _, p := range []struct {
		bw   **bufio.Writer
		name string
	}{{&w.jsonl, FileJSONL}, {&w.csv, FileCSV}, {&w.gld, FileGold}} {
		if *p.bw, err = w.create(p.name); err != nil {
			return Summary{}, fmt.Errorf("synth: %w", err)
		}
	}
	w.jenc = json.NewEncoder(w.jsonl)
	w.jenc.SetEscapeHTML(false)
	w.genc = json.NewEncoder(w.gld)
	w.genc.SetEscapeHTML(false)
	w.man = Manifest{Generator: "bingli synth", Config: cfg, Files: map[string]FileCounts{},
		PHI: map[string]int{}, NoteTypes: map[string]int{}, BrokenList: []BrokenRecord{}, Conventions: conventions}
	w.sum.Files = []string{FileJSONL, FileCSV}
	if err := w.writeCSVRow(CSVHeader); err != nil {
		return Summary{}, err
	}
	w.jsonLine = 1
	a := newArchive(cfg.Seed)
	var plan []brokenPlan
	if cfg.Broken {
		plan = brokenSchedule(cfg.Patients)
	}
	for i := 0; i < cfg.Patients; i++ {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return w.sum, fmt.Errorf("synth: %w", err)
			}
		}
		for len(plan) > 0 && plan[0].at == i {
			if err := w.writeBroken(a, cfg.Seed, plan[0]); err != nil {
				return w.sum, err
			}
			plan = plan[1:]
		}
		_, notes, r := a.patient(cfg.Seed, i, cfg.MeanVisits)
		for j := range notes {
			if err := w.writeNote(&notes[j], r.IntN(100)); err != nil {
				return w.sum, err
			}
		}
		w.sum.Patients++
	}
	for _, p := range plan {
		if err := w.writeBroken(a, cfg.Seed, p); err != nil {
			return w.sum, err
		}
	}
	w.man.Patients, w.man.Notes, w.man.Broken = w.sum.Patients, w.sum.Notes, w.sum.Broken
	mb, err := json.MarshalIndent(w.man, "", "  ")
	if err != nil {
		return w.sum, fmt.Errorf("synth: manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileManifest), append(mb, '\n'), 0o644); err != nil {
		return w.sum, fmt.Errorf("synth: %w", err)
	}
	return w.sum, nil
}

// writeNote writes a valid note to one archive file (chosen by roll, 0..99:
// 4% txt, 35% CSV, the rest JSONL) and to gold.
func (w *writer) writeNote(g *GoldNote, roll int) error {
	switch {
	case roll < 2:
		if err := w.writeTxt(g, false); err != nil {
			return err
		}
	case roll < 4:
		if err := w.writeTxt(g, true); err != nil {
			return err
		}
	case roll < 39:
		if err := w.writeCSVRow([]string{g.ID, g.PatientID, g.VisitDate, g.NoteType, g.Text}); err != nil {
			return err
		}
		w.count(FileCSV, false)
	default:
		if err := w.writeJSONL(jsonlNote{g.ID, g.PatientID, g.VisitDate, g.NoteType, g.Text}); err != nil {
			return err
		}
		w.count(FileJSONL, false)
	}
	if err := w.genc.Encode(g); err != nil {
		return fmt.Errorf("synth: gold %s: %w", g.ID, err)
	}
	w.sum.Notes++
	w.man.NoteTypes[g.NoteType]++
	for _, p := range g.PHI {
		w.man.PHI[p.Label]++
	}
	return nil
}

func (w *writer) count(file string, broken bool) {
	fc := w.man.Files[file]
	if broken {
		fc.Broken++
	} else {
		fc.Notes++
	}
	w.man.Files[file] = fc
}

func (w *writer) writeJSONL(n jsonlNote) error {
	if err := w.jenc.Encode(n); err != nil {
		return fmt.Errorf("synth: %s line %d: %w", FileJSONL, w.jsonLine, err)
	}
	w.jsonLine++
	return nil
}

// csvField quotes a field the RFC 4180 way when it needs it.
func csvField(s string) string {
	if s == "" || !strings.ContainsAny(s, ",\"\r\n") && s[0] != ' ' && s[len(s)-1] != ' ' {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// writeCSVRow writes one GB18030-encoded record ending in CRLF.
func (w *writer) writeCSVRow(fields []string) error {
	var sb strings.Builder
	for i, f := range fields {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(csvField(f))
	}
	sb.WriteString("\r\n")
	row := sb.String()
	enc, err := w.gb.String(row)
	if err != nil {
		return fmt.Errorf("synth: %s line %d: gb18030: %w", FileCSV, w.csvLine+1, err)
	}
	if _, err := w.csv.WriteString(enc); err != nil {
		return fmt.Errorf("synth: %s: %w", FileCSV, err)
	}
	w.csvLine += 1 + strings.Count(row[:len(row)-2], "\n")
	return nil
}

// writeTxt writes a single-note file txt/<patient_id>/<note_id>.txt, in
// UTF-8 or UTF-16LE with a byte-order mark, with no trailing newline.
func (w *writer) writeTxt(g *GoldNote, utf16le bool) error {
	rel := filepath.ToSlash(filepath.Join(DirTxt, g.PatientID, g.ID+".txt"))
	path := filepath.Join(w.dir, DirArchive, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	var data []byte
	if utf16le {
		units := utf16.Encode([]rune(g.Text))
		data = make([]byte, 2+2*len(units))
		data[0], data[1] = 0xFF, 0xFE
		for i, u := range units {
			data[2+2*i], data[3+2*i] = byte(u), byte(u>>8)
		}
		w.man.TxtUTF16LE++
	} else {
		data = []byte(g.Text)
		w.man.TxtUTF8++
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	w.sum.Files = append(w.sum.Files, rel)
	w.count(DirTxt, false)
	return nil
}
