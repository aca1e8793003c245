package ingest

import (
	"bytes"
	"io"
	"path"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// parseTXT emits a .txt file as one note: note_id is the file name without
// its extension, patient_id the name of the directory holding it when that
// is a subdirectory of the walk root; there is no visit date.
func (p *fileParser) parseTXT() error {
	// UTF-8 is never less than half the size of the stored bytes (UTF-16
	// ASCII, GB18030 four-byte forms), so past 2×MaxNoteBytes (plus slack
	// for CRLF) the note is too large whatever it holds.
	limit := int64(2*p.opt.MaxNoteBytes + 1<<16)
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(p.src.br, limit+1))
	if err != nil {
		return p.readErr(err)
	}
	if n > limit {
		size, err := p.decodedSize(buf.Bytes())
		if err != nil {
			return p.readErr(err)
		}
		return p.bad(0, tooLarge(size, p.opt.MaxNoteBytes))
	}
	b, ok := p.src.dec.bytes(buf.Bytes())
	if !ok {
		return p.bad(0, p.src.dec.badReason())
	}
	stem := strings.TrimSuffix(path.Base(p.rel), path.Ext(p.rel))
	patient := ""
	if dir := path.Dir(p.rel); dir != "." {
		patient = path.Base(dir)
	}
	return p.build(0, record{noteID: stem, patientID: patient, text: string(b)})
}

// decodedSize streams the rest of an oversized file to learn its UTF-8
// size without holding it.
func (p *fileParser) decodedSize(head []byte) (int, error) {
	var r io.Reader = io.MultiReader(bytes.NewReader(head), p.src.br)
	if p.src.enc == EncGB18030 {
		r = transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	}
	n, err := io.Copy(io.Discard, r)
	return int(n), err
}
