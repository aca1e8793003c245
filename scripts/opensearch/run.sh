#!/usr/bin/env bash
# Builds (mvn -q, dependencies cached in ~/.m2) and starts one OpenSearch node
# on 127.0.0.1 for bingli's index contract tests.
#
#   scripts/opensearch/run.sh [HTTP_PORT] [TRANSPORT_PORT] [BASE_DIR]
#
# Defaults: 9250, 9350, a fresh temp dir. Prints
# "BINGLI-OPENSEARCH-READY http://127.0.0.1:PORT" once the node is yellow.
# Env: OPENSEARCH_HEAP (default 512m), JAVA (default: java on PATH),
#      MVN (default: mvn).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
http_port="${1:-9250}"
transport_port="${2:-9350}"
base="${3:-$(mktemp -d -t bingli-opensearch.XXXXXX)}"
java_bin="${JAVA:-java}"
mvn_bin="${MVN:-mvn}"

# Build once per source change; mvn is the slow part, so skip it when the
# compiled class and the classpath file are newer than the sources.
stamp="$here/target/classpath.txt"
if [[ ! -f "$stamp" || "$here/pom.xml" -nt "$stamp" || \
      "$here/src/main/java/bingli/opensearch/Node.java" -nt "$stamp" ]]; then
  (cd "$here" && "$mvn_bin" -q -B compile)
fi

exec "$java_bin" "-Xms${OPENSEARCH_HEAP:-512m}" "-Xmx${OPENSEARCH_HEAP:-512m}" \
  -Dlog4j2.disable.jmx=true \
  -cp "$here/target/classes:$(cat "$stamp")" \
  bingli.opensearch.Node "$http_port" "$transport_port" "$base"
