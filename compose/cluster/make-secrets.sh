#!/usr/bin/env bash
# Creates the Compose secrets of compose/cluster in ./secrets (or $1) with openssl: a private CA,
# the syslog TLS server certificate and the CA its clients' certificates must chain to, the
# Elasticsearch node certificate (SANs es-1..es-3), the API's HTTPS certificate, the checkpoint
# signing key pair (Ed25519, PKCS#8 / X.509 PEM, as atna-bridge writes them) and the elastic
# password. Existing files are kept, so running it twice changes nothing. Replace the CA-signed
# certificates with your own PKI's in production.
set -euo pipefail
out="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets}"
mkdir -p "$out"
chmod 700 "$out"
cd "$out"
umask 077

if [[ ! -f ca.key ]]; then
  openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.crt -days 1825 \
    -subj "/CN=ATNA Bridge cluster CA" 2>/dev/null
fi
issue() { # name, subject CN, subjectAltName
  local name="$1" cn="$2" san="$3"
  [[ -f "$name.crt" ]] && return
  openssl req -newkey rsa:3072 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$cn" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" \
    -days 825 -extfile "$name.ext" 2>/dev/null
  # PKCS#8 unencrypted: what --tls-key and the nginx/Elasticsearch configs read
  openssl pkcs8 -topk8 -nocrypt -in "$name.key" -out "$name.key.p8"
  mv "$name.key.p8" "$name.key"
  rm -f "$name.csr" "$name.ext"
}
issue syslog-tls "atna-bridge ingest" "DNS:ingest-1,DNS:ingest-2,DNS:ingest-lb,DNS:localhost"
issue es-node "elasticsearch" "DNS:es-1,DNS:es-2,DNS:es-3,DNS:localhost"
issue api "atna-bridge api" "DNS:api-lb,DNS:localhost"
# senders' client certificates must chain to this CA (here: the same private CA)
[[ -f syslog-clients-ca.crt ]] || cp ca.crt syslog-clients-ca.crt

if [[ ! -f checkpoint-ed25519.key ]]; then
  openssl genpkey -algorithm ed25519 -out checkpoint-ed25519.key
  openssl pkey -in checkpoint-ed25519.key -pubout -out checkpoint-ed25519.pub
fi
[[ -f elastic-password ]] || openssl rand -base64 24 | tr -d '\n/+=' > elastic-password
# Compose bind-mounts file secrets with their host owner and mode, and each container runs as
# its own user (atna-bridge 10001, elasticsearch 1000, nginx): the files must be readable by
# them, so the protection is this directory (700, its owner only) and never the file modes.
chmod 644 ./*.crt ./*.pub ./*.key elastic-password
chmod 600 ca.key ca.srl
echo "secrets in $out"
