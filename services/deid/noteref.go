package deid

// IsNoteRef reports whether id has the shape of a NoteRef ("n-" and 20
// lower-case hex digits): what every note id looks like after
// de-identification. Outputs written before the deid stage replaced note
// ids hold archive ids instead, which must not leave.
func IsNoteRef(id string) bool {
	if len(id) != 2+PseudonymLen || id[:2] != "n-" {
		return false
	}
	for _, c := range []byte(id[2:]) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
