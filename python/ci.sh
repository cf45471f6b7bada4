#!/usr/bin/env bash
# The Python package in CI: `pip install .` into a fresh virtual environment, a smoke test
# on the demo corpus, then pytest (python/tests), which compares the package with the
# release binary (built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv=$root/target/py-venv
py=$venv/bin/python

rm -rf "$venv"
python3 -m venv "$venv"
"$py" -m pip install -q pytest hypothesis

echo "== pip install . (maturin, cargo profile python)"
start=$(date +%s)
"$py" -m pip install -q .
echo "python: wheel built and installed in $(($(date +%s) - start)) s"

# From outside the repository, so that `import paralign` is the installed package.
echo "== smoke test: the demo corpus through the package"
(cd "$venv" && "$py" - "$root/corpora/demo" <<'PY'
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
print(f"python: paralign {paralign.__version__} aligned the demo corpus into {units} units with {model!r}")
PY
)

echo "== pytest python/tests"
[ -x target/release/paralign ] || cargo build --release -q
(cd python/tests && PARALIGN_REPO=$root PARALIGN_BIN=$root/target/release/paralign \
  "$py" -m pytest -q -p no:cacheprovider .)
