package omop

import (
	"bingli/services/csvrow"

	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/parquet-go/parquet-go"
)

// table writes rows of one OMOP table to NAME.parquet and NAME.csv.
type table[T any] struct {
	name  string
	files []*os.File
	pq    *parquet.GenericWriter[T]
	bw    *bufio.Writer
	cw    *csv.Writer
	rows  int
}

func newTable[T any](dir, name string) (*table[T], error) {
	pf, err := os.Create(filepath.Join(dir, name+".parquet"))
	if err != nil {
		return nil, err
	}
	cf, err := os.Create(filepath.Join(dir, name+".csv"))
	if err != nil {
		pf.Close()
		return nil, err
	}
	t := &table[T]{name: name, files: []*os.File{pf, cf}, pq: parquet.NewGenericWriter[T](pf)}
	t.bw = bufio.NewWriter(cf)
	t.cw = csv.NewWriter(t.bw)
	if err := t.cw.Write(csvrow.Columns(reflect.TypeFor[T]())); err != nil {
		t.abort()
		return nil, err
	}
	return t, nil
}

func (t *table[T]) write(row T) error {
	if _, err := t.pq.Write([]T{row}); err != nil {
		return fmt.Errorf("%s.parquet: %w", t.name, err)
	}
	if err := t.cw.Write(csvrow.Values(reflect.ValueOf(row))); err != nil {
		return fmt.Errorf("%s.csv: %w", t.name, err)
	}
	t.rows++
	return nil
}

func (t *table[T]) close() error {
	err := t.pq.Close()
	t.cw.Flush()
	if err == nil {
		err = t.cw.Error()
	}
	if err == nil {
		err = t.bw.Flush()
	}
	for _, f := range t.files {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	return nil
}

func (t *table[T]) abort() {
	for _, f := range t.files {
		f.Close()
	}
}

// opened is a table being written, whatever its row type.
type opened interface {
	close() error
	abort()
	tableName() string
	rowCount() int
}

func (t *table[T]) tableName() string { return t.name }
func (t *table[T]) rowCount() int     { return t.rows }

// open creates table name in dir, stores it in dst and records it in all.
func open[T any](dir, name string, dst **table[T], all *[]opened) error {
	t, err := newTable[T](dir, name)
	if err != nil {
		return err
	}
	*dst = t
	*all = append(*all, t)
	return nil
}
