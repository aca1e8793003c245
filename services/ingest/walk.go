package ingest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"bingli/services/note"
)

// Options configure parsing.
type Options struct {
	// Mapping overrides the default aliases for the fields it names.
	Mapping Mapping
	// MaxNoteBytes is the largest note text accepted, in bytes of UTF-8;
	// 0 means 1 MiB.
	MaxNoteBytes int
}

// DefaultMaxNoteBytes is the note size limit when Options leave it 0.
const DefaultMaxNoteBytes = 1 << 20

func (o Options) withDefaults() Options {
	if o.MaxNoteBytes <= 0 {
		o.MaxNoteBytes = DefaultMaxNoteBytes
	}
	return o
}

// Item is one record of an archive file: a valid note or a bad record.
type Item struct {
	File string // path relative to the root given to Walk, slash-separated (a single file: its base name)
	Line int    // 1-based line where the record starts (0 for .txt files and file-level problems)
	Seq  int    // 0-based record index within the file; valid and bad records both count
	// Note is set for a valid record.
	Note *note.Note
	// Bad is set for a bad record: what is wrong, never a value from it.
	Bad string
}

// Formats by file extension (compared in lower case).
var formats = map[string]string{
	".jsonl":  "jsonl",
	".ndjson": "jsonl",
	".csv":    "csv",
	".txt":    "txt",
}

// Walk visits every supported file under path (a file or a directory tree),
// in lexical order, and calls fn for each record in order. Hidden files and
// directories (name starting with ".") are skipped; a file of another
// extension, or one that cannot be opened, is reported as one Bad item.
// Symbolic links to files are followed, to directories not (reported as
// one Bad item). An error from fn stops the walk and is returned as is; so
// is ctx's error when it is cancelled. Read errors other than bad records
// stop the walk with an error naming the file.
func Walk(ctx context.Context, path string, opt Options, fn func(Item) error) error {
	opt = opt.withDefaults()
	if err := opt.Mapping.validate(); err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	if !info.IsDir() {
		return parseFile(ctx, path, filepath.Base(path), info, opt, fn)
	}
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if p == path {
			return err // the root itself: nil, or why it cannot be read
		}
		rel, rerr := filepath.Rel(path, p)
		if rerr != nil {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if err != nil {
			// A directory that cannot be listed (its entry was visited
			// before, so this is the second call) or an entry that vanished.
			return fn(Item{File: rel, Bad: "cannot read " + entryKind(d) + " (" + errorKind(err) + ")"})
		}
		if d.IsDir() {
			return nil
		}
		info, err := os.Stat(p) // follows symbolic links
		if err != nil {
			return fn(Item{File: rel, Bad: "cannot read file (" + errorKind(err) + ")"})
		}
		switch {
		case info.IsDir():
			return fn(Item{File: rel, Bad: "symbolic link to a directory not followed"})
		case !info.Mode().IsRegular():
			return fn(Item{File: rel, Bad: "not a regular file"})
		}
		return parseFile(ctx, p, rel, info, opt, fn)
	})
}

// parseFile parses one file by its extension.
func parseFile(ctx context.Context, abs, rel string, info fs.FileInfo, opt Options, fn func(Item) error) error {
	format, ok := formats[strings.ToLower(filepath.Ext(rel))]
	if !ok {
		ext := filepath.Ext(rel)
		if ext == "" {
			return fn(Item{File: rel, Bad: "unsupported file type (no extension)"})
		}
		return fn(Item{File: rel, Bad: fmt.Sprintf("unsupported file type %q", ext)})
	}
	if !info.Mode().IsRegular() {
		return fn(Item{File: rel, Bad: "not a regular file"})
	}
	f, err := os.Open(abs)
	if err != nil {
		return fn(Item{File: rel, Bad: "cannot open file (" + errorKind(err) + ")"})
	}
	defer f.Close()
	return parseStream(ctx, f, rel, format, opt, fn)
}

// parseStream parses one file's content in the given format; rel names it
// in items and derived ids.
func parseStream(ctx context.Context, r io.Reader, rel, format string, opt Options, fn func(Item) error) error {
	src, err := newSource(r)
	if err != nil {
		return fmt.Errorf("ingest %s: read: %w", rel, err)
	}
	p := &fileParser{rel: rel, format: format, src: src, opt: opt, fn: fn}
	switch format {
	case "jsonl":
		return p.parseJSONL(ctx)
	case "csv":
		return p.parseCSV(ctx)
	}
	return p.parseTXT()
}

// errorKind names an OS error without its path.
func errorKind(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist"
	}
	return "I/O error"
}

func entryKind(d fs.DirEntry) string {
	if d != nil && d.IsDir() {
		return "directory"
	}
	return "file"
}

// FileFingerprint identifies a file's content: "<size>:<sha256 hex>", the
// content streamed, so that re-ingesting the same archive is recognised
// whatever the file is called.
func FileFingerprint(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	return fmt.Sprintf("%d:%x", n, h.Sum(nil)), nil
}
