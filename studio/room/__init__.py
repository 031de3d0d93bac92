"""The live room's audience: comments in, a person who decides, approved answers out.

``CommentSource`` is what every source of comments implements: ``AudiencePage`` (the loopback
audience page and moderator console), ``LineSource`` and ``FileTail`` (one comment a line, for
scripting) and ``tiktok.TikTokComments`` (a TikTok LIVE room, with the tiktok extra).

``ModerationQueue`` holds viewers' questions with the catalogue's suggested answer until the
operator approves, edits or rejects them (or an auto kind approves them), and hands the approved
answers to the show in order with ``next_reply()``.
"""

from __future__ import annotations

from studio.room.comments import Comment, CommentSource, Deliver, make_comment, parse_line
from studio.room.lines import FileTail, LineSource
from studio.room.moderation import DECISION, QUESTION, EditRefused, Item, ModerationQueue, Reply, auto_kinds

__all__ = [
    "DECISION",
    "QUESTION",
    "Comment",
    "CommentSource",
    "Deliver",
    "EditRefused",
    "FileTail",
    "Item",
    "LineSource",
    "ModerationQueue",
    "Reply",
    "auto_kinds",
    "make_comment",
    "parse_line",
]
