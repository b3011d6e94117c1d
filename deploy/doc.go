// Package deploy holds the deployment files (Dockerfile, systemd unit,
// Kubernetes manifests, Grafana dashboard, runbook) and no code: its tests
// check those files and drill the operations they describe against the real
// binary — several replicas behind a load balancer on one PostgreSQL, and
// backup and restore on both engines.
package deploy
