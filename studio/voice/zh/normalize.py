"""Chinese sales text as a host reads it aloud: prices, percentages, dates, times, units, codes.

Runs before the pinyin step, so every digit and symbol a live-commerce script uses becomes
Chinese characters (Latin words stay for the English reader). Rules, in order:

- prices: ¥89.90 / 89.9元 -> 八十九块九, ¥89.99 -> 八十九块九毛九, ¥0.5 -> 五毛, $19.99 -> 十九点九九美元;
- discounts: 8.5折 -> 八五折; percentages: 50% -> 百分之五十;
- dates and times: 2026年 -> 二零二六年, 618大促 -> 六一八大促, 2026-12-07 -> 二零二六年十二月七日,
  20:30 -> 二十点半;
- ranges: 3-5天 -> 三到五天; units after a number: 50ml -> 五十毫升, 128GB -> 一百二十八G;
- phone numbers and long codes digit by digit (1 as 幺); a number glued to Latin letters
  (SPF50+, iPhone15) as a cardinal, 4+ digits (RTX4090) digit by digit; "+" after it as 加,
  "+++" as 三个加;
- counts: 2 before a measure word, a unit or 百/千/万 is 两 (2瓶 -> 两瓶, 2L -> 两升, 200 -> 两百),
  but not after 第 (第2件 -> 第二件).
"""

from __future__ import annotations

import re
import unicodedata

import cn2an

_DIGITS = "零一二三四五六七八九"
# Measure words a host counts goods with: 2 before them is 两.
_MEASURES = "个瓶件支盒包套片块斤袋罐只双条台款份箱桶杯颗粒张把支根位次天周年"
_UNITS = {
    "ml": "毫升",
    "mL": "毫升",
    "ML": "毫升",
    "l": "升",
    "L": "升",
    "kg": "公斤",
    "KG": "公斤",
    "g": "克",
    "mg": "毫克",
    "cm": "厘米",
    "mm": "毫米",
    "m": "米",
    "km": "公里",
    "mAh": "毫安时",
    "mah": "毫安时",
    "W": "瓦",
    "w": "瓦",
    "Hz": "赫兹",
    "GB": "G",
    "G": "G",
    "TB": "T",
    "寸": "寸",
    "℃": "摄氏度",
    "°C": "摄氏度",
}
_MAX_CARDINAL_DIGITS = 16  # cn2an's limit
_UNIT_PATTERN = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))


def digits(number: str, yao: bool = False) -> str:
    """Each digit on its own: "2026" -> 二零二六; with ``yao`` 1 is 幺 (phone numbers)."""
    out = "".join(_DIGITS[int(d)] for d in number if d.isdigit())
    return out.replace("一", "幺") if yao else out


def cardinal(number: str) -> str:
    """A whole or decimal number as a cardinal: "89.5" -> 八十九点五, "200" -> 两百."""
    whole, _, fraction = number.partition(".")
    whole = whole.lstrip("0") or "0"
    # Beyond what cn2an reads (and what a host would say as a cardinal): digit by digit.
    too_long = len(whole) > _MAX_CARDINAL_DIGITS
    spoken = digits(whole) if too_long else _liang(str(cn2an.an2cn(whole, "low")))
    if fraction:
        spoken += "点" + digits(fraction)
    return spoken


def _liang(spoken: str) -> str:
    # 二百 / 二千 / 二万 at the start are read 两百 / 两千 / 两万.
    return re.sub(r"^二(?=[百千万亿])", "两", spoken)


def price(whole: str, fraction: str) -> str:
    """Yuan as a host says them: 89.90 -> 八十九块九, 89.99 -> 八十九块九毛九, 89.05 -> 八十九块零五分."""
    fraction = (fraction + "00")[:2]
    jiao, fen = int(fraction[0]), int(fraction[1])
    yuan = int(whole or "0")
    spoken = f"{_count(cardinal(str(yuan)))}块" if yuan else ""
    if jiao and fen:
        return f"{spoken}{_DIGITS[jiao]}毛{_DIGITS[fen]}" if spoken else f"{_DIGITS[jiao]}毛{_DIGITS[fen]}分"
    if jiao:
        return f"{spoken}{_DIGITS[jiao]}" if spoken else f"{_DIGITS[jiao]}毛"
    if fen:
        return f"{spoken}零{_DIGITS[fen]}分" if spoken else f"{_DIGITS[fen]}分"
    return spoken or "零元"


def _count(spoken: str) -> str:
    return "两" if spoken == "二" else spoken


def _price(match: re.Match[str]) -> str:
    return price(match.group("whole"), match.group("fraction") or "")


def _dollars(match: re.Match[str]) -> str:
    return cardinal(match.group(1)) + "美元"


def _percent(match: re.Match[str]) -> str:
    return "百分之" + cardinal(match.group(1))


def _discount(match: re.Match[str]) -> str:
    return digits(match.group(1)) + "折"


def _full_date(match: re.Match[str]) -> str:
    year, month, day = match.groups()
    return f"{digits(year)}年{cardinal(month)}月{cardinal(day)}日"


def _time(match: re.Match[str]) -> str:
    hour, minute = match.group(1), match.group(2)
    spoken = cardinal(hour) + "点"
    if minute == "30":
        return spoken + "半"
    if int(minute):
        return spoken + ("零" if minute.startswith("0") else "") + cardinal(minute) + "分"
    return spoken


def _unit(match: re.Match[str]) -> str:
    return _count(cardinal(match.group(1))) + _UNITS[match.group(2)]


def _range(match: re.Match[str]) -> str:
    return f"{cardinal(match.group(1))}到{cardinal(match.group(2))}"


def _glued_code(match: re.Match[str]) -> str:
    letters, number = match.group(1), match.group(2)
    spoken = digits(number) if len(number) >= 4 else cardinal(number)
    return f"{letters} {spoken}"


def _counted(match: re.Match[str]) -> str:
    return _count(cardinal(match.group(1))) + match.group(2)


_RULES: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(r"[¥￥]\s*(?P<whole>\d+)(?:\.(?P<fraction>\d{1,2}))?(?:\s*元)?"), _price),
    (re.compile(r"(?<![\d.])(?P<whole>\d+)(?:\.(?P<fraction>\d{1,2}))?\s*(?:元|块钱|块)"), _price),
    (re.compile(r"(?:US)?\$\s*(\d+(?:\.\d+)?)"), _dollars),
    (re.compile(r"(\d+(?:\.\d+)?)\s*[%％]"), _percent),
    (re.compile(r"(\d\.\d)\s*折"), _discount),
    (re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"), _full_date),
    (re.compile(r"(\d{4})(?=\s*年)"), lambda m: digits(m.group(1))),
    # Shopping festivals are said digit by digit: 618大促 -> 六一八大促 (but 双11 is 双十一).
    (re.compile(r"(?<![\d双])(\d{3,4})(?=\s*(?:大促|购物节|狂欢节|活动|节))"), lambda m: digits(m.group(1))),
    (re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)"), _time),
    (re.compile(r"(?<!\d)(1\d{10})(?!\d)"), lambda m: digits(m.group(1), yao=True)),
    (re.compile(r"(?<![\d.])(\d{5,})(?![\d.])"), lambda m: digits(m.group(1), yao=True)),
    (re.compile(r"(\d+(?:\.\d+)?)\s*[-~～—到至]\s*(\d+(?:\.\d+)?)(?=\s*[\u4e00-\u9fff])"), _range),
    (re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT_PATTERN})(?![A-Za-z])"), _unit),
    (re.compile(r"([A-Za-z]+)[\s-]?(\d+)"), _glued_code),
    (re.compile(r"(?<=\S)\+{2,}"), lambda m: cardinal(str(len(m.group(0)))) + "个加"),  # PA+++: 三个加
    (re.compile(r"(?<=\S)\+"), lambda m: "加"),
    (re.compile(rf"(?<![第\d])(\d+)([{_MEASURES}])"), _counted),  # 第2件 is an ordinal: 第二件
    (re.compile(r"(\d+(?:\.\d+)?)"), lambda m: cardinal(m.group(1))),
)


def normalize(text: str) -> str:
    """``text`` with every number and symbol a host would say spelled in Chinese characters."""
    # Full-width letters and digits (ＡＢＣ１２３) as ASCII; thousands separators (1,299) dropped.
    text = unicodedata.normalize("NFKC", text).replace("×", "乘")
    text = re.sub(r"\d", lambda m: str(unicodedata.digit(m.group())), text)  # ٣ (any script's 3) -> 3
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)  # type: ignore[call-overload]
    return text
