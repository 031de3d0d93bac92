"""The shipped lip-sync model: metadata, offline and streaming inference, accuracy on the
held-out Piper voice, and the ``studio lipsync`` commands."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import onnx
import pytest

from studio.cli.main import main
from studio.errors import StudioError
from studio.inference.lipsync_model import LipSyncModel
from studio.lipsync.features import SAMPLE_RATE, num_frames
from studio.lipsync.labels import CSV_HEADER, read_viseme_csv
from studio.lipsync.visemes import VISEMES
from studio.media.audio import read_audio, write_wav
from studio.pipeline.lipsync_eval import evaluate_folder
from studio.resources import asset_path, model_path

PIPER_SET = asset_path("lipsync_eval", "piper-joe")


@pytest.fixture(scope="module")
def model() -> LipSyncModel:
    return LipSyncModel(provider="cpu", threads=1)


@pytest.fixture(scope="module")
def sentence() -> np.ndarray:
    audio, rate = read_audio(PIPER_SET / "001.wav")
    assert rate == SAMPLE_RATE
    return audio


def test_model_reports_its_provider_and_a_look_ahead_within_60_ms(model: LipSyncModel) -> None:
    assert model.provider == "CPUExecutionProvider"
    assert 0 < model.info.lookahead_ms <= 60.0
    assert model.info.receptive_field > 30  # it sees context, not one frame
    assert model_path("lipsync.onnx").stat().st_size <= 2_000_000


def test_one_row_of_weights_per_10_ms_frame(model: LipSyncModel, sentence: np.ndarray) -> None:
    weights = model.predict(sentence, SAMPLE_RATE)
    assert weights.shape == (num_frames(len(sentence)), len(VISEMES))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-4)
    assert (weights >= 0).all()


def test_other_sample_rates_give_the_same_frames(model: LipSyncModel, sentence: np.ndarray) -> None:
    from studio.media.audio import resample

    at_48k = resample(sentence, SAMPLE_RATE, 48000)
    a, b = model.predict(sentence, SAMPLE_RATE), model.predict(at_48k, 48000)
    assert a.shape == b.shape
    assert (a.argmax(1) == b.argmax(1)).mean() > 0.95


@pytest.mark.parametrize("chunk", [160, 333, 1600, 4801])
def test_streaming_equals_offline(model: LipSyncModel, sentence: np.ndarray, chunk: int) -> None:
    offline = model.predict(sentence, SAMPLE_RATE)
    stream = model.stream()
    parts = [stream.push_audio(sentence[i : i + chunk]) for i in range(0, len(sentence), chunk)]
    parts.append(stream.flush())
    streamed = np.concatenate(parts)
    assert streamed.shape == offline.shape
    np.testing.assert_allclose(streamed, offline, atol=1e-4)


def test_a_streamed_frame_is_out_once_its_look_ahead_has_arrived(model: LipSyncModel) -> None:
    stream = model.stream()
    # Frame 0 needs the front end's window (280 samples) and `lookahead` more frames of audio.
    needed = 280 + model.info.lookahead * 160
    assert len(stream.push_audio(np.zeros(needed - 1, np.float32))) == 0
    assert len(stream.push_audio(np.zeros(1, np.float32))) == 1


def test_the_model_beats_the_energy_baseline_on_the_held_out_voice(model: LipSyncModel) -> None:
    # The figures onnx_models/lipsync.md reports, less a margin for other CPUs' rounding.
    result = evaluate_folder(PIPER_SET, model)
    assert result.files == 35 and result.seconds > 80
    m, b = result.model, result.baseline
    assert m.group_accuracy > 0.60 and m.group_accuracy > b.group_accuracy + 0.25, (m, b)
    assert m.accuracy > 0.50 and m.accuracy > b.accuracy + 0.25
    assert m.pp_recall > 0.6 and b.pp_recall == 0.0
    assert m.jaw_correlation > 0.72 and m.jaw_correlation > b.jaw_correlation + 0.1


def test_a_model_for_other_features_is_refused(tmp_path: Path) -> None:
    proto = onnx.load(str(model_path("lipsync.onnx")))
    for entry in proto.metadata_props:
        if entry.key == "feature":
            entry.value = "mfcc13-v0"
    path = tmp_path / "other.onnx"
    onnx.save(proto, str(path))
    with pytest.raises(StudioError, match="does not fit"):
        LipSyncModel(path)


def _mp3(source: Path, target: Path) -> None:
    audio, rate = read_audio(source)
    with av.open(str(target), "w") as out:
        stream = out.add_stream("libmp3lame", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(audio[None, :].astype(np.float32), format="fltp", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def test_cli_predict_writes_one_csv_row_per_frame(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mp3 = tmp_path / "speech.mp3"
    _mp3(PIPER_SET / "002.wav", mp3)
    out = tmp_path / "v.csv"
    assert main(["lipsync", "predict", str(mp3), "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0] == ",".join(CSV_HEADER)
    weights = read_viseme_csv(out)
    audio, rate = read_audio(PIPER_SET / "002.wav")
    assert abs(len(weights) - num_frames(len(audio))) <= 3  # mp3 frames pad the end a little
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-6)
    assert "CPUExecutionProvider" in capsys.readouterr().err


def test_cli_eval_prints_the_model_beside_the_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("003", "004"):
        for suffix in (".wav", ".tsv"):
            (tmp_path / f"{name}{suffix}").write_bytes((PIPER_SET / f"{name}{suffix}").read_bytes())
    assert main(["lipsync", "eval", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "energy baseline" in out and "2 files" in out and "look-ahead" in out


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "does not exist"),
        ("folder", "is a folder"),
        ("text", "not an audio file"),
        ("garbage", "Cannot decode"),
    ],
)
def test_cli_predict_bad_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, message: str
) -> None:
    target = {"missing": tmp_path / "no.wav", "folder": tmp_path, "text": tmp_path / "a.txt"}.get(
        setup, tmp_path / "bad.wav"
    )
    if setup == "text":
        target.write_text("hello")
    if setup == "garbage":
        target.write_bytes(b"RIFF not really a wav file")
    assert main(["lipsync", "predict", str(target), "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not (tmp_path / "o.csv").exists()


def test_cli_eval_folder_without_labels_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_wav(tmp_path / "a.wav", np.zeros(1600, np.float32), SAMPLE_RATE)
    assert main(["lipsync", "eval", str(tmp_path)]) == 2
    assert "have no labels" in capsys.readouterr().err


def test_the_int8_variant_agrees_with_the_model(model: LipSyncModel, sentence: np.ndarray) -> None:
    small = LipSyncModel(model_path("lipsync-int8.onnx"), provider="cpu", threads=1)
    assert small.info == model.info
    a, b = model.predict(sentence, SAMPLE_RATE), small.predict(sentence, SAMPLE_RATE)
    assert (a.argmax(1) == b.argmax(1)).mean() > 0.9
    assert model_path("lipsync-int8.onnx").stat().st_size < model_path("lipsync.onnx").stat().st_size / 2


def test_cli_predict_checks_the_output_before_decoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d.csv"
    folder.mkdir()
    assert main(["lipsync", "predict", str(PIPER_SET / "001.wav"), "--out", str(folder)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["lipsync", "predict", str(PIPER_SET / "001.wav"), "--out", str(tmp_path / "v.txt")]) == 2
    assert "must end in .csv" in capsys.readouterr().err


def test_cli_eval_with_a_model_file_that_is_not_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, setup in (("missing.onnx", None), ("text.onnx", b"not a model")):
        path = tmp_path / name
        if setup:
            path.write_bytes(setup)
        assert main(["lipsync", "eval", str(PIPER_SET), "--model", str(path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "Reinstall" not in err[0], err


def test_channels_first_audio_is_refused_not_averaged_away() -> None:
    from studio.lipsync.features import to_model_rate

    with pytest.raises(ValueError, match="samples, channels"):
        to_model_rate(np.zeros((2, 16000), np.float32), SAMPLE_RATE)
    assert to_model_rate(np.zeros((16000, 2), np.float32), SAMPLE_RATE).shape == (16000,)
