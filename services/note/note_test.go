package note

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestValidateChecksSpansInCodePoints(t *testing.T) {
	base := func() *Note {
		return &Note{SchemaVersion: SchemaVersion, NoteID: "n1", Text: "右眼眼压21mmHg"} // 10 code points
	}
	cases := []struct {
		name   string
		mutate func(*Note)
		want   string
	}{
		{"ok", func(n *Note) { n.Tokens = []Token{{Start: 0, End: 2}, {Start: 8, End: 10}} }, ""},
		{"no id", func(n *Note) { n.NoteID = "" }, "no note_id"},
		{"empty", func(n *Note) { n.Text = "" }, "empty text"},
		{"past end", func(n *Note) { n.Entities = []Entity{{Start: 8, End: 11}} }, "entities[0] span [8,11) outside text of 10"},
		{"empty span", func(n *Note) { n.Diagnoses = []Diagnosis{{Start: 3, End: 3}} }, "diagnoses[0]"},
		{"negative", func(n *Note) { n.Measurements = []Measurement{{Start: -1, End: 2}} }, "measurements[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := base()
			c.mutate(n)
			err := n.Validate()
			if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("Validate() = %v, want %q", err, c.want)
			}
		})
	}
}

func TestEyeJSON(t *testing.T) {
	for _, c := range []struct {
		eye  Eye
		json string
	}{{EyeNone, "null"}, {EyeRight, `"right"`}, {EyeBoth, `"both"`}} {
		b, _ := json.Marshal(c.eye)
		if string(b) != c.json {
			t.Errorf("marshal %q = %s", c.eye, b)
		}
		var e Eye
		if err := json.Unmarshal(b, &e); err != nil || e != c.eye {
			t.Errorf("round trip %q: %q %v", c.eye, e, err)
		}
	}
	var e Eye
	if err := json.Unmarshal([]byte(`"OD"`), &e); err == nil {
		t.Error("unknown eye accepted")
	}
}

func TestUnmarshalRoundTrip(t *testing.T) {
	n := &Note{SchemaVersion: SchemaVersion, NoteID: "n1", Text: "双眼干眼症", Source: Source{File: "a.csv", Line: 2, Format: "csv", Encoding: "gb18030"}}
	n.AddProvenance("segment", "1", "")
	b, err := n.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unmarshal(b)
	if err != nil || got.Text != n.Text || got.Source != n.Source || len(got.Provenance) != 1 {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if _, err := Unmarshal([]byte(`{"note_id":"x"`)); err == nil {
		t.Fatal("truncated JSON accepted")
	}
}

// TestFastJSONMatchesEncodingJSON: Marshal and Unmarshal (goccy/go-json)
// give exactly what encoding/json gives on a note with every layer (a
// synthetic note as the pipeline left it, from bingli synth + process).
func TestFastJSONMatchesEncodingJSON(t *testing.T) {
	b, err := os.ReadFile("testdata/full_note.json")
	if err != nil {
		t.Fatal(err)
	}
	var std Note
	if err := json.Unmarshal(b, &std); err != nil {
		t.Fatal(err)
	}
	got, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, std) {
		t.Fatal("Unmarshal decodes the note differently from encoding/json")
	}
	want, _ := json.Marshal(&std)
	out, err := got.Marshal()
	if err != nil || !bytes.Equal(out, want) {
		t.Fatalf("Marshal differs from encoding/json (%v)", err)
	}
	if len(std.Tokens) == 0 || len(std.Entities) == 0 || len(std.Diagnoses) == 0 {
		t.Fatal("testdata/full_note.json lacks layers")
	}
}
