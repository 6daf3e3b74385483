#!/usr/bin/env bash
# Builds a local stand-in for python:3.11-slim-bookworm from Debian bookworm packages, for machines that reach
# Debian's package archive but no container registry. It is tagged with the official image's name, so the
# Dockerfile's base resolves without a pull, and its digest is printed for --build-arg BASE=...@sha256:<digest>.
#
#   deploy/base-image.sh            # needs mmdebstrap and podman, run as root
#   MIRROR=http://deb.debian.org/debian deploy/base-image.sh
set -euo pipefail

TAG=${TAG:-docker.io/library/python:3.11-slim-bookworm}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

for tool in mmdebstrap podman; do
  command -v "$tool" >/dev/null || { echo "base-image: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What the Dockerfile uses of the official image, from Debian: Python 3.11 with venv (pip comes into each venv
# from ensurepip), `python`, CA certificates, time zones and useradd. apt stays, as in the official image, and
# brings libstdc++6, which manylinux wheels expect from the system.
# shellcheck disable=SC2016 # "$1" in the hook is mmdebstrap's, the root of the new tree.
mmdebstrap --variant=minbase --quiet \
  --include=python3.11,python3.11-venv,python-is-python3,ca-certificates,tzdata,netbase,passwd \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  "$SUITE" "$work/rootfs.tar" "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main"

podman import --quiet \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  "$work/rootfs.tar" "$TAG" >/dev/null

digest=$(podman image inspect --format '{{.Digest}}' "$TAG")
echo "base-image: $TAG ($(podman image inspect --format '{{.Size}}' "$TAG" | awk '{printf "%d MB", $1/1e6}'))"
echo "base-image: pin it with --build-arg BASE=$TAG@$digest"
