package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap"

	"bingli/services/deid"
)

// resolveKeyFile finds the de-identification key: the flag, then
// BINGLI_DEID_KEY_FILE, then DATA/deid.key. Embedded modes (create=true)
// create DATA/deid.key with 0600 permissions the first time; service modes
// refuse to start without a key. The key itself is never logged.
func resolveKeyFile(flagValue, dataDir string, create bool, log *zap.Logger) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if env := os.Getenv("BINGLI_DEID_KEY_FILE"); env != "" {
		return env, nil
	}
	if dataDir == "" {
		return "", errors.New("no de-identification key: pass --key-file or set BINGLI_DEID_KEY_FILE")
	}
	path := filepath.Join(dataDir, "deid.key")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if !create {
		return "", errors.New("no de-identification key: pass --key-file or set BINGLI_DEID_KEY_FILE")
	}
	if err := deid.GenerateKeyFile(path); err != nil {
		return "", fmt.Errorf("create de-identification key: %w", err)
	}
	log.Warn("created a new de-identification key; keep it secret and reuse it so pseudonyms stay stable", zap.String("path", path))
	return path, nil
}
