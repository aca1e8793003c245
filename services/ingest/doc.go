// Package ingest parses hospital archive exports (JSONL, CSV with a header
// row, plain-text .txt notes; UTF-8, GBK/GB18030 or UTF-16 with a BOM) into
// raw note documents and bad-record entries.
//
// Walk streams every record of a file or directory tree to a callback as an
// Item: either a valid *note.Note or a Bad reason. Reasons never carry note
// text or identifier values, only what is wrong (field names, sizes, line
// and byte positions), because they end up in logs and dead-letter files.
//
// The package knows nothing about NATS: publishing, checkpoints and the
// dead-letter stream are wired by the caller.
package ingest
