package deid

import (
	"encoding/binary"
	"encoding/hex"
)

// PseudonymLen is the number of hex digits in a pseudonymous patient id.
const PseudonymLen = 20

// PatientPseudonym returns "p-" + the first 20 hex digits of
// HMAC-SHA256(key, source patient id): stable for a key, unlinkable without it.
func PatientPseudonym(k Key, sourcePatientID string) string {
	return "p-" + hex.EncodeToString(k.mac("patient", sourcePatientID))[:PseudonymLen]
}

// NotePseudonym is the patient pseudonym for a note without a source patient
// id: "p-n" + 19 hex digits of HMAC(key, note id). The "n" marks that such a
// note cannot be linked to any other note of the same person.
func NotePseudonym(k Key, noteID string) string {
	return "p-n" + hex.EncodeToString(k.mac("note", noteID))[:PseudonymLen-1]
}

// patientScope is the value that keys per-patient surrogates and date offsets.
func patientScope(sourcePatientID, noteID string) string {
	if sourcePatientID != "" {
		return "patient:" + sourcePatientID
	}
	return "note:" + noteID
}

// DateOffset is the per-patient date shift in days: in -365..+365, never 0.
func DateOffset(k Key, scope string) int {
	v := binary.BigEndian.Uint64(k.mac("dateshift", scope)[:8])
	d := int(v%730) + 1 // 1..730
	if d > 365 {
		return d - 731 // -365..-1
	}
	return d
}

// FilePseudonym replaces an archive file path in de-identified notes: paths
// often hold patient ids or names (txt/<patient_id>/...). The hospital, which
// holds the key, can recompute it for each of its files to find a record.
func FilePseudonym(k Key, path string) string {
	return "f-" + hex.EncodeToString(k.mac("file", path))[:16]
}

// NoteRef is what a note is called after de-identification (the deid stage
// replaces the note id with it): "n-" + 20 hex digits of HMAC(key, note id).
// Archive note ids can be record numbers; the hospital, which holds the
// key, can recompute the reference of each of its notes ('bingli ref note').
func NoteRef(k Key, noteID string) string {
	return "n-" + hex.EncodeToString(k.mac("noteref", noteID))[:PseudonymLen]
}
