// Package service wires Readout's packages into running services: the
// crawler and the processor against Kafka, with their HTTP endpoints
// (/metrics, /healthz, /readyz). cmd/ and the end-to-end tests share it, so
// tests run the services exactly as production does.
package service
