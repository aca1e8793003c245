// Package access is who may use which part of bingli: API keys with roles,
// stored hashed in a file under the data directory, an HTTP middleware
// that authenticates a request's key and checks its role, and an audit log
// of every dataset query and export.
//
// Roles:
//
//	annotator        the review app: de-identified notes, corrections
//	dataset_builder  cohort queries, aggregates and exports (de-identified)
//	admin            everything a dataset builder may do, and key management
//
// No role reaches raw (pre-de-identification) text: it exists only on the
// restricted raw stream between ingest and deid.
package access

import (
	"fmt"
	"slices"
)

// Role is what a key may do.
type Role string

const (
	Annotator      Role = "annotator"
	DatasetBuilder Role = "dataset_builder"
	Admin          Role = "admin"
)

// Roles lists the known roles.
var Roles = []Role{Annotator, DatasetBuilder, Admin}

// DatasetRoles may query cohorts and export datasets.
var DatasetRoles = []Role{DatasetBuilder, Admin}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("access: unknown role %q (known: annotator, dataset_builder, admin)", s)
	}
	return r, nil
}

// Principal is an authenticated caller: the key's name and role.
type Principal struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
}
