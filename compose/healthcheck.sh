#!/usr/bin/env bash
# Container health check without curl in the image: GET http://127.0.0.1:PORT/health/ready
# over bash's /dev/tcp; healthy on "HTTP/1.1 200". Usage: healthcheck.sh PORT
set -euo pipefail
port="${1:?usage: healthcheck.sh PORT}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r status <&3
[[ "${status}" == "HTTP/1.1 200"* ]]
