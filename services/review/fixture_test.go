package review

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"bingli/services/note"
)

// builder writes a note's text piece by piece and records each entity at its
// code-point offsets as it goes, so the fixtures cannot drift.
type builder struct {
	b strings.Builder
	n note.Note
}

func (b *builder) pos() int { return utf8.RuneCountInString(b.b.String()) }

func (b *builder) text(s string) *builder { b.b.WriteString(s); return b }

func (b *builder) ent(label, s string) *builder {
	start := b.pos()
	b.b.WriteString(s)
	b.n.Entities = append(b.n.Entities, note.Entity{Label: label, Start: start, End: b.pos(), Text: s, Score: 0.9, Model: "ner-test"})
	return b
}

func (b *builder) diag(s, icd, name string, eye note.Eye) *builder {
	start := b.pos()
	b.ent("DISEASE", s)
	b.n.Diagnoses = append(b.n.Diagnoses, note.Diagnosis{Text: s, Start: start, End: b.pos(), ICD10: icd, ICD10Name: name, Eye: eye, Assertion: note.Present})
	return b
}

func (b *builder) meas(s, kind string, v float64, unit string, eye note.Eye) *builder {
	start := b.pos()
	b.b.WriteString(s)
	b.n.Measurements = append(b.n.Measurements, note.Measurement{Text: s, Start: start, End: b.pos(), Kind: kind, Value: &v, Unit: unit, Eye: eye})
	return b
}

func (b *builder) note(id string) *note.Note {
	n := b.n
	n.SchemaVersion, n.NoteID, n.NoteType, n.Text = note.SchemaVersion, id, "outpatient", b.b.String()
	n.PatientID = "P-" + id
	n.Source = note.Source{File: "fixture.jsonl", Format: "jsonl", Encoding: "utf-8"}
	n.Deid = map[string]int{"NAME": 2, "AGE": 1}
	return &n
}

// smallNote has an astral code point (𠮷, two UTF-16 units) before every
// entity, so any UTF-16 indexing in the page would shift all spans.
func smallNote() *note.Note {
	b := &builder{}
	b.text("〔姓名〕，女，〔年龄〕岁。转诊单位：𠮷安眼科诊所。主诉：").ent("BODY", "右眼").ent("SYMPTOM", "视物模糊").text("伴").
		ent("SYMPTOM", "眼痛").text("3月。现病史：患者3月前无明显诱因出现右眼视物模糊，外院诊断为").ent("DISEASE", "年龄相关性黄斑变性").
		text("，予").ent("DRUG", "雷珠单抗").ent("PROCEDURE", "玻璃体腔注射").text("2次。查体：").
		meas("视力右眼0.3", "visual_acuity", 0.3, "", note.EyeRight).text("，").meas("左眼0.8", "visual_acuity", 0.8, "", note.EyeLeft).text("；").
		ent("EXAM", "眼压").meas("右眼18mmHg", "iop", 18, "mmHg", note.EyeRight).text("，").meas("左眼15mmHg", "iop", 15, "mmHg", note.EyeLeft).text("。").
		ent("EXAM", "OCT").text("示右眼黄斑区").ent("SYMPTOM", "视网膜下积液").text("。\n诊断：右眼").
		diag("湿性年龄相关性黄斑变性", "H35.3", "黄斑和后极变性", note.EyeRight).text("；左眼").
		diag("白内障", "H26.9", "未特指的白内障", note.EyeLeft).text("。\n处理：继续").ent("DRUG", "雷珠单抗").
		text("治疗，1个月后复查。医师：〔姓名〕")
	return b.note("n1")
}

// bigNote is about 2,000 code points with 100 entities.
func bigNote() *note.Note {
	sym := []string{"眼前黑影飘动", "视物变形", "畏光流泪", "眼红眼痛", "视力下降"}
	exam := []string{"裂隙灯", "眼底镜", "OCT", "眼部B超", "视野"}
	body := []string{"角膜", "晶状体", "玻璃体", "视网膜", "视神经乳头"}
	dis := []string{"玻璃体混浊", "糖尿病视网膜病变", "原发性开角型青光眼", "干眼症", "视网膜静脉阻塞"}
	b := &builder{}
	b.text("〔姓名〕，男，〔年龄〕岁，〔医院〕眼科门诊随访记录。\n")
	for i := 0; i < 25; i++ {
		b.text(fmt.Sprintf("第%d次复诊：〔日期〕随访，患者诉", i+1)).ent("SYMPTOM", sym[i%5]).text("较前").
			text("无明显加重，查").ent("EXAM", exam[(i+1)%5]).text("示").ent("BODY", body[(i+2)%5]).
			text("未见新鲜出血及渗出，诊断").ent("DISEASE", dis[(i+3)%5]).
			text("，嘱3个月后复查眼底。医师：〔姓名〕。\n")
	}
	return b.note("n2")
}

func thirdNote() *note.Note {
	b := &builder{}
	b.text("〔姓名〕，男，〔年龄〕岁。主诉：左眼").ent("SYMPTOM", "眼胀").text("1周。诊断：左眼").
		diag("急性闭角型青光眼", "H40.2", "原发性闭角型青光眼", note.EyeLeft).text("，予").ent("DRUG", "毛果芸香碱滴眼液").text("点眼。")
	return b.note("n3")
}

// writeNotes writes the fixture notes as notes.jsonl and returns its path.
func writeNotes(t testing.TB, notes ...*note.Note) string {
	t.Helper()
	var sb strings.Builder
	for _, n := range notes {
		if err := n.Validate(); err != nil {
			t.Fatal(err)
		}
		for _, e := range n.Entities {
			if got := string([]rune(n.Text)[e.Start:e.End]); got != e.Text {
				t.Fatalf("fixture %s: entity %q at [%d,%d) reads %q", n.NoteID, e.Text, e.Start, e.End, got)
			}
		}
		b, err := n.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(b)
		sb.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "notes.jsonl")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const testKey = "k-ann1-secret"

func newTestServer(t testing.TB) (*Server, *MemCorrections) {
	t.Helper()
	st, err := NewFileStore(writeNotes(t, smallNote(), bigNote(), thirdNote()))
	if err != nil {
		t.Fatal(err)
	}
	corr := NewMemCorrections()
	s, err := newServer(st, corr, map[string]string{"ann1": HashKey(testKey), "ann2": HashKey("k-ann2")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, corr
}

func TestFixtures(t *testing.T) {
	n := bigNote()
	size := utf8.RuneCountInString(n.Text)
	if len(n.Entities) != 100 || size < 1900 || size > 2300 {
		t.Fatalf("big note: %d entities, %d code points; want 100 and about 2,000", len(n.Entities), size)
	}
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
