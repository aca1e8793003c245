package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap"

	"bingli/services/index"
	"bingli/services/note"
	"bingli/services/review"
)

// indexStore lets the review app read notes from the running index: the
// queue is the indexed note ids, a note is the stored document.
type indexStore struct{ b index.Backend }

func (s indexStore) List(ctx context.Context) ([]string, error) {
	res, err := s.b.Search(ctx, index.Query{Size: 10000})
	if err != nil {
		return nil, err
	}
	return res.NoteIDs, nil
}

// ListByStatus lists the notes in one review state, from the index.
func (s indexStore) ListByStatus(ctx context.Context, status string) ([]string, error) {
	if _, ok := s.b.(index.ReviewStatusIndex); !ok {
		return s.List(ctx) // the review app filters by its own state
	}
	res, err := s.b.Search(ctx, index.Query{ReviewStatus: status, Size: index.MaxSize})
	if err != nil {
		return nil, err
	}
	return res.NoteIDs, nil
}

// SetReviewStatus keeps each note's review state in the index as the
// review app folds corrections and assignments from the REVIEWS stream.
func (s indexStore) SetReviewStatus(ctx context.Context, sts []review.NoteStatus) error {
	ix, ok := s.b.(index.ReviewStatusIndex)
	if !ok {
		return nil
	}
	out := make([]index.ReviewStatus, len(sts))
	for i, st := range sts {
		out[i] = index.ReviewStatus{NoteID: st.NoteID, Status: st.Status, Annotators: len(st.Annotators)}
	}
	return ix.SetReviewStatus(ctx, out)
}

func (s indexStore) Get(ctx context.Context, id string) (*note.Note, error) {
	n, ok, err := s.b.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, review.ErrNotFound
	}
	return n, nil
}

// annotatorAccounts loads DATA/annotators.json (annotator -> sha256 of the
// API key). The first time it creates one account, "annotator", whose key
// is written to DATA/annotator.key with 0600 permissions (never logged).
func annotatorAccounts(dataDir string, log *zap.Logger) (map[string]string, error) {
	path := filepath.Join(dataDir, "annotators.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw := make([]byte, 24)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		key := hex.EncodeToString(raw)
		keyPath := filepath.Join(dataDir, "annotator.key")
		if err := os.WriteFile(keyPath, []byte(key+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("review accounts: %w", err)
		}
		accounts := map[string]string{"annotator": review.HashKey(key)}
		b, _ = json.MarshalIndent(accounts, "", "  ")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, fmt.Errorf("review accounts: %w", err)
		}
		log.Warn("created the review account 'annotator'; its API key is in the key file", zap.String("key_file", keyPath))
		return accounts, nil
	}
	if err != nil {
		return nil, fmt.Errorf("review accounts: %w", err)
	}
	var accounts map[string]string
	if err := json.Unmarshal(b, &accounts); err != nil {
		return nil, fmt.Errorf("review accounts %s: %w", path, err)
	}
	return accounts, nil
}
