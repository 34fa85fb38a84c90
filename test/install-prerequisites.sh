#!/usr/bin/env bash
# Installs the Debian packages some tests need when they are missing: etcd-server (the fleet tests start
# their own etcd on free ports) and libre2-dev and g++ (the RE2 cross-check compiles a probe against
# the real RE2). The product itself needs neither. Runs apt-get as root, or through sudo when that is available;
# otherwise it says what is missing and the tests that need it report why.
set -uo pipefail

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
[ -f /usr/include/re2/re2.h ] || missing+=(libre2-dev)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test prerequisites missing (${missing[*]}) and apt-get is not available" >&2
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo -n)
else
  echo "test prerequisites missing (${missing[*]}): not root and no password-less sudo" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "installing test prerequisites: ${missing[*]}"
"${run[@]}" apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
  || { "${run[@]}" apt-get update -q >/dev/null && "${run[@]}" apt-get install -y -q "${missing[@]}" >/dev/null; } \
  || echo "warning: could not install ${missing[*]}" >&2
exit 0
