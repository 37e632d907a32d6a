// Package reliability is Readout's fault-injection suite against a real
// Apache Kafka: broker kill -9 mid-stream, processor restart mid-backlog, a
// misbehaving feed server and poison messages. The tests start their own
// broker with deploy/kafka/kafka.sh (make test sets READOUT_KAFKA_SCRIPT);
// the package itself only generates the real-looking input stream.
package reliability
