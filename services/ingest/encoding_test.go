package ingest

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

func TestDetectEncoding(t *testing.T) {
	utf8Note := []byte(noteA)
	long := bytes.Repeat([]byte("眼"), sampleSize/3+1) // a 3-byte rune straddles the 64 KiB mark
	brokenUTF8 := append(bytes.Repeat([]byte(noteB), 10), 0xFF, '\n')
	tests := []struct {
		name   string
		sample []byte
		enc    string
		bomLen int
	}{
		{"empty", nil, EncUTF8, 0},
		{"ascii", []byte(`{"text":"abc"}`), EncUTF8, 0},
		{"utf-8", utf8Note, EncUTF8, 0},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, utf8Note...), EncUTF8, 3},
		{"utf-16le bom", utf16With(t, noteA, unicode.LittleEndian), EncUTF16LE, 2},
		{"utf-16be bom", utf16With(t, noteA, unicode.BigEndian), EncUTF16BE, 2},
		{"gb18030", gb18030(t, noteA), EncGB18030, 0},
		{"gb18030 short", gb18030(t, "眼"), EncGB18030, 0},
		{"utf-8 cut at sample end", long[:sampleSize], EncUTF8, 0},
		{"utf-8 with one broken byte", brokenUTF8, EncUTF8, 0},
	}
	for _, tt := range tests {
		enc, bom := DetectEncoding(tt.sample)
		if enc != tt.enc || bom != tt.bomLen {
			t.Errorf("%s: DetectEncoding = %s, %d; want %s, %d", tt.name, enc, bom, tt.enc, tt.bomLen)
		}
	}
}

func TestUTF16ToUTF8MarksInvalidUnits(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte // little-endian
		want  string
		valid bool
	}{
		{"bmp", []byte{0x3C, 0x77, 0x0A, 0x00}, "眼\n", true},                    // U+773C
		{"surrogate pair", []byte{0x3D, 0xD8, 0x00, 0xDE}, "\U0001F600", true},  // 😀
		{"lone high surrogate", []byte{0x3D, 0xD8, 0x41, 0x00}, "\xffA", false}, // then 'A'
		{"lone low surrogate", []byte{0x00, 0xDE, 0x41, 0x00}, "\xffA", false},
		{"odd trailing byte", []byte{0x41, 0x00, 0x42}, "A\xff", false},
		{"genuine U+FFFD", []byte{0xFD, 0xFF}, "\uFFFD", true},
	}
	for _, tt := range tests {
		// One byte at a time exercises the short-source paths.
		r := transform.NewReader(iotestOneByte(tt.in), utf16ToUTF8{})
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(got) != tt.want || utf8.Valid(got) != tt.valid {
			t.Errorf("%s: got %q (valid %v), want %q (valid %v)", tt.name, got, utf8.Valid(got), tt.want, tt.valid)
		}
	}
}

type oneByteReader struct{ b []byte }

func iotestOneByte(b []byte) io.Reader { return &oneByteReader{b} }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.b[0]
	r.b = r.b[1:]
	return 1, nil
}

func TestDecoderGB18030(t *testing.T) {
	s, err := newSource(bytes.NewReader(gb18030(t, noteB)))
	if err != nil {
		t.Fatal(err)
	}
	d := s.dec
	if got, ok := d.string(string(gb18030(t, noteC))); !ok || got != noteC {
		t.Errorf("decode valid gb18030 = %q, %v", got, ok)
	}
	bad := append(gb18030(t, "眼压"), 0x81, '"')
	if _, ok := d.string(string(bad)); ok {
		t.Errorf("decode of a dangling lead byte succeeded")
	}
	if d.badReason() != "undecodable bytes (not valid gb18030)" {
		t.Errorf("reason %q", d.badReason())
	}
}
