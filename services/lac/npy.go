package lac

import (
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"strconv"
)

var npyShape = regexp.MustCompile(`'shape':\s*\((\d+),\s*(\d+)\)`)

// parseNPY reads a square little-endian float32 matrix in NumPy's .npy
// format (version 1 or 2, C order), as LAC's CRF transitions are stored.
func parseNPY(b []byte) ([]float32, int, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return nil, 0, fmt.Errorf("not a .npy file")
	}
	var hlen, off int
	switch b[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, 0, fmt.Errorf("truncated header")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return nil, 0, fmt.Errorf("npy version %d", b[6])
	}
	if off+hlen > len(b) {
		return nil, 0, fmt.Errorf("truncated header")
	}
	h := string(b[off : off+hlen])
	if !regexp.MustCompile(`'descr':\s*'<f4'`).MatchString(h) || !regexp.MustCompile(`'fortran_order':\s*False`).MatchString(h) {
		return nil, 0, fmt.Errorf("want little-endian float32 in C order, header %q", h)
	}
	m := npyShape.FindStringSubmatch(h)
	if m == nil {
		return nil, 0, fmt.Errorf("want a 2-D shape, header %q", h)
	}
	rows, _ := strconv.Atoi(m[1])
	cols, _ := strconv.Atoi(m[2])
	if rows != cols || rows == 0 {
		return nil, 0, fmt.Errorf("want a square matrix, shape %dx%d", rows, cols)
	}
	body := b[off+hlen:]
	if len(body) != rows*cols*4 {
		return nil, 0, fmt.Errorf("%d data bytes, want %d", len(body), rows*cols*4)
	}
	out := make([]float32, rows*cols)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*i:]))
	}
	return out, rows, nil
}
