package ingest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMapping(t *testing.T) {
	tests := []struct {
		in      string
		want    Mapping
		wantErr string
	}{
		{in: "", want: Mapping{}},
		{in: "patient_id=病案号,visit_date=就诊日期,text=病历内容",
			want: Mapping{"patient_id": "病案号", "visit_date": "就诊日期", "text": "病历内容"}},
		{in: " note_id = 文书编号 , note_type=类别, ", want: Mapping{"note_id": "文书编号", "note_type": "类别"}},
		{in: "patient=病案号", wantErr: `unknown target "patient"`},
		{in: "text", wantErr: "want target=column"},
		{in: "text=", wantErr: "empty column name"},
		{in: "text=a,text=b", wantErr: "given twice"},
		{in: "patient_id=病案号，text=病历内容", wantErr: "missing ASCII comma"},
	}
	for _, tt := range tests {
		got, err := ParseMapping(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseMapping(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseMapping(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseMapping(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if back, err := ParseMapping(got.String()); err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("round trip of %q: %v, %v", tt.in, back, err)
		}
	}
}

func TestWalkRejectsHandBuiltMappingWithUnknownTarget(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.jsonl", []byte(`{"text":"x"}`+"\n"))
	err := Walk(t.Context(), dir, Options{Mapping: Mapping{"diagnosis": "诊断"}}, func(Item) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `"diagnosis"`) {
		t.Fatalf("Walk error = %v, want one naming the unknown target", err)
	}
}
