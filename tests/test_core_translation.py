"""The CLI and the core speak Chinese: every sentence they say to a person goes through
``studio.translation.tr`` and has a zh_CN translation (issue 14, part 7).

Two checks fail on an untranslated sentence: the catalogue check (every ``tr("...")`` in the
core has a translation with the same ``{fields}``), and a scan of the code for sentences
that reach a person without ``tr`` (errors, prints, ``--help``)."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio import translation
from studio.cli.main import main
from studio.translation import CHINESE, ENGLISH, choose_language, settings_language, tr, use_language
from tools import i18n_catalogue

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[A-Za-z]{2,}")
HAN = re.compile(r"[\u4e00-\u9fff]")
# Calls whose text reaches a person: printed, raised to the CLI's one line, or shown by --help.
PRINTERS = {"print", "print_safely"}
HELP_CALLS = {
    "add_argument",
    "add_parser",
    "ArgumentParser",
    "add_argument_group",
    "add_mutually_exclusive_group",
}
HELP_KEYWORDS = {"help", "description", "epilog", "title"}
KEEP_MARK = "# untranslated:"  # with the reason: a line a person is not meant to read


def test_every_sentence_has_a_translation_with_the_same_fields() -> None:
    wanted = i18n_catalogue.extract([i18n_catalogue.CORE], with_argparse=True)
    assert len(wanted) > 50  # the scan found the core's sentences at all
    assert i18n_catalogue.problems(i18n_catalogue.merged(), wanted) == []


def test_the_compiled_catalogue_matches_the_po_files(tmp_path: Path) -> None:
    committed = gettext.GNUTranslations(i18n_catalogue.MO.open("rb"))
    fresh = tmp_path / "fresh.mo"
    with fresh.open("wb") as handle:
        i18n_catalogue.write_mo(handle, i18n_catalogue.merged(), use_fuzzy=False)
    rebuilt = gettext.GNUTranslations(fresh.open("rb"))
    stale = "run: python tools/i18n_catalogue.py compile"
    assert committed._catalog == rebuilt._catalog, stale  # type: ignore[attr-defined]


def _user_errors(files: list[Path]) -> set[str]:
    """StudioError and every class derived from it in the core."""
    bases: dict[str, set[str]] = {}
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                bases[node.name] = names
    found = {"StudioError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


CORE_TRANSLATORS = frozenset({"tr", "tr_n", "mark"})
# The app's: self.tr, QCoreApplication.translate, and studio.ui.i18n's translated / core_words.
APP_TRANSLATORS = frozenset({"tr", "translate", "translated", "core_words"})


def _bare_sentence(node: ast.AST, translators: frozenset[str] = CORE_TRANSLATORS) -> bool:
    """Does ``node`` hold English words that are not inside a translating call?"""
    if isinstance(node, ast.Call) and _callee(node) in translators:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(WORD.search(node.value))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _bare_sentence(node.func.value, translators)  # "...".format(): the template is the sentence
    if isinstance(node, (ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.IfExp, ast.BoolOp)):
        return any(_bare_sentence(child, translators) for child in ast.iter_child_nodes(node))
    return False


def _untranslated(file: Path, errors: set[str]) -> Iterator[str]:
    source = file.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        if name in {"tr", "tr_n", "mark"}:
            texts = node.args[: 2 if name == "tr_n" else 1]
            # A literal is looked up as written; tr(CONSTANT) translates a sentence marked with
            # mark() where it was defined. A text built at run time has no entry to find.
            literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts)
            named = name == "tr" and all(
                isinstance(a, (ast.Name, ast.Attribute, ast.Subscript)) for a in texts
            )
            if not (literal or (named and name != "mark")):
                where = f"{file.relative_to(ROOT)}:{node.lineno}"
                yield f"{where}: {name}() needs a plain string (fields via .format)"
            continue
        checked: list[ast.AST] = []
        if name in errors or name in PRINTERS or name == "error":
            checked = [*node.args, *(k.value for k in node.keywords if k.arg in {"problem", "hint"})]
            if name in PRINTERS or name == "error":
                checked = node.args[:1]
        elif name in HELP_CALLS:
            checked = [k.value for k in node.keywords if k.arg in HELP_KEYWORDS]
            if name == "add_argument_group":
                checked += node.args[:2]
        end = getattr(node, "end_lineno", node.lineno) or node.lineno
        if KEEP_MARK in "\n".join(lines[node.lineno - 1 : end]):
            continue
        for arg in checked:
            if _bare_sentence(arg):
                yield f"{file.relative_to(ROOT)}:{node.lineno}: {name}(...) says English without tr()"
                break


def test_no_sentence_reaches_a_person_without_tr() -> None:
    files = list(i18n_catalogue.core_files([i18n_catalogue.CORE]))
    errors = _user_errors(files)
    assert {"InputError", "FaceError", "NetworkError"} <= errors
    found = [line for file in files for line in _untranslated(file, errors)]
    assert found == [], "\n".join(found)


def test_the_apps_errors_are_translated_where_they_are_raised() -> None:
    """The app's own errors (shown in its dialogs) go through Qt's catalogue, not gettext."""
    core = list(i18n_catalogue.core_files([i18n_catalogue.CORE]))
    errors = _user_errors(core) | {"OutputError"}
    found = []
    for file in sorted((ROOT / "studio" / "ui").glob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and _callee(node) in errors
                and any(_bare_sentence(arg, APP_TRANSLATORS) for arg in node.args)
            ):
                found.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "raised in English: " + ", ".join(found)


def test_the_scan_finds_what_it_must(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "raise InputError(f'{path} is missing.', 'Pick another file.')\n"
        "raise InputError(tr('{path} is missing.').format(path=path), tr('Pick another file.'))\n"
        "print('Rendering finished')\n"
        "print(tr('Rendering finished'))\n"
        "print(f'{done}/{total}')\n"
        "parser.add_argument('--x', help='The size')\n"
        "tr(f'{x} frames')\n"
        "tr(CONSTANT)\n"
        "mark(CONSTANT)\n"
        "print('debug dump')  # untranslated: a developer's trace\n"
    )
    sample_root = ROOT / "studio" / "_scan_sample.py"
    sample_root.write_text(sample.read_text())
    try:
        found = list(_untranslated(sample_root, {"InputError"}))
    finally:
        sample_root.unlink()
    assert [line.split(":")[1] for line in found] == ["1", "3", "6", "7", "9"]


def test_the_cli_speaks_chinese(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = str(tmp_path / "x.mp4")
    monkeypatch.setenv("STUDIO_LANGUAGE", CHINESE)
    assert main(["render", "--avatar", "no-such-avatar", "--text", "Hi", "--out", out]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and HAN.search(error), error
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "用法" in shown and HAN.search(shown.splitlines()[2]), shown[:400]
    with pytest.raises(SystemExit):
        main(["render", "--avatar", "a", "--text", "Hi", "--out", out, "--no-such-option"])
    assert "无法识别的参数" in capsys.readouterr().err


def test_the_cli_speaks_english_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = str(tmp_path / "x.mp4")
    monkeypatch.setenv("STUDIO_LANGUAGE", ENGLISH)
    assert main(["render", "--avatar", "no-such-avatar", "--text", "Hi", "--out", out]) == 2
    error = capsys.readouterr().err
    assert error.startswith("studio: error:") and not HAN.search(error)


def test_the_language_follows_the_setting_then_the_pin_then_the_locale() -> None:
    assert choose_language("zh_CN", {"STUDIO_LANGUAGE": "en", "LANG": "en_US.UTF-8"}) == CHINESE
    assert choose_language("", {"STUDIO_LANGUAGE": "zh_CN", "LANG": "en_US.UTF-8"}) == CHINESE
    assert choose_language("", {"LANG": "zh_TW.UTF-8"}) == CHINESE
    assert choose_language("", {"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}) == CHINESE
    assert (
        choose_language("", {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == ENGLISH
    )  # LC_ALL wins, as in gettext
    assert choose_language("", {"STUDIO_LANGUAGE": "fr"}) == ENGLISH
    assert choose_language("", {}) == ENGLISH


def test_the_settings_language_is_read_without_side_effects(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    assert settings_language(settings) == ""
    settings.write_text('{"version": 3, "language": "zh_CN"}')
    assert settings_language(settings) == CHINESE
    settings.write_text("{not json")
    assert settings_language(settings) == "" and settings.read_text() == "{not json"  # left as it was
    settings.write_text('{"language": "klingon"}')
    assert settings_language(settings) == ""


def test_a_missing_catalogue_leaves_english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert use_language(CHINESE) == CHINESE and HAN.search(
        tr("studio: interrupted; nothing was left half-written.")
    )
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path)
    assert use_language(CHINESE) == ENGLISH
    assert tr("studio: interrupted; nothing was left half-written.").startswith("studio: interrupted")


def test_a_chinese_problem_and_its_advice_run_together() -> None:
    from studio.errors import InputError  # noqa: PLC0415

    assert str(InputError("无法打开视频。", "请换一个文件。")) == "无法打开视频。请换一个文件。"
    assert str(InputError("the video cannot be opened.", "Use another file.")) == (
        "the video cannot be opened. Use another file."
    )


def test_the_default_ai_label_is_in_the_language_studio_speaks() -> None:
    """Viewers of a Chinese show read a Chinese label; a label the user wrote is kept as written."""
    from dataclasses import replace  # noqa: PLC0415

    from studio.cli.main import build_parser  # noqa: PLC0415
    from studio.settings.app_settings import AppSettings  # noqa: PLC0415
    from studio.ui.live_plan import label_settings  # noqa: PLC0415

    def cli_label() -> str:
        args = build_parser().parse_args(["render", "--avatar", "demo", "--text", "Hi", "--out", "x.mp4"])
        return str(args.label_text)

    assert cli_label() == "AI-generated" and label_settings(AppSettings()).text == "AI-generated"
    use_language(CHINESE)
    assert cli_label() == "AI生成" and label_settings(AppSettings()).text == "AI生成"
    assert label_settings(replace(AppSettings(), label_text="数字人主播")).text == "数字人主播"
