#!/usr/bin/env bash
# Regenerates every golden from the independent implementation (numpy/scipy, i.e. LAPACK/OpenBLAS):
# one generator per golden, scripts/golden/<family>/<case>.py, beside the family's common.py.
# Explicit and never part of a test: a golden change is a reviewed commit.
# Uses Debian's own python3 with python3-numpy and python3-scipy (apt), not another python on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
  echo "golden: needs Debian's python3-numpy and python3-scipy: apt-get install -y python3-numpy python3-scipy" >&2
  exit 2
fi
root=${1:-$here/../../golden}
cd "$here"
for script in */*.py; do
  [ "$(basename "$script")" = common.py ] && continue
  "$py" -B "$script" "$root"
done
