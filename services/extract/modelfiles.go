package extract

import (
	"io/fs"
	"os"
	"path/filepath"
)

// WriteModelFiles copies the files at the top of fsys (an embedded model
// directory) to dir, each through a temporary file and a rename, so that
// concurrent loads never see half a file; New then checks them against the
// manifest.
func WriteModelFiles(fsys fs.FS, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return err
		}
		tmp, err := os.CreateTemp(dir, "."+e.Name()+".*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(b)
		if werr == nil {
			werr = tmp.Chmod(0o644) // public model files, as os.WriteFile would leave them
		}
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), filepath.Join(dir, e.Name()))
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return werr
		}
	}
	return nil
}
