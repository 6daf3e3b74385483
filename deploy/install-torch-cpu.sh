#!/bin/sh
# Installs the CPU build of torch into the environment of PYTHON (the Makefile's venv, the image's build stage).
#
#   deploy/install-torch-cpu.sh .venv/bin/python
#
# PyTorch's CPU wheel index (TORCH_INDEX_URL) is used where it answers; otherwise the default index, which serves
# a CPU build only on some machines (a local mirror or a wheel in PIP_FIND_LINKS): on Linux x86_64, PyPI's torch
# is a CUDA build of several GB. Before anything is downloaded, a dry run of the resolution must list no CUDA
# package; after the install, torch.version.cuda must be None. Either failing stops here with the reason.
set -eu

PYTHON=${1:-python3}
TORCH_VERSION=${TORCH_VERSION:-2.13.0}
TORCH_INDEX_URL=${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}

say() { echo "install-torch-cpu: $*" >&2; }

if "$PYTHON" -W ignore -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION' or torch.version.cuda is not None)" 2>/dev/null; then
  exit 0
fi

if "$PYTHON" -c "import urllib.request; urllib.request.urlopen('$TORCH_INDEX_URL/torch/', timeout=10)" 2>/dev/null; then
  say "torch $TORCH_VERSION from $TORCH_INDEX_URL"
  set -- --index-url "$TORCH_INDEX_URL"
else
  say "$TORCH_INDEX_URL does not answer: trying the default index for a CPU build of torch $TORCH_VERSION"
  set --
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT
"$PYTHON" -m pip install --quiet --dry-run --ignore-installed --report "$report" "$@" "torch==$TORCH_VERSION"
cuda=$("$PYTHON" - "$report" <<'EOF'
import json, sys
names = [i["metadata"]["name"].lower() for i in json.load(open(sys.argv[1]))["install"]]
print(" ".join(n for n in names if n.startswith(("nvidia-", "cuda-", "triton"))))
EOF
)
if [ -n "$cuda" ]; then
  say "refusing: the index offers a CUDA build of torch $TORCH_VERSION (it would bring $cuda)."
  say "Make PyTorch's CPU index reachable, set TORCH_INDEX_URL to a mirror of it, or put the CPU wheel"
  say "(torch-$TORCH_VERSION+cpu-*.whl) in a folder named by PIP_FIND_LINKS."
  exit 1
fi

"$PYTHON" -m pip install --quiet "$@" "torch==$TORCH_VERSION"
if ! "$PYTHON" -W ignore -c "import torch; assert torch.version.cuda is None, torch.version.cuda"; then
  say "refusing: the torch that was installed is a CUDA build; uninstall it and see above for a CPU source."
  exit 1
fi
say "torch $("$PYTHON" -W ignore -c 'import torch; print(torch.__version__)') (CPU build)"
