// Package service wires Readout's packages into running services: the
// crawler and the processor against Kafka, with their HTTP listeners: the
// admin one (/metrics, /healthz, /readyz) and the processor's public one
// (the newsroom feeds). cmd/ and the end-to-end tests share it, so
// tests run the services exactly as production does.
package service
