"""Train the lip-sync network on a corpus from ``training.lipsync.corpus`` and export it.

    python -m training.lipsync.train --corpus build/lipsync-corpus --out build/lipsync/lipsync.onnx

Deterministic for a seed on a given machine: batches come from a seeded NumPy generator, the
schedule counts steps (never seconds), and torch runs with deterministic algorithms on two
threads. Needs the ``train`` extra (torch); the app itself never imports this module.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from studio.lipsync.evaluate import GROUPS
from studio.lipsync.features import F_MAX, F_MIN, FEATURE_VERSION, N_MELS, SILENCE, hz_to_mel, mel_band_edges
from studio.lipsync.visemes import VISEMES
from training.lipsync.corpus import load_corpus
from training.lipsync.label_fix import anticipate_consonant_onsets, correct_labels, tolerant_loss
from training.lipsync.model import LipSyncNet, NetConfig, export_onnx
from training.lipsync.warm_start import freeze_norms, load_onnx_weights

SIL = VISEMES.index("sil")
_GROUP_OF = np.array([next(g for g, names in enumerate(GROUPS) if v in names) for v in VISEMES])


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 9000
    batch: int = 32
    window: int = 256  # output frames per training window
    lr: float = 3e-3
    weight_decay: float = 1e-2
    label_smoothing: float = 0.05
    class_weight_power: float = 0.3  # 0: plain CE; 1: fully balanced. Lifts rare PP/FF/TH a little.
    warp: float = 0.0  # vocal-tract-length warp: frequencies scaled by up to 1 ± warp per window
    tolerant: float = 0.0  # share of the loss that accepts a viseme labelled within 1 frame
    seed: int = 7


@dataclass
class Stream:
    """Utterances laid end to end with silence between, as the model sees a long recording."""

    feats: np.ndarray  # float16 (N, N_MELS)
    labels: np.ndarray  # int64 (N,)


def build_stream(utterances: list[tuple[np.ndarray, np.ndarray]], gap: int) -> Stream:
    silence = np.full((gap, N_MELS), SILENCE, np.float16)
    feats, labels = [silence], [np.full(gap, SIL, np.int64)]
    for f, lab in utterances:
        feats += [f.astype(np.float16), silence]
        labels += [lab.astype(np.int64), np.full(gap, SIL, np.int64)]
    return Stream(np.concatenate(feats), np.concatenate(labels))


def _batch(stream: Stream, net_cfg: NetConfig, cfg: TrainConfig, rng: np.random.Generator):
    span = cfg.window + net_cfg.receptive_field - 1
    starts = rng.integers(0, len(stream.labels) - span, size=cfg.batch)
    x = np.stack([stream.feats[s : s + span] for s in starts]).astype(np.float32)
    offset = net_cfg.receptive_field - 1 - net_cfg.lookahead
    y = np.stack([stream.labels[s + offset : s + offset + cfg.window] for s in starts])
    # Channel variety the synthesis cannot give: a level offset and a smooth spectral tilt
    # (a different microphone), in the log domain where both are additive.
    level = rng.normal(0.0, 1.0, size=(cfg.batch, 1, 1))
    tilt = rng.normal(0.0, 0.6, size=(cfg.batch, 1, 1)) * np.linspace(-1, 1, N_MELS)[None, None, :]
    x = x + (level + tilt).astype(np.float32) * (x > SILENCE + 1e-3)
    if cfg.warp > 0:
        x = _warp(x, rng.uniform(1 - cfg.warp, 1 + cfg.warp, size=cfg.batch))
    # Frequency masking (SpecAugment): the model may not lean on any single band.
    for b in np.flatnonzero(rng.random(cfg.batch) < 0.5):
        lo = int(rng.integers(0, N_MELS - 8))
        x[b, :, lo : lo + int(rng.integers(1, 9))] = SILENCE
    return torch.from_numpy(x), torch.from_numpy(y)


def _mel_bin_of(hz: np.ndarray) -> np.ndarray:
    """Fractional mel-bin index of a frequency, on the front end's filterbank."""
    lo, hi = hz_to_mel([F_MIN, F_MAX])
    return (hz_to_mel(np.maximum(hz, 0.0)) - lo) / (hi - lo) * (N_MELS + 1) - 1.0


def _warp(x: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Scale each window's frequency axis by its alpha (VTLP): a shorter or longer vocal tract
    moves every formant by the same factor, which the synthetic voices cover only sparsely."""
    centres = mel_band_edges()[1:-1]
    out = np.empty_like(x)
    for b, alpha in enumerate(alphas):
        src = np.clip(_mel_bin_of(centres / alpha), 0, N_MELS - 1)
        lo = np.floor(src).astype(np.int64)
        hi = np.minimum(lo + 1, N_MELS - 1)
        frac = (src - lo).astype(np.float32)
        out[b] = x[b][:, lo] * (1 - frac) + x[b][:, hi] * frac
    return out


def _class_weights(labels: np.ndarray, power: float) -> torch.Tensor:
    counts = np.bincount(labels, minlength=len(VISEMES)).astype(np.float64) + 1.0
    weights = (counts.sum() / counts) ** power
    return torch.tensor(weights / (weights * counts).sum() * counts.sum(), dtype=torch.float32)


@torch.no_grad()
def predict(net: LipSyncNet, feats: np.ndarray) -> np.ndarray:
    """Offline prediction exactly as the runtime pads it: argmax viseme per frame."""
    cfg = net.config
    padded = np.concatenate(
        [np.full((cfg.context, N_MELS), SILENCE), feats, np.full((cfg.lookahead, N_MELS), SILENCE)]
    ).astype(np.float32)
    return net(torch.from_numpy(padded)[None]).argmax(-1)[0].numpy()


def validate(net: LipSyncNet, utterances: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    net.eval()
    hits = group_hits = total = 0
    for feats, labels in utterances:
        pred = predict(net, feats)
        hits += int((pred == labels).sum())
        group_hits += int((_GROUP_OF[pred] == _GROUP_OF[labels]).sum())
        total += len(labels)
    net.train()
    return {"accuracy": hits / max(total, 1), "group_accuracy": group_hits / max(total, 1)}


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train(args: argparse.Namespace) -> None:
    cfg = TrainConfig(steps=args.steps, seed=args.seed, warp=args.warp, tolerant=args.tolerant, lr=args.lr)
    net_cfg = NetConfig(lookahead=args.lookahead, channels=args.channels)
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(cfg.seed)

    corpus = [u for folder in args.corpus for u in load_corpus(Path(folder))]
    keep = [u for u in corpus if u.engine not in args.exclude_engine and u.family not in args.exclude_family]
    if args.correct_labels:  # consonant onsets moved to the audio (training.lipsync.label_fix)
        for u in keep:
            u.labels = correct_labels(u.labels, u.family)
    if args.anticipate:  # closures start before their sound: every engine's and person's labels
        for u in keep:
            u.labels = anticipate_consonant_onsets(u.labels, args.anticipate)
    if args.anticipate_human:  # only people's labels, aligned by v1 and so late as v1 is
        for u in keep:
            if u.engine == "human":
                u.labels = anticipate_consonant_onsets(u.labels, args.anticipate_human)
    train_utts = [(u.feats, u.labels) for u in keep if u.split == "train"]
    val_utts = [(u.feats, u.labels) for u in keep if u.split == "val"]
    stream = build_stream(train_utts, gap=net_cfg.receptive_field)
    speech = np.concatenate([f for f, _ in train_utts]).astype(np.float32)
    mean, std = speech.mean(axis=0), speech.std(axis=0)
    hours = len(speech) / 100 / 3600
    frames_by_engine: dict[str, int] = {}
    for u in keep:
        if u.split == "train":
            frames_by_engine[u.engine] = frames_by_engine.get(u.engine, 0) + len(u.labels)
    engines = sorted(frames_by_engine)
    # Recorded people (training.lipsync.human): who, how long, from where, under what licence.
    found = (Path(folder) / "recipe.json" for folder in args.corpus)
    recipes = [json.loads(path.read_text()) for path in found if path.exists()]
    human = [r for r in recipes if "labelled" in r]
    print(f"train: {len(train_utts)} utterances, {hours:.2f} h from {engines}; val {len(val_utts)}")

    net = LipSyncNet(net_cfg, torch.from_numpy(mean), torch.from_numpy(std))
    if args.init:  # fine-tune a shipped model; its feature normalisation comes with it
        load_onnx_weights(net, Path(args.init))
        freeze_norms(net)
    params = sum(p.numel() for p in net.parameters())
    print(
        f"net: {params} parameters, receptive field {net_cfg.receptive_field}, look-ahead {net_cfg.lookahead}"
    )
    weights = _class_weights(stream.labels, cfg.class_weight_power)
    opt = torch.optim.AdamW(
        [p for p in net.parameters() if p.requires_grad], lr=cfg.lr, weight_decay=cfg.weight_decay
    )
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=cfg.steps, pct_start=0.1)
    started = time.monotonic()
    history = []
    for step in range(1, cfg.steps + 1):
        x, y = _batch(stream, net_cfg, cfg, rng)
        logits = net(x)
        loss = F.cross_entropy(
            logits.reshape(-1, len(VISEMES)),
            y.reshape(-1),
            weight=weights,
            label_smoothing=cfg.label_smoothing,
        )
        if cfg.tolerant > 0:
            loss = (1 - cfg.tolerant) * loss + cfg.tolerant * tolerant_loss(logits, y, weights)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % args.log_every == 0 or step == cfg.steps:
            scores = validate(net, val_utts[: args.val_limit])
            if args.init:
                freeze_norms(net)
            elapsed = time.monotonic() - started
            history.append({"step": step, "loss": loss.item(), "minutes": elapsed / 60, **scores})
            checkpoint = Path(args.out).with_suffix(".ckpt.pt")
            checkpoint.parent.mkdir(parents=True, exist_ok=True)
            torch.save({"step": step, "net": net.state_dict()}, checkpoint)
            print(
                f"step {step}/{cfg.steps} loss {loss.item():.3f} val acc {scores['accuracy']:.3f} "
                f"group {scores['group_accuracy']:.3f} ({elapsed / 60:.1f} min)",
                flush=True,
            )

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), out.with_suffix(".pt"))
    summary = {
        "net": net_cfg.as_dict(),
        "train": cfg.__dict__,
        "parameters": params,
        "hours": round(hours, 3),
        "hours_by_engine": {e: round(n / 100 / 3600, 3) for e, n in sorted(frames_by_engine.items())},
        "human": human,
        "engines": engines,
        "excluded_engines": sorted(args.exclude_engine),
        "excluded_families": sorted(args.exclude_family),
        "corrected_labels": bool(args.correct_labels),
        "anticipated_frames": args.anticipate,
        "anticipated_frames_human": args.anticipate_human,
        "initialised_from": Path(args.init).name if args.init else None,
        # By content too: the file at that path is replaced when the new model ships.
        "initialised_from_sha256": _sha256(args.init) if args.init else None,
        "families": sorted({u.family for u in keep if u.split == "train"}),
        "utterances": len(train_utts),
        "minutes": round((time.monotonic() - started) / 60, 1),
        "history": history,
    }
    metadata = {
        "feature": FEATURE_VERSION,
        "visemes": ",".join(VISEMES),
        "context_frames": str(net_cfg.context),
        "lookahead_frames": str(net_cfg.lookahead),
        "receptive_field": str(net_cfg.receptive_field),
        "training": json.dumps({k: v for k, v in summary.items() if k != "history"}, sort_keys=True),
    }
    export_onnx(net, str(out), metadata)
    out.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) in {summary['minutes']} min")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--corpus",
        required=True,
        action="append",
        help="folder written by training.lipsync.corpus or .human (repeat to train on several)",
    )
    p.add_argument("--out", required=True, help="ONNX file to write (a .pt and a .json go beside it)")
    p.add_argument("--lookahead", type=int, default=4, help="frames of 10 ms past the frame (default 4)")
    p.add_argument("--channels", type=int, default=160)
    p.add_argument("--steps", type=int, default=TrainConfig.steps)
    p.add_argument("--seed", type=int, default=TrainConfig.seed)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warp", type=float, default=0.0, help="vocal-tract-length warp, e.g. 0.12 (default off)")
    p.add_argument("--exclude-engine", action="append", default=[], help="leave a whole engine out")
    p.add_argument("--exclude-family", action="append", default=[], help="leave a voice family out")
    p.add_argument("--init", help="an exported lip-sync ONNX file to fine-tune instead of starting afresh")
    p.add_argument("--lr", type=float, default=TrainConfig.lr)
    p.add_argument("--tolerant", type=float, default=0.0, help="share of the +-1 frame tolerant loss")
    p.add_argument("--correct-labels", action="store_true", help="move flite/festival consonant onsets")
    p.add_argument("--anticipate", type=int, default=0, help="frames to start vowel-consonant closures early")
    p.add_argument("--anticipate-human", type=int, default=0, help="the same for recorded people only")
    p.add_argument("--log-every", type=int, default=500)
    p.add_argument("--val-limit", type=int, default=200, help="validation utterances per check")
    train(p.parse_args())


if __name__ == "__main__":
    main()
