# Shared by scripts/start-demo and scripts/test: make .venv and install LDPM into it.
# Usage: EXTRAS="" or EXTRAS="[test]", then: . scripts/_venv.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "LDPM needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$py" -m venv .venv
fi
stamp=".venv/.installed${EXTRAS}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${EXTRAS}"
    touch "$stamp"
fi
# Qt needs a few system libraries that minimal Debian machines lack.
if ! .venv/bin/python -c 'from PySide6 import QtWidgets' 2>/dev/null; then
    pkgs="libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
    else
        echo "Qt needs these Debian packages: sudo apt-get install $pkgs" >&2
        exit 1
    fi
fi
