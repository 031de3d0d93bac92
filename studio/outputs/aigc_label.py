"""The implicit AI-content label of GB 45438-2025 (网络安全技术 人工智能生成合成内容标识方法).

The standard's implicit (metadata) label is a JSON object under the field name "AIGC" with the
fields Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID and
ReservedCode2, every value a string; Label "1" means the content *is* AI-generated ("2" and
"3" are for content that may be or is suspected to be). Sources used for the structure:
GB 45438-2025 section 6 and annex E as summarised by TC260's practice guide TC260-PG-20258A
(https://www.tc260.org.cn/front/postDetail.html?id=20250828165129), and Tencent Cloud's
"查询 AIGC 图片元数据标识" API reference (https://cloud.tencent.com/document/api/460/122025),
which returns that object field by field.

In an MP4 the label is the container tag ``AIGC`` whose value is the object's JSON; in an RTMP
stream it is the same string in ``onMetaData``. Studio is the producer; a propagator (a
platform that re-publishes the file) fills in its own two fields, so they start empty.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from studio import GENERATOR

__all__ = ["AIGC_FIELDS", "AIGC_KEY", "LABEL_AI_GENERATED", "aigc_label", "aigc_metadata", "parse_aigc"]

AIGC_KEY = "AIGC"
LABEL_AI_GENERATED = "1"  # GB 45438-2025: 1 = is AI-generated, 2 = may be, 3 = suspected
AIGC_FIELDS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)


def new_produce_id() -> str:
    """A unique id per file or show: the standard asks ProduceID to be unique per content."""
    return uuid.uuid4().hex


def aigc_label(
    producer: str = GENERATOR,
    produce_id: str | None = None,
    propagator: str = "",
    propagate_id: str = "",
) -> dict[str, str]:
    """The label's fields in the standard's order; a fresh ProduceID unless one is given
    (a show keeps one id across its reconnects)."""
    return {
        "Label": LABEL_AI_GENERATED,
        "ContentProducer": producer,
        "ProduceID": produce_id or new_produce_id(),
        "ReservedCode1": "",  # the producer's anti-tamper code: Studio signs nothing yet
        "ContentPropagator": propagator,
        "PropagateID": propagate_id,
        "ReservedCode2": "",
    }


def aigc_metadata(produce_id: str | None = None, producer: str = GENERATOR) -> dict[str, str]:
    """The container tag that carries the label: ``{"AIGC": "<json>"}``. Compact JSON with the
    Chinese kept as is, so a reader sees the same text the standard's examples show."""
    label = aigc_label(producer, produce_id)
    return {AIGC_KEY: json.dumps(label, ensure_ascii=False, separators=(",", ":"))}


def parse_aigc(tags: Mapping[str, Any]) -> dict[str, str] | None:
    """The label found in a file's or stream's tags (the key in any case), or None. Both the
    bare object and one wrapped as ``{"AIGC": {...}}`` are read; a value that is not a JSON
    object with a Label is no label."""
    value = next((v for k, v in tags.items() if str(k).upper() == AIGC_KEY), None)
    if not isinstance(value, str):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get(AIGC_KEY), dict):
        data = data[AIGC_KEY]
    if not isinstance(data, dict) or "Label" not in data:
        return None
    return {str(k): "" if v is None else str(v) for k, v in data.items()}
