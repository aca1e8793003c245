package dataset

import (
	"bingli/services/csvrow"

	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/parquet-go/parquet-go"
)

// Formats an export may be written in.
var Formats = []string{"jsonl", "csv", "parquet"}

// table writes the rows of one table in one format to NAME.FORMAT.
type table[T any] struct {
	name, path string
	f          *os.File
	bw         *bufio.Writer
	pq         *parquet.GenericWriter[T]
	cw         *csv.Writer
	je         *json.Encoder
	rows       int
}

func newTable[T any](dir, name, format string) (*table[T], error) {
	path := filepath.Join(dir, name+"."+format)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	t := &table[T]{name: name, path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16)}
	switch format {
	case "parquet":
		t.pq = parquet.NewGenericWriter[T](t.bw)
	case "csv":
		t.cw = csv.NewWriter(t.bw)
		if err := t.cw.Write(csvrow.Columns(reflect.TypeFor[T]())); err != nil {
			f.Close()
			return nil, err
		}
	case "jsonl":
		t.je = json.NewEncoder(t.bw)
		t.je.SetEscapeHTML(false)
	default:
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("format %q: want jsonl, csv or parquet", format)
	}
	return t, nil
}

func (t *table[T]) write(rows ...T) error {
	var err error
	switch {
	case t.pq != nil:
		_, err = t.pq.Write(rows)
	case t.cw != nil:
		for _, r := range rows {
			if err = t.cw.Write(csvrow.Values(reflect.ValueOf(r))); err != nil {
				break
			}
		}
	default:
		for _, r := range rows {
			if err = t.je.Encode(r); err != nil {
				break
			}
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(t.path), err)
	}
	t.rows += len(rows)
	return nil
}

func (t *table[T]) close() error {
	var err error
	if t.pq != nil {
		err = t.pq.Close()
	}
	if t.cw != nil {
		t.cw.Flush()
		err = t.cw.Error()
	}
	if err == nil {
		err = t.bw.Flush()
	}
	if err == nil {
		err = t.f.Sync()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(t.path), err)
	}
	return nil
}
