"""Optional wording of an answer by a language model (an OpenAI-compatible server: llama.cpp, Ollama).

The model is given only the facts the catalogue answer rests on, and what it writes is used only if
it passes two checks: every number in it is one the facts state (``grounding``), and the claims
checker finds nothing in it. Otherwise, or when it returns nothing usable, the catalogue's own words
are said: the model can make an answer sound natural, never make it say more.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import replace
from urllib.parse import urlsplit

from studio.commerce.answer import Answer
from studio.commerce.grounding import unsupported_numbers
from studio.compliance import Checker
from studio.errors import InputError, NetworkError, one_line, printable
from studio.translation import tr

MAX_REPLY_BYTES = 256 * 1024
MAX_ANSWER_CHARS = 400
_INSTRUCTIONS = {
    "en": (
        "You are the host of a live shopping stream. Answer the viewer's question in one or two short, "
        "friendly sentences in English, using only the facts given. Do not add any number, claim, "
        "comparison or detail that the facts do not state. If the facts do not answer it, repeat them."
    ),
    "zh": (
        "你是直播间的主播。只根据给出的商品资料，用一两句简短、亲切的中文回答观众的问题。"
        "不要添加资料里没有的任何数字、说法、比较或细节。资料回答不了时，就复述资料。"
    ),
}


def endpoint(url: str) -> str:
    """The chat-completions address for a server's base URL: ``http://127.0.0.1:8080`` becomes
    ``http://127.0.0.1:8080/v1/chat/completions``; a full address is used as it is."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            tr("--llm {url} is not an http(s) address.").format(url=url),
            tr("Give one like http://127.0.0.1:8080."),
        )
    path = parts.path.rstrip("/")
    if path.endswith("/chat/completions"):
        return url
    base = url.rstrip("/")
    return f"{base}/chat/completions" if path.endswith("/v1") else f"{base}/v1/chat/completions"


def ask_model(url: str, messages: list[dict[str, str]], model: str, timeout_s: float) -> str:
    """The model's reply text, or ``NetworkError`` in one line (unreachable, timed out, an HTTP error,
    a reply that is not an OpenAI-style chat completion)."""
    body = json.dumps({"model": model, "messages": messages, "temperature": 0, "max_tokens": 200}).encode()
    address = endpoint(url)
    request = urllib.request.Request(
        address, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    fix = tr("Check that the server is running, or leave out --llm to answer in the catalogue's words.")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            raw = response.read(MAX_REPLY_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise NetworkError(
            tr("the language model at {address} answered HTTP {code}.").format(
                address=address, code=exc.code
            ),
            fix,
        ) from None
    except TimeoutError:  # socket.timeout is TimeoutError
        raise NetworkError(
            tr("the language model at {address} did not answer within {seconds:g} s.").format(
                address=address, seconds=timeout_s
            ),
            fix,
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:  # not HTTP, cut short
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):  # a connection that timed out comes wrapped
            raise NetworkError(
                tr("the language model at {address} did not answer within {seconds:g} s.").format(
                    address=address, seconds=timeout_s
                ),
                fix,
            ) from None
        shown = one_line(reason) if isinstance(reason, BaseException) else " ".join(str(reason).split())
        raise NetworkError(
            tr("cannot reach the language model at {address}: {reason}.").format(
                address=address, reason=shown
            ),
            fix,
        ) from None
    if len(raw) > MAX_REPLY_BYTES:
        raise NetworkError(
            tr("the language model at {address} sent more than {size} KB.").format(
                address=address, size=MAX_REPLY_BYTES // 1024
            ),
            fix,
        )
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        raise NetworkError(
            tr("the reply from {address} is not an OpenAI-style chat completion.").format(address=address),
            fix,
        ) from None
    if not isinstance(content, str):
        raise NetworkError(tr("the reply from {address} has no text.").format(address=address), fix)
    return content


def phrase(
    answer: Answer,
    question: str,
    url: str,
    model: str = "local",
    timeout_s: float = 10.0,
    checker: Checker | None = None,
) -> tuple[Answer, str]:
    """``answer`` worded by the model at ``url``, and ``""``; or ``answer`` unchanged and why the
    model's words were not used. Only answered questions are sent: "I'll check" stays as it is."""
    if not answer.answered:
        return answer, tr("there is no fact to word")
    facts = "\n".join(f"- {fact}" for fact in answer.facts)
    messages = [
        {"role": "system", "content": _INSTRUCTIONS.get(answer.language, _INSTRUCTIONS["en"])},
        {"role": "user", "content": f"Facts:\n{facts}\n\nViewer's question: {question}"},
    ]
    text = " ".join(ask_model(url, messages, model, timeout_s).split())
    why = refusal(text, answer, checker)
    if why:
        return answer, why
    return replace(answer, text=text, phrasing="llm"), ""


def refusal(text: str, answer: Answer, checker: Checker | None = None) -> str:
    """Why the model's ``text`` cannot be said in place of ``answer``, or ``""`` when it can."""
    if not text:
        return tr("it was empty")
    if len(text) > MAX_ANSWER_CHARS:
        return tr("it was {count} characters long").format(count=len(text))
    invented = unsupported_numbers(text, answer.facts)
    if invented:
        return tr("it states {numbers}, which no fact states").format(
            numbers=", ".join(format(n, "f") for n in invented)
        )
    findings = (checker or Checker()).check(text)
    if findings:
        return tr("it makes a prohibited claim: {finding}").format(finding=printable(findings[0].describe()))
    return ""
