package ingest

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding names recorded in note.Source.Encoding.
const (
	EncUTF8    = "utf-8"
	EncGB18030 = "gb18030"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
)

// sampleSize is how much of a file is sniffed to choose its encoding.
const sampleSize = 64 << 10

// invalidByte replaces undecodable UTF-16 code units in the transcoded
// stream. It can never occur in valid UTF-8, so the record holding it fails
// UTF-8 validation and is reported as undecodable.
const invalidByte = 0xFF

// DetectEncoding chooses the encoding of a file from its first bytes (up to
// 64 KiB) and returns it with the length of the byte-order mark to skip.
// A BOM wins (UTF-8, UTF-16LE, UTF-16BE). Otherwise a sample that is valid
// UTF-8 is utf-8; a sample that is plainly UTF-8 text with a few broken
// sequences (at least 10 valid multi-byte characters and under one invalid
// sequence per hundred of them) is also utf-8, so that one broken record does
// not turn a whole UTF-8 file into mojibake; anything else is gb18030.
// A multi-byte character cut off at the end of the sample is not held
// against UTF-8.
func DetectEncoding(sample []byte) (enc string, bomLen int) {
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8, 3
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return EncUTF16LE, 2
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return EncUTF16BE, 2
	}
	if len(sample) > sampleSize {
		sample = sample[:sampleSize]
	}
	if utf8.Valid(sample) {
		return EncUTF8, 0
	}
	multi, invalid := 0, 0
	for i := 0; i < len(sample); {
		c := sample[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(sample[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(sample[i:]) {
				break // cut off at the end of the sample
			}
			invalid++
		} else {
			multi++
		}
		i += size
	}
	if invalid == 0 || (multi >= 10 && invalid*100 < multi) {
		return EncUTF8, 0
	}
	return EncGB18030, 0
}

// source is a file's content as an ASCII-compatible byte stream in which
// '\n', ',' and '"' only ever stand for themselves: the raw bytes for UTF-8
// and GB18030 (neither uses those bytes inside multi-byte characters), or
// UTF-8 transcoded from UTF-16. Records are cut from it and then decoded
// one by one, so an undecodable record does not spoil its neighbours.
type source struct {
	br  *bufio.Reader
	enc string
	dec decoder
}

func newSource(r io.Reader) (*source, error) {
	br := bufio.NewReaderSize(r, sampleSize)
	sample, err := br.Peek(sampleSize)
	if err != nil && err != io.EOF {
		return nil, err
	}
	enc, bom := DetectEncoding(sample)
	if _, err := br.Discard(bom); err != nil {
		return nil, err
	}
	s := &source{br: br, enc: enc, dec: decoder{enc: enc}}
	switch enc {
	case EncUTF16LE, EncUTF16BE:
		s.br = bufio.NewReaderSize(transform.NewReader(br, utf16ToUTF8{bigEndian: enc == EncUTF16BE}), sampleSize)
	case EncGB18030:
		s.dec.gb = simplifiedchinese.GB18030.NewDecoder()
	}
	return s, nil
}

// decoder turns one record's bytes from the source stream into UTF-8 and
// says whether they were valid in the file's encoding.
type decoder struct {
	enc string
	gb  *encoding.Decoder // nil unless gb18030
}

// bytes decodes b; the result may alias b.
func (d *decoder) bytes(b []byte) ([]byte, bool) {
	if d.gb == nil || isASCII(b) {
		return b, utf8.Valid(b)
	}
	out, err := d.gb.Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, false
	}
	return out, true
}

// string decodes s.
func (d *decoder) string(s string) (string, bool) {
	if d.gb == nil || isASCIIString(s) {
		return s, utf8.ValidString(s)
	}
	out, err := d.gb.String(s)
	if err != nil || strings.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return out, true
}

func (d *decoder) badReason() string { return "undecodable bytes (not valid " + d.enc + ")" }

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// utf16ToUTF8 transcodes UTF-16 to UTF-8, writing invalidByte for an
// unpaired surrogate or a dangling odd byte instead of U+FFFD, so that the
// record holding it can be told apart from one with a genuine U+FFFD.
type utf16ToUTF8 struct{ bigEndian bool }

func (utf16ToUTF8) Reset() {}

func (t utf16ToUTF8) unit(b []byte) rune {
	if t.bigEndian {
		return rune(b[0])<<8 | rune(b[1])
	}
	return rune(b[1])<<8 | rune(b[0])
}

func (t utf16ToUTF8) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		left := len(src) - nSrc
		r, size := rune(-1), 2
		switch u := rune(0); {
		case left < 2:
			if !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			size = 1 // odd trailing byte
		default:
			u = t.unit(src[nSrc:])
			switch {
			case u < 0xD800 || u >= 0xE000:
				r = u
			case u < 0xDC00: // high surrogate: needs a low one
				if left < 4 {
					if !atEOF {
						return nDst, nSrc, transform.ErrShortSrc
					}
					break
				}
				if lo := t.unit(src[nSrc+2:]); lo >= 0xDC00 && lo < 0xE000 {
					r, size = 0x10000+(u-0xD800)<<10+(lo-0xDC00), 4
				}
			}
		}
		if r < 0 {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = invalidByte
			nDst++
		} else {
			if nDst+utf8.RuneLen(r) > len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += utf8.EncodeRune(dst[nDst:], r)
		}
		nSrc += size
	}
	return nDst, nSrc, nil
}
