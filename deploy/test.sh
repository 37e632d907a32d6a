#!/usr/bin/env bash
# The whole test suite (make test, .ci/run): starts a real Apache Kafka (KRaft,
# assembled from Maven Central by deploy/kafka/kafka.sh) unless KAFKA_BROKERS
# names one, runs every Go test against it, and stops it again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=""
cleanup() {
  if [[ -n "$started" ]]; then deploy/kafka/kafka.sh stop || true; fi
}
trap cleanup EXIT INT TERM

if [[ -n "${KAFKA_BROKERS:-}" ]]; then
  echo "== using Kafka at $KAFKA_BROKERS"
  export READOUT_TEST_KAFKA="$KAFKA_BROKERS"
else
  echo "== starting Apache Kafka (real broker, KRaft) for the integration tests"
  t0=$(date +%s)
  READOUT_TEST_KAFKA=$(deploy/kafka/kafka.sh start)
  export READOUT_TEST_KAFKA
  started=1
  echo "== Kafka serving at $READOUT_TEST_KAFKA after $(( $(date +%s) - t0 ))s"
fi
export READOUT_KAFKA_SCRIPT="$PWD/deploy/kafka/kafka.sh"

echo "== go vet"
go vet ./...

echo "== go test (unit, kfake and real-broker integration tests)"
t0=$(date +%s)
set +e
go test -count=1 -timeout 12m ${GOTESTFLAGS:-} ./... 2>&1 | tee /tmp/readout-go-test.$$.log
rc=${PIPESTATUS[0]}
set -e
summary="${READOUT_RELIABILITY_SUMMARY:-${TMPDIR:-/tmp}/readout-reliability-summary.txt}"
if [[ -f "$summary" ]]; then echo "== reliability suite (real Kafka, faults injected)"; cat "$summary"; rm -f "$summary"; fi
passed=$(grep -c '^ok ' /tmp/readout-go-test.$$.log || true)
failed=$(grep -c '^FAIL\s' /tmp/readout-go-test.$$.log || true)
rm -f /tmp/readout-go-test.$$.log
echo "== go test: $passed packages ok, $failed failed, $(( $(date +%s) - t0 ))s"
exit "$rc"
