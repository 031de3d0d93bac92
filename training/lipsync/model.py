"""The lip-sync network: a causal dilated TCN over log-mel frames, exported to ONNX.

Every convolution is unpadded ("valid"), and each residual block keeps the newest frames, so
output ``j`` depends on input frames ``j .. j + R - 1`` only (``R`` = receptive field). The
look-ahead is then just how labels are aligned in training: output ``j`` is trained to name
the viseme of frame ``j + R - 1 - L``. At run time the caller pads ``R - 1 - L`` silence frames
before the audio and ``L`` after, and gets one output per frame (``studio.inference``).

Feature normalisation (per-bin mean and spread of the training corpus) is part of the graph,
so the app feeds the raw output of ``studio.lipsync.features.log_mel``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F

from studio.lipsync.features import N_MELS
from studio.lipsync.visemes import VISEMES


@dataclass(frozen=True)
class NetConfig:
    channels: int = 160
    kernel: int = 3
    dilations: tuple[int, ...] = (1, 2, 4, 8, 1, 2, 4, 8)
    dropout: float = 0.1
    lookahead: int = 4  # frames of 10 ms the prediction may see past its own frame

    @property
    def receptive_field(self) -> int:
        return 1 + (self.kernel - 1) * (1 + sum(self.dilations))

    @property
    def context(self) -> int:
        """Past frames a prediction sees (the silence the runtime pads before the audio)."""
        return self.receptive_field - 1 - self.lookahead

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "receptive_field": self.receptive_field, "context": self.context}


class _Block(nn.Module):
    def __init__(self, channels: int, kernel: int, dilation: int, dropout: float) -> None:
        super().__init__()
        self.depthwise = nn.Conv1d(channels, channels, kernel, dilation=dilation, groups=channels)
        self.pointwise = nn.Conv1d(channels, channels, 1)
        self.norm = nn.BatchNorm1d(channels)
        self.dropout = nn.Dropout(dropout)
        self.trim = (kernel - 1) * dilation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.norm(self.pointwise(self.depthwise(x))))
        return x[:, :, self.trim :] + self.dropout(y)


class LipSyncNet(nn.Module):
    """``(batch, frames, N_MELS)`` log-mel → ``(batch, frames - R + 1, 15)`` viseme logits."""

    def __init__(self, config: NetConfig, mean: torch.Tensor, std: torch.Tensor) -> None:
        super().__init__()
        self.config = config
        self.register_buffer("mean", mean.reshape(1, 1, N_MELS).float())
        self.register_buffer("inv_std", 1.0 / std.reshape(1, 1, N_MELS).float().clamp_min(1e-3))
        self.stem = nn.Conv1d(N_MELS, config.channels, config.kernel)
        self.blocks = nn.ModuleList(
            _Block(config.channels, config.kernel, d, config.dropout) for d in config.dilations
        )
        self.head = nn.Conv1d(config.channels, len(VISEMES), 1)

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        x = ((mel - self.mean) * self.inv_std).transpose(1, 2)
        x = F.relu(self.stem(x))
        for block in self.blocks:
            x = block(x)
        return self.head(x).transpose(1, 2)


class _Probabilities(nn.Module):
    """What ships: softmax weights instead of logits."""

    def __init__(self, net: LipSyncNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.net(mel), dim=-1)


def export_onnx(net: LipSyncNet, path: str, metadata: dict[str, str]) -> None:
    """Write the network as ONNX with input ``mel`` and output ``visemes``, plus metadata."""
    import onnx

    net = net.eval()
    example = torch.zeros(1, net.config.receptive_field + 10, N_MELS)
    torch.onnx.export(
        _Probabilities(net),
        (example,),
        path,
        input_names=["mel"],
        output_names=["visemes"],
        dynamic_axes={"mel": {0: "batch", 1: "frames"}, "visemes": {0: "batch", 1: "out_frames"}},
        opset_version=17,
        dynamo=False,
    )
    proto = onnx.load(path)
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(proto, path)
