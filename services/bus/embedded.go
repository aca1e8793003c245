// Package bus is the NATS JetStream plumbing shared by every stage: the
// embedded server for one machine, connections, and the streams and
// consumers of a pipeline (its topology).
package bus

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedOptions configures the in-process NATS server.
type EmbeddedOptions struct {
	// DataDir holds JetStream's file storage (created if missing).
	DataDir string
	// Host and Port to listen on; Port -1 picks a free port, Port 0 means 4222.
	Host string
	Port int
}

// StartEmbedded starts an in-process NATS server with JetStream on file
// storage under DataDir and returns it once it accepts connections.
func StartEmbedded(opt EmbeddedOptions) (*server.Server, error) {
	if opt.DataDir == "" {
		return nil, fmt.Errorf("embedded nats: no data dir")
	}
	host := opt.Host
	if host == "" {
		host = "127.0.0.1"
	}
	ns, err := server.NewServer(&server.Options{
		ServerName: "bingli-embedded",
		Host:       host,
		Port:       opt.Port,
		JetStream:  true,
		StoreDir:   filepath.Join(opt.DataDir, "jetstream"),
		NoSigs:     true,
		// Notes can be large; a 1 MiB note becomes a larger JSON document.
		MaxPayload: 8 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 30s")
	}
	return ns, nil
}
