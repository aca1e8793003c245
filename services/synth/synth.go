// Package synth generates synthetic archives of Chinese ophthalmology notes
// (myopia, glaucoma, cataract, diabetic retinopathy, dry eye, keratitis) with
// a gold file of every identifier, diagnosis and measurement in them.
//
// The demo, tests and benchmarks of bingli read its archives, and the
// de-identification stage is scored against its gold file. Everything is
// generated from word lists in this package: no corpus text, no data files.
// Output is deterministic for a seed; patient i is the same whatever the
// number of patients asked for.
package synth

// Config says what to generate.
type Config struct {
	Patients   int   `json:"patients"`    // number of patients
	Seed       int64 `json:"seed"`        // deterministic output for a seed
	MeanVisits int   `json:"mean_visits"` // mean notes per patient (default 6 when 0)
	Broken     bool  `json:"broken"`      // also write broken records
}

// Summary says what was written.
type Summary struct {
	Patients, Notes int      // Notes = valid notes written (== lines of gold.jsonl)
	Broken          int      // broken records written
	Files           []string // archive files written, relative to dir
}
