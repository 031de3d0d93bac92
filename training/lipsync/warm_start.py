"""Start training from a shipped lip-sync ONNX file instead of from random weights.

The export folds each block's BatchNorm into its pointwise convolution (``onnx::Conv_*``
initializers, in block order); every other weight keeps its PyTorch name under ``net.``. The
folded convolutions are loaded as they are and each BatchNorm becomes the identity (zero mean,
unit variance, no affine change), then stays frozen in eval mode: the network computes exactly
what the ONNX file does, and fine-tuning moves the weights from there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from training.lipsync.model import LipSyncNet


def load_onnx_weights(net: LipSyncNet, path: Path) -> None:
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(str(path))
    arrays = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    state = net.state_dict()
    for name, value in arrays.items():
        if name.startswith("net."):
            key = name.removeprefix("net.")
            if state[key].shape != value.shape:
                raise ValueError(f"{path}: {name} has shape {value.shape}, the net {tuple(state[key].shape)}")
            state[key] = torch.from_numpy(np.array(value))
    folded = sorted(
        (n for n in arrays if n.startswith("onnx::Conv_")), key=lambda n: int(n.rsplit("_", 1)[1])
    )
    blocks = len(net.blocks)
    if len(folded) != 2 * blocks:
        raise ValueError(f"{path}: {len(folded)} folded convolution tensors, expected {2 * blocks}")
    for b in range(blocks):
        eps = net.blocks[b].norm.eps
        state[f"blocks.{b}.pointwise.weight"] = torch.from_numpy(np.array(arrays[folded[2 * b]]))
        state[f"blocks.{b}.pointwise.bias"] = torch.from_numpy(np.array(arrays[folded[2 * b + 1]]))
        state[f"blocks.{b}.norm.weight"] = torch.ones_like(state[f"blocks.{b}.norm.weight"])
        state[f"blocks.{b}.norm.bias"] = torch.zeros_like(state[f"blocks.{b}.norm.bias"])
        state[f"blocks.{b}.norm.running_mean"] = torch.zeros_like(state[f"blocks.{b}.norm.running_mean"])
        state[f"blocks.{b}.norm.running_var"] = torch.full_like(
            state[f"blocks.{b}.norm.running_var"], 1 - eps
        )
    net.load_state_dict(state)


def freeze_norms(net: nn.Module) -> None:
    """Put every BatchNorm in eval mode with fixed statistics (call after each ``net.train()``)."""
    for module in net.modules():
        if isinstance(module, nn.BatchNorm1d):
            module.eval()
            for p in module.parameters():
                p.requires_grad_(False)
