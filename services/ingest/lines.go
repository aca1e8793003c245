package ingest

import (
	"bufio"
	"io"
)

// lineReader reads '\n'-terminated lines of any length from a source stream
// while holding at most max bytes of one line in memory: a longer line is
// drained and reported as too long, with its full size.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	max  int
	line int // number of the line last returned, 1-based
}

// next returns the next line without its "\n" or "\r\n", its size in bytes
// as stored (terminator included) and whether it exceeded max (then b is
// nil). The returned bytes are valid until the following call.
func (lr *lineReader) next() (b []byte, size int, tooLong bool, err error) {
	chunk, err := lr.br.ReadSlice('\n')
	if err == nil || (err == io.EOF && len(chunk) > 0) {
		// Common case: the whole line sits in the buffer.
		lr.line++
		if len(chunk) > lr.max {
			return nil, len(chunk), true, nil
		}
		return trimEOL(chunk), len(chunk), false, nil
	}
	if err == io.EOF {
		return nil, 0, false, io.EOF
	}
	if err != bufio.ErrBufferFull {
		return nil, 0, false, err
	}
	lr.buf = append(lr.buf[:0], chunk...)
	size = len(chunk)
	for err == bufio.ErrBufferFull {
		chunk, err = lr.br.ReadSlice('\n')
		size += len(chunk)
		switch {
		case tooLong:
		case len(lr.buf)+len(chunk) > lr.max:
			tooLong = true
			lr.buf = lr.buf[:0]
		default:
			lr.buf = append(lr.buf, chunk...)
		}
	}
	if err != nil && err != io.EOF {
		return nil, 0, false, err
	}
	lr.line++
	if tooLong {
		return nil, size, true, nil
	}
	return trimEOL(lr.buf), size, false, nil
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}
