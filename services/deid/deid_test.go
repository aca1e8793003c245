package deid

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"bingli/services/note"
	"bingli/services/stage"
)

func rawNote(id, patient, visit, text string) *note.Note {
	return &note.Note{SchemaVersion: note.SchemaVersion, NoteID: id, SourcePatientID: patient, VisitDate: visit, Text: text}
}

func TestProcessReplacesAndAudits(t *testing.T) {
	d := testDeid(t, Options{})
	n := rawNote("n1", "H0001", "2023-03-05", "患者张建国，男，67岁，身份证号110105197107108631，电话13812345678，住院号：ZY20230305001。2023年3月5日就诊。")
	if err := d.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"张建国", "110105197107108631", "13812345678", "ZY20230305001", "2023年3月5日"} {
		if strings.Contains(n.Text, bad) {
			t.Errorf("output still contains %q: %s", bad, n.Text)
		}
	}
	for _, tag := range []string{"〔姓名〕", "〔身份证号〕", "〔电话〕", "〔病案号〕"} {
		if !strings.Contains(n.Text, tag) {
			t.Errorf("missing tag %s: %s", tag, n.Text)
		}
	}
	if n.SourcePatientID != "" || n.PatientID != PatientPseudonym(testKey(t), "H0001") || !strings.HasPrefix(n.PatientID, "p-") {
		t.Errorf("pseudonym not applied: %q / %q", n.SourcePatientID, n.PatientID)
	}
	if n.Deid[Name] != 1 || n.Deid[IDNumber] != 1 || n.Deid[Phone] != 1 || n.Deid[RecordNumber] != 1 || n.Deid[Date] != 1 {
		t.Errorf("audit counts %v", n.Deid)
	}
	if len(n.Provenance) != 0 { // the runner records provenance, not the stage
		t.Errorf("provenance %v", n.Provenance)
	}
	if n.VisitDate == "2023-03-05" || n.VisitDate == "" {
		t.Errorf("visit date not shifted: %s", n.VisitDate)
	}
	// clinical content kept
	if !strings.Contains(n.Text, "67岁") {
		t.Errorf("age under 90 removed: %s", n.Text)
	}
}

func TestSurrogatesConsistentPerPatient(t *testing.T) {
	d := testDeid(t, Options{Modes: map[string]Mode{Name: Surrogate, Phone: Surrogate, IDNumber: Surrogate, RecordNumber: Surrogate, Email: Surrogate, Address: Surrogate}})
	text := "患者张建国，电话138 1234 5678，身份证110105197107108631，住院号ZY20230305001，邮箱zjg@163.com"
	a := rawNote("n1", "H1", "2023-03-05", text)
	b := rawNote("n2", "H1", "2023-04-05", "复诊。患者张建国，电话13812345678，身份证110105197107108631。")
	c := rawNote("n3", "H2", "2023-04-05", text)
	for _, n := range []*note.Note{a, b, c} {
		if err := d.Process(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	first := func(s string) string { return strings.SplitN(strings.SplitN(s, "，", 2)[0], "患者", 2)[1] }
	if first(a.Text) != first(strings.SplitN(b.Text, "。", 2)[1]) {
		t.Errorf("name surrogate differs across notes of a patient: %q vs %q", a.Text, b.Text)
	}
	if first(a.Text) == "张建国" || len([]rune(first(a.Text))) != 3 {
		t.Errorf("name surrogate %q: want a different 3-character name", first(a.Text))
	}
	if a.Text == c.Text {
		t.Error("surrogates identical across different patients")
	}
	if !strings.Contains(a.Text, "@example.com") {
		t.Errorf("email surrogate: %s", a.Text)
	}
	// phone surrogate keeps its spacing; 10-prefix is no real mobile
	if !strings.Contains(a.Text, "电话10") || strings.Count(a.Text, " ") != 2 {
		t.Errorf("phone surrogate shape: %s", a.Text)
	}
	if len(leakCheck(a.Text)) != 0 || len(leakCheck(c.Text)) != 0 {
		t.Error("surrogates trip the leak guard")
	}
}

func TestDateShiftPreservesIntervalsAndForms(t *testing.T) {
	k := testKey(t)
	off := DateOffset(k, patientScope("H1", ""))
	if off == 0 || off < -365 || off > 365 {
		t.Fatalf("offset %d", off)
	}
	cases := []struct{ in, form string }{
		{"2023年3月5日", "年月日"}, {"2023年03月05号", "年月号"}, {"2023-03-05", "-"}, {"2023/3/5", "/"},
		{"2023.3.5", "."}, {"23/3/5", "yy"}, {"20230305", "compact"}, {"3月5日", "md"}, {"2023年3月", "ym"}, {"2019年", "y"},
	}
	for _, c := range cases {
		out, ok := shiftDate(c.in, off, 2023)
		if !ok || out == c.in && c.form != "y" {
			t.Errorf("%s: shifted to %q ok=%v", c.in, out, ok)
			continue
		}
		// same form: re-parse and compare layout markers
		rs := []rune(out)
		_, p, ok2 := parseDateAt(rs, 0)
		_, q, _ := parseDateAt([]rune(c.in), 0)
		if !ok2 || p.sep != q.sep || p.hasY != q.hasY || p.hasD != q.hasD || p.y2 != q.y2 || p.compact != q.compact || p.dayChar != q.dayChar || p.mPad != q.mPad {
			t.Errorf("%s -> %s: form changed", c.in, out)
		}
	}
	// a part of the month or a trailing 日 stays after the shifted date
	for _, c := range []struct{ in, suffix string }{{"2023年3月中旬", "中旬"}, {"2023年3月份", "份"}, {"2023年3月初", "初"}, {"2023.3.5日", "日"}} {
		out, ok := shiftDate(c.in, off, 2023)
		if !ok || out == c.in || !strings.HasSuffix(out, c.suffix) {
			t.Errorf("%s: shifted to %q ok=%v, want a shifted date ending in %s", c.in, out, ok, c.suffix)
		}
	}
	// intervals survive: two visits 17 days apart stay 17 days apart
	d := testDeid(t, Options{})
	n := rawNote("n1", "H1", "2023-03-05", "于2023-03-05手术，2023-03-22复查。")
	if err := d.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	var y1, m1, d1, y2, m2, d2 int
	if _, err := fmt.Sscanf(strings.TrimPrefix(n.Text, "于"), "%d-%d-%d手术，%d-%d-%d复查。", &y1, &m1, &d1, &y2, &m2, &d2); err != nil {
		t.Fatalf("%s: %v", n.Text, err)
	}
	if days(y2, m2, d2)-days(y1, m1, d1) != 17 {
		t.Errorf("interval changed: %s", n.Text)
	}
	if want, _ := shiftVisitDate("2023-03-05", off); n.VisitDate != want || !strings.HasPrefix(n.Text, "于"+want) {
		t.Errorf("visit date %s and text %s disagree with offset %d", n.VisitDate, n.Text, off)
	}
	// DOB: year only; tagged at 90+
	n = rawNote("n2", "H1", "2023-03-05", "出生日期：1962年8月15日。出生日期：1930-01-02。")
	if err := d.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(n.Text, "8月15日") || !strings.Contains(n.Text, "〔出生日期〕") {
		t.Errorf("DOB handling: %s", n.Text)
	}
	// date shifting off: tags
	d2x := testDeid(t, Options{NoDateShift: true})
	n = rawNote("n3", "H1", "2023-03-05", "2023年3月5日就诊")
	if err := d2x.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if n.Text != "〔日期〕就诊" {
		t.Errorf("NoDateShift: %s", n.Text)
	}
}

func days(y, m, d int) int {
	_, _, _ = addDays(y, m, d, 0)
	n := 0
	for yy := 1900; yy < y; yy++ {
		n += 365
		if daysIn(yy, 2) == 29 {
			n++
		}
	}
	for mm := 1; mm < m; mm++ {
		n += daysIn(y, mm)
	}
	return n + d
}

func TestPseudonyms(t *testing.T) {
	k1 := testKey(t)
	k2, _ := NewKey([]byte("another-key-0123456789abcdef-xyz"))
	a, b := PatientPseudonym(k1, "H0001"), PatientPseudonym(k1, "H0001")
	if a != b || len(a) != 2+PseudonymLen || !strings.HasPrefix(a, "p-") {
		t.Errorf("not deterministic: %s %s", a, b)
	}
	if a == PatientPseudonym(k2, "H0001") {
		t.Error("pseudonym does not depend on the key")
	}
	if a == PatientPseudonym(k1, "H0002") {
		t.Error("different patients share a pseudonym")
	}
	if DateOffset(k1, "patient:H0001") == DateOffset(k2, "patient:H0001") && DateOffset(k1, "patient:H0002") == DateOffset(k2, "patient:H0002") {
		t.Error("date offset does not depend on the key")
	}
	d := testDeid(t, Options{})
	n := rawNote("note-9", "", "", "无患者号的记录")
	if err := d.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if n.PatientID != NotePseudonym(k1, "note-9") || !strings.HasPrefix(n.PatientID, "p-n") {
		t.Errorf("note pseudonym %s", n.PatientID)
	}
}

func TestKeyLoadingAndRedaction(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "deid.key")
	if err := GenerateKeyFile(p); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v", st.Mode(), err)
	}
	if err := GenerateKeyFile(p); err == nil {
		t.Error("GenerateKeyFile overwrote an existing key")
	}
	k, err := LoadKey(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(KeyEnv, p)
	k2, err := LoadKeyFromEnv()
	if err != nil || PatientPseudonym(k, "x") != PatientPseudonym(k2, "x") {
		t.Fatal("env key differs")
	}
	raw, _ := os.ReadFile(p)
	secret := strings.TrimSpace(string(raw))
	for _, s := range []string{k.String(), fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s %x %q", k, k, k, k, k, k), fmt.Sprintf("%v", struct{ K Key }{k})} {
		if strings.Contains(s, secret[:16]) || !strings.Contains(s, "[redacted]") {
			t.Errorf("key printed: %s", s)
		}
	}
	bad := filepath.Join(dir, "bad.key")
	os.WriteFile(bad, []byte("zz-not-hex-SECRETVALUE"), 0o600)
	if _, err := LoadKey(bad); err == nil || strings.Contains(err.Error(), "SECRETVALUE") {
		t.Errorf("bad key error leaks content: %v", err)
	}
	if _, err := New(Key{}, Options{}); err == nil {
		t.Error("New accepted an empty key")
	}
}

func TestLeakGuardDeadLetters(t *testing.T) {
	// A registry without recognizers lets identifiers through: the guard
	// must catch them and the note must stay untouched.
	d := testDeid(t, Options{Registry: &Registry{minScore: 0.5}})
	text := "身份证 110105197107108631，手机 138 1234 5678，邮箱 a.b@163.com"
	n := rawNote("n1", "H1", "2023-03-05", text)
	err := d.Process(context.Background(), n)
	if !errors.Is(err, stage.ErrBadInput) {
		t.Fatalf("want bad input, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"leak guard", "ID_NUMBER remains", "PHONE remains", "EMAIL remains"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	for _, bad := range []string{"110105", "138", "a.b@"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error leaks identifier: %s", msg)
		}
	}
	if n.Text != text || n.SourcePatientID != "H1" {
		t.Error("note modified on failure")
	}
	if got := leakCheck("全角１１０１０５１９７１０７１０８６３１ 和 15位110105460312481"); got[IDNumber] != 2 {
		t.Errorf("guard misses full-width/15-digit IDs: %v", got)
	}
	if got := leakCheck("视力0.8，眼压24mmHg，user1@example.com，99010519710710863X"); len(got) != 0 {
		t.Errorf("guard false alarm: %v", got)
	}
}

func TestErrorsAndReportHoldNoIdentifiers(t *testing.T) {
	d := testDeid(t, Options{})
	n := rawNote("n1", "H1", "not-a-date-张建国", "患者张建国")
	err := d.Process(context.Background(), n)
	if !errors.Is(err, stage.ErrBadInput) || strings.Contains(err.Error(), "张建国") {
		t.Errorf("bad visit date error: %v", err)
	}
	data, _ := os.ReadFile("testdata/handwritten.jsonl")
	rep, err := Evaluate(strings.NewReader(string(data)), d)
	if err != nil {
		t.Fatal(err)
	}
	out := rep.String()
	for _, g := range parseMarkup(t, mustRead(t, "testdata/handwritten.txt")) {
		for _, p := range g.PHI {
			if leakable(p) && strings.Contains(out, p.Text) {
				t.Errorf("report contains identifier %q", p.Text)
			}
		}
	}
	if _, err := Evaluate(strings.NewReader("{\"text\":\"患者张建国\",\"phi\":[{\"start\":2,\"end\":99}]}\n"), d); err == nil || strings.Contains(err.Error(), "张建国") {
		t.Errorf("bad gold error: %v", err)
	}
}

func mustRead(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConcurrentUse(t *testing.T) {
	d := testDeid(t, Options{Modes: map[string]Mode{Name: Surrogate}})
	var wg sync.WaitGroup
	res := make([]string, 8)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := rawNote("n", "H1", "2023-03-05", "患者张建国，电话13812345678，2023年3月5日。")
			if err := d.Process(context.Background(), n); err != nil {
				t.Error(err)
			}
			res[i] = n.Text
		}()
	}
	wg.Wait()
	for _, r := range res[1:] {
		if r != res[0] {
			t.Error("concurrent results differ")
		}
	}
}

// The leak guard sees numbers split by a dash with spaces around it.
func TestGuardSpacedDash(t *testing.T) {
	for _, s := range []string{"138 - 1234 - 5678", "138-1234-5678", "138 1234 5678", "110105 - 19710710 - 8631"} {
		if len(leakCheck(s)) == 0 {
			t.Errorf("leak guard misses %q", s)
		}
	}
	if got := leakCheck("眼压 18  21 mmHg，视力 0.8"); len(got) != 0 {
		t.Errorf("leak guard flags measurements: %v", got)
	}
}
