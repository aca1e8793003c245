package timeline

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// spill holds stored note parts in temporary files, one per part, so Each
// can fold a stream larger than memory one part at a time. Records are
// the stored note parts, each after its uvarint length. The files hold
// de-identified data only and are removed when Each returns.
type spill struct {
	dir   string
	files []*os.File
	ws    []*bufio.Writer
}

func newSpill(parts int) (*spill, error) {
	dir, err := os.MkdirTemp("", "bingli-timelines-")
	if err != nil {
		return nil, fmt.Errorf("timelines: %w", err)
	}
	sp := &spill{dir: dir}
	for i := range parts {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("part-%04d", i)))
		if err != nil {
			sp.remove()
			return nil, fmt.Errorf("timelines: %w", err)
		}
		sp.files = append(sp.files, f)
		sp.ws = append(sp.ws, bufio.NewWriterSize(f, 32<<10))
	}
	return sp, nil
}

func (sp *spill) write(part int, value []byte) error {
	w := sp.ws[part]
	var n [binary.MaxVarintLen64]byte
	w.Write(n[:binary.PutUvarint(n[:], uint64(len(value)))])
	if _, err := w.Write(value); err != nil { // bufio keeps the first error
		return fmt.Errorf("timelines spill: %w", err)
	}
	return nil
}

// flush writes out every part's buffer.
func (sp *spill) flush() error {
	for _, w := range sp.ws {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("timelines spill: %w", err)
		}
	}
	return nil
}

// read calls fn with every record of one part, in the order written.
func (sp *spill) read(part int, fn func(value []byte) error) error {
	f := sp.files[part]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("timelines spill: %w", err)
	}
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		value, err := readField(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(value); err != nil {
			return err
		}
	}
}

func readField(r *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("timelines spill: %w", err)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("timelines spill: truncated record: %w", err)
	}
	return b, nil
}

func (sp *spill) remove() {
	for _, f := range sp.files {
		f.Close()
	}
	os.RemoveAll(sp.dir)
}
