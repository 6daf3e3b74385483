#!/usr/bin/env bash
# Builds the image with podman and runs its command, as the image's user, inside a buildah working container
# (which needs no container runtime), then checks it: /readyz within READY_SECONDS, a cited answer from /v1/ask,
# the serving process's user, no torch in the image or mapped in the process. Prints size, user, time to ready.
#
#   deploy/check-image.sh                 # or: make image-check
#   SKIP_BUILD=1 deploy/check-image.sh    # check an image already built
#   NO_CACHE=1 deploy/check-image.sh      # build every layer again
#
# Settings (environment): IMAGE (hrbot:latest), BASE (default: the Dockerfile's pinned base; where it cannot be
# pulled, the local stand-in from deploy/base-image.sh, built if missing), PORT (8765), READY_SECONDS (5),
# MAX_MB (800). Each local folder in PIP_FIND_LINKS is mounted into the build, so a CPU torch wheel kept there
# is used, and so is the certificate bundle PIP_CERT names. Needs podman, buildah, curl, ss and python3; as root.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-hrbot:latest}
PORT=${PORT:-8765}
READY_SECONDS=${READY_SECONDS:-5}
MAX_MB=${MAX_MB:-800}
STANDIN=docker.io/library/python:3.11-slim-bookworm
QUESTION='how do i use narcan'

say() { echo "check-image: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

for tool in podman buildah curl python3 ss; do
  command -v "$tool" >/dev/null || fail "$tool is needed"
done

# The base: the Dockerfile's pin if it is here or can be pulled, else the stand-in, by its digest.
pick_base() {
  local pinned
  pinned=$(sed -n 's/^ARG BASE=//p' Dockerfile)
  if podman image exists "$pinned" || timeout 60 podman pull --quiet "$pinned" >/dev/null 2>&1; then
    echo "$pinned"
    return
  fi
  if ! podman image exists "$STANDIN"; then
    say "cannot pull $pinned: building a stand-in from Debian packages (deploy/base-image.sh)"
    deploy/base-image.sh >&2
  fi
  echo "$STANDIN@$(podman image inspect --format '{{.Digest}}' "$STANDIN")"
}

if [ -z "${SKIP_BUILD:-}" ]; then
  BASE=${BASE:-$(pick_base)}
  args=(--isolation chroot --format docker --build-arg "BASE=$BASE" -t "$IMAGE")
  if [ -n "${NO_CACHE:-}" ]; then args+=(--no-cache); fi
  links=()
  for dir in ${PIP_FIND_LINKS:-}; do
    dir=${dir#file://}
    if [ -d "$dir" ]; then
      args+=(--volume "$dir:$dir:ro")
      links+=("$dir")
    fi
  done
  if [ ${#links[@]} -gt 0 ]; then
    args+=(--build-arg "PIP_FIND_LINKS=${links[*]}")
  fi
  # A machine whose HTTPS goes through a proxy with its own certificate authority names it in PIP_CERT.
  if [ -f "${PIP_CERT:-}" ]; then
    args+=(--volume "$PIP_CERT:/run/pip-cert.pem:ro" --build-arg PIP_CERT=/run/pip-cert.pem)
  fi
  say "building $IMAGE on $BASE"
  started=$(date +%s)
  podman build "${args[@]}" . >&2
  say "built in $(($(date +%s) - started)) s"
fi

inspect() { podman image inspect --format "$1" "$IMAGE"; }
size_mb=$(($(inspect '{{.Size}}') / 1000000))
user=$(inspect '{{.Config.User}}')
cmd=$(inspect '{{json .Config.Cmd}}')
# shellcheck disable=SC2016 # a Go template, not a shell expression
volumes=$(inspect '{{range $k, $v := .Config.Volumes}}{{$k}} {{end}}')
health=$(inspect '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}')
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "the image runs as root (User '$user')"
[ -n "$health" ] || fail "the image has no HEALTHCHECK (build with --format docker)"
[ -n "$volumes" ] || fail "the image declares no VOLUME"
[ "$size_mb" -lt "$MAX_MB" ] || fail "the image is $size_mb MB, over $MAX_MB MB"

# Two working containers: one serves, the other runs the HEALTHCHECK against it (both on the host's network).
ctr=$(buildah from --quiet "$IMAGE")
probe=$(buildah from --quiet "$IMAGE")
state=$(mktemp -d)
log=$(mktemp)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  buildah rm "$ctr" "$probe" >/dev/null 2>&1 || true
  rm -rf "$state" "$log"
}
trap cleanup EXIT

run() { buildah run --isolation chroot --user "$user" "$@"; }
for module in torch sentence_transformers sklearn; do
  run "$ctr" -- python -c "import importlib.util as u, sys; sys.exit(u.find_spec('$module') is not None)" \
    || fail "the image holds $module"
done
uid=$(run "$ctr" -- id -u)
chown "$uid" "$state"
# /app holds the corpus and the built index, both read-only to the user, and the state folder; nothing else.
run "$ctr" -- python -c "
import os
assert sorted(os.listdir('/app')) == ['corpus', 'state', 'var'], os.listdir('/app')
assert not os.access('/app/var', os.W_OK) and not os.access('/app/corpus', os.W_OK), 'the index is writable'
assert os.access('/app/state', os.W_OK), 'the state folder is not writable'
" || fail "unexpected contents or permissions under /app"

# The image's own command, with its environment and user; only the port is changed (BOT_PORT, as in a container).
buildah config --env "BOT_PORT=$PORT" "$ctr"
buildah config --env "BOT_PORT=$PORT" "$probe"
mapfile -t argv < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$cmd")
ss -Hltn "sport = :$PORT" | grep -q . && fail "port $PORT is in use"
started=$(date +%s.%N)
run --volume "$state:/app/state" "$ctr" -- "${argv[@]}" > "$log" 2>&1 &
ready=""
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/readyz" 2>/dev/null; then
    ready=$(python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$started")
    break
  fi
  sleep 0.1
done
[ -n "$ready" ] || { tail -20 "$log" >&2; fail "no 200 from /readyz within 60 s"; }
server=$(ss -Hltnp "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$server" ] || fail "no process listens on port $PORT"

proc_uid=$(stat -c %u "/proc/$server")
[ "$proc_uid" = "$uid" ] || fail "the serving process runs as uid $proc_uid, not $user ($uid)"
torch_maps=$(grep -c torch "/proc/$server/maps" || true)
[ "$torch_maps" = 0 ] || fail "the serving process maps torch ($torch_maps lines)"
rss=$(awk '/^VmRSS/ {printf "%d MiB", $2 / 1024}' "/proc/$server/status")
mapfile -t check < <(python3 -c '
import json, sys
test = json.loads(sys.argv[1])
print("\n".join(test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", test[1]]))' "$health")
run "$probe" -- "${check[@]}" || fail "the image's HEALTHCHECK fails against a ready server"

reply=$(curl -fsS "http://127.0.0.1:$PORT/v1/ask" -H 'content-type: application/json' \
  -d "{\"question\": \"$QUESTION\"}")
answer=$(python3 - "$reply" <<'EOF'
import json, sys
reply = json.loads(sys.argv[1])
assert reply["kind"] == "answer", reply["kind"]
assert reply["citations"] and "[1]" in reply["answer"], "no citation"
print(" ".join(reply["answer"].split())[:300])
for c in reply["citations"]:
    print(f'    [{c["id"]}] {c["title"]} ({c["publisher"]}) {c["url"]}')
EOF
) || fail "the answer is not a cited answer: $reply"

(( $(python3 -c "print(int(float('$ready') < $READY_SECONDS))") )) || fail "ready after $ready s, over $READY_SECONDS s"

cat <<EOF
image:    $IMAGE, $size_mb MB, user $user (uid $uid), volumes: $volumes
command:  ${argv[*]}, serving process uid $proc_uid, RSS $rss, torch lines in its maps: $torch_maps
ready:    /readyz 200 after $ready s; the HEALTHCHECK (${check[*]:0:2} ...) passes
asked:    "$QUESTION"
answer:   $answer
EOF
say "OK"
