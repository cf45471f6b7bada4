#!/usr/bin/env bash
# The Python package in CI: `pip install .` into a fresh virtual environment, a smoke test
# on the demo corpus, then pytest (python/tests). Needs the release binary for the tests
# that compare with the command line (built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/py-venv
rm -rf "$venv"
python3 -m venv "$venv"
py=$venv/bin/python
"$py" -m pip install -q --upgrade pip
"$py" -m pip install -q pytest hypothesis

echo "== pip install . (maturin, cargo profile python)"
start=$(date +%s)
CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} "$py" -m pip install -q .
echo "python: wheel built and installed in $(($(date +%s) - start)) s"

echo "== smoke test: the demo corpus through the package"
# Run from elsewhere: the package is the installed one, not python/paralign.
(cd "$venv" && "$OLDPWD/$py" - "$OLDPWD/corpora/demo" <<'PY'
import pathlib, sys
import paralign

demo = pathlib.Path(sys.argv[1])
model = paralign.Model.learn(demo)
units = 0
for en in sorted((demo / "en").glob("*.txt")):
    versions = {
        lang: (demo / lang / en.name).read_text(encoding="utf-8")
        for lang in ("en", "ru", "de", "es", "fr")
        if (demo / lang / en.name).exists()
    }
    units += len(paralign.align(versions, model=model, doc=en.stem))
print(f"python: paralign {paralign.__version__} aligned the demo corpus into {units} units; {model!r}")
PY
)

echo "== pytest python/tests"
[ -x target/release/paralign ] || CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release -q
(cd python/tests && PARALIGN_BIN="$OLDPWD/target/release/paralign" PARALIGN_REPO="$OLDPWD" \
  "$OLDPWD/$py" -m pytest -q -p no:cacheprovider .)
