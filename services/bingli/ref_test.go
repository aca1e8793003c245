package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"bingli/services/deid"
)

// 'bingli ref' prints what the run's key turned archive ids into, from
// the key file, the environment or a run's data directory, for ids on the
// command line or on standard input.
func TestRefPrintsWhatDeidGaveIDs(t *testing.T) {
	data := t.TempDir()
	keyFile := filepath.Join(data, "deid.key")
	writeKey(t, keyFile)
	key, err := deid.LoadKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	otherKey := filepath.Join(t.TempDir(), "other.key")
	writeKey(t, otherKey)
	t.Setenv(deid.KeyEnv, "")

	lines := func(f func(deid.Key, string) string, ids ...string) string {
		var b strings.Builder
		for _, id := range ids {
			b.WriteString(id + "\t" + f(key, id) + "\n")
		}
		return b.String()
	}
	for _, tc := range []struct {
		name  string
		args  []string
		env   string
		stdin string
		want  string
	}{
		{"notes", []string{"--key-file", keyFile, "note", "ZY20230305001", "EMR000000101"}, "", "",
			lines(deid.NoteRef, "ZY20230305001", "EMR000000101")},
		{"patients", []string{"--key-file", keyFile, "patient", "MR20230000001"}, "", "",
			lines(deid.PatientPseudonym, "MR20230000001")},
		{"files", []string{"--key-file", keyFile, "file", "txt/MR20230000001/EMR000000101.txt", "notes.csv"}, "", "",
			lines(deid.FilePseudonym, "txt/MR20230000001/EMR000000101.txt", "notes.csv")},
		{"key of a run's data directory", []string{"--data", data, "note", "n1"}, "", "", lines(deid.NoteRef, "n1")},
		{"key from the environment", []string{"note", "n1"}, keyFile, "", lines(deid.NoteRef, "n1")},
		{"the flag before the environment", []string{"--key-file", keyFile, "note", "n1"}, otherKey, "", lines(deid.NoteRef, "n1")},
		{"ids on standard input", []string{"--key-file", keyFile, "note"}, "", "ZY1\r\n\nZY2\n", lines(deid.NoteRef, "ZY1", "ZY2")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(deid.KeyEnv, tc.env)
			var out bytes.Buffer
			if err := runRef(tc.args, strings.NewReader(tc.stdin), &out); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", out.String(), tc.want)
			}
		})
	}
	secret, _ := os.ReadFile(keyFile)
	for _, tc := range []struct {
		name, want string
		args       []string
		stdin      string
	}{
		{"no kind", "usage", []string{"--key-file", keyFile}, ""},
		{"unknown kind", `"visit": want note, patient or file`, []string{"--key-file", keyFile, "visit", "x"}, ""},
		{"no key", "no de-identification key", []string{"note", "x"}, ""},
		{"no key in the data directory", "no de-identification key", []string{"--data", t.TempDir(), "note", "x"}, ""},
		{"not a key", "not hex", []string{"--key-file", filepath.Join("testdata", "..", "ref.go"), "note", "x"}, ""},
		{"no ids", "no identifiers", []string{"--key-file", keyFile, "note"}, "\n \n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runRef(tc.args, strings.NewReader(tc.stdin), &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(string(secret))[:16]) || out.Len() != 0 {
				t.Fatalf("err %v, output %q", err, out.String())
			}
		})
	}

	// The command is wired: the binary prints the same.
	got, err := exec.Command(bin, "ref", "--key-file", keyFile, "note", "ZY20230305001").Output()
	if err != nil || string(got) != lines(deid.NoteRef, "ZY20230305001") {
		t.Fatalf("bingli ref: %q %v", got, err)
	}
}
