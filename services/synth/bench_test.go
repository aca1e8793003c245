package synth

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
)

// go test -run XXX -bench Write -benchtime 1x ./services/synth/
// reports notes, archive size and gold size per run.
func benchmarkWrite(b *testing.B, patients int) {
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		s, err := Write(context.Background(), Config{Patients: patients, Seed: 7, Broken: true}, dir)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		var archive, gold int64
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			switch d.Name() {
			case FileGold:
				gold += info.Size()
			case FileManifest:
			default:
				archive += info.Size()
			}
			return nil
		})
		b.ReportMetric(float64(s.Notes), "notes/op")
		b.ReportMetric(float64(archive)/1e6, "archiveMB/op")
		b.ReportMetric(float64(gold)/1e6, "goldMB/op")
		b.StartTimer()
	}
}

func BenchmarkWrite1k(b *testing.B) { benchmarkWrite(b, 1000) }

func BenchmarkWrite100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100,000 patients in -short mode")
	}
	benchmarkWrite(b, 100_000)
}
