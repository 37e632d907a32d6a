// Package deploy holds no code: its tests check the operations artefacts
// beside it (Prometheus rules and their unit tests, the Grafana dashboard,
// docker compose, Kubernetes manifests) and the Dockerfile.
package deploy
