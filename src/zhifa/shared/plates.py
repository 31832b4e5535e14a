"""Licence plates: normalisation, GA 36-2018 format checks, Henan prefixes, OCR look-alikes.

Pure functions, no I/O. A vehicle's identity is (normalised plate, plate colour).

- Format: GA 36-2018 (rules.md §6.3). Ordinary plates have 7 characters (province, issuing-office
  letter, 5 serial characters, the last of which may be 挂/学/警/港/澳/领); new-energy plates have 8
  (small: 豫AD12345, large: 豫A12345D). Serial characters never contain I or O.
- Colour codes: toll/ETC national codes (rules.md §6.2; schemas.md names).
- OCR confusions: domain heuristics (rules.md §6.5, UNVERIFIED).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable

# --- provinces and letters ---------------------------------------------------------------------

PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
_PROVINCE_SET = frozenset(PROVINCES)

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# GA 36: serial characters are letters and digits without I and O
SERIAL_CHARS = frozenset(DIGITS + LETTERS.replace("I", "").replace("O", ""))
_DIGIT_SET = frozenset(DIGITS)
OFFICE_LETTERS_DEFAULT = frozenset(LETTERS.replace("I", "").replace("O", ""))

# Final characters of special ordinary plates: trailer, driving school, police, HK, Macau, consulate
SUFFIXES = "挂学警港澳领"

# Issuing-office letters known to be in use, per province (others fall back to the default set)
OFFICE_LETTERS: dict[str, frozenset[str]] = {
    "豫": frozenset("ABCDEFGHJKLMNPQRSUV"),
}

# NEV serial letters. D/F are the GA 36-2018 letters; the extended set is UNVERIFIED (rules.md §6.3)
# and kept configurable: assign a narrower string here to be strict.
NEV_BATTERY_LETTERS = "DABCE"
NEV_OTHER_LETTERS = "FGHJK"
NEV_LETTERS_STRICT = "DF"
NEV_LETTERS = NEV_BATTERY_LETTERS + NEV_OTHER_LETTERS

# --- colours -----------------------------------------------------------------------------------

PLATE_COLORS: dict[str, int] = {
    "blue": 0,
    "yellow": 1,
    "black": 2,
    "white": 3,
    "green": 4,  # gradient green, small new-energy
    "yellow_green": 5,  # yellow-green split, large new-energy
    "blue_white": 6,
}
COLOR_BY_CODE: dict[int, str] = {v: k for k, v in PLATE_COLORS.items()}
COLOR_LABELS_ZH: dict[str, str] = {
    "blue": "蓝色",
    "yellow": "黄色",
    "black": "黑色",
    "white": "白色",
    "green": "渐变绿色",
    "yellow_green": "黄绿双拼色",
    "blue_white": "蓝白渐变色",
}
COLOR_LABELS_EN: dict[str, str] = {
    "blue": "Blue",
    "yellow": "Yellow",
    "black": "Black",
    "white": "White",
    "green": "Gradient green (new energy)",
    "yellow_green": "Yellow-green (new energy)",
    "blue_white": "Blue-white gradient",
}
COLOR_LABELS: dict[str, tuple[str, str]] = {k: (zh, COLOR_LABELS_EN[k]) for k, zh in COLOR_LABELS_ZH.items()}
# the short form shown after a plate ("豫A12345 黄")
COLOR_SHORT_LABELS: dict[str, tuple[str, str]] = {
    "blue": ("蓝", "blue"),
    "yellow": ("黄", "yellow"),
    "black": ("黑", "black"),
    "white": ("白", "white"),
    "green": ("绿", "green"),
    "yellow_green": ("黄绿", "yellow-green"),
    "blue_white": ("蓝白", "blue-white"),
}
_COLOR_ALIASES: dict[str, str] = {
    **{k: k for k in PLATE_COLORS},
    **{str(v): k for k, v in PLATE_COLORS.items()},
    "11": "green",  # some systems use 11 for green
    "yellow-green": "yellow_green",
    "yellowgreen": "yellow_green",
    "blue-white": "blue_white",
    "蓝": "blue",
    "蓝色": "blue",
    "黄": "yellow",
    "黄色": "yellow",
    "黑": "black",
    "黑色": "black",
    "白": "white",
    "白色": "white",
    "绿": "green",
    "绿色": "green",
    "渐变绿": "green",
    "渐变绿色": "green",
    "黄绿": "yellow_green",
    "黄绿色": "yellow_green",
    "黄绿双拼": "yellow_green",
    "黄绿双拼色": "yellow_green",
    "蓝白": "blue_white",
    "蓝白渐变": "blue_white",
    "蓝白渐变色": "blue_white",
}
NEV_COLORS = frozenset({"green", "yellow_green"})


def color_name(value: object) -> str | None:
    """The schemas.md colour name for a name, national code or Chinese label; None if unknown."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return COLOR_BY_CODE.get(value) or ("green" if value == 11 else None)
    if isinstance(value, str):
        return _COLOR_ALIASES.get(value.strip().lower())
    return None


# --- Henan prefixes (rules.md §6.4) ------------------------------------------------------------

HENAN_PLATE_CITY: dict[str, str] = {
    "A": "410100",
    "V": "410100",  # 郑州, small non-NEV cars since 2020-09-16
    "B": "410200",
    "C": "410300",
    "D": "410400",
    "E": "410500",
    "F": "410600",
    "G": "410700",
    "H": "410800",
    "J": "410900",
    "K": "411000",
    "L": "411100",
    "M": "411200",
    "R": "411300",
    "N": "411400",
    "S": "411500",
    "P": "411600",
    "Q": "411700",
    "U": "419001",  # 济源
}


def city_of(plate: str) -> str | None:
    """unit_code of the Henan city that issued the plate ('豫A…' → '410100'); None outside Henan."""
    if len(plate) >= 2 and plate[0] == "豫":
        return HENAN_PLATE_CITY.get(plate[1])
    return None


def province_of(plate: str) -> str | None:
    return plate[0] if plate and plate[0] in _PROVINCE_SET else None


# --- normalisation -----------------------------------------------------------------------------

_REMOVE = " \t\r\n\u3000.·•・。-‐‑‒–—―_－"
_REMOVE_TABLE = {ord(c): None for c in _REMOVE}
_UPPER_TABLE = {ord(c): ord(c.upper()) for c in "abcdefghijklmnopqrstuvwxyz"}
_SERIAL_FIX = {ord("O"): ord("0"), ord("I"): ord("1")}


def _normalise_once(s: str) -> str:
    s = s.translate(_REMOVE_TABLE)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).translate(_REMOVE_TABLE)
    s = s.translate(_UPPER_TABLE)
    if len(s) > 2:
        # O and I never occur in serials: there they are misread 0 and 1; the office letter stays
        s = s[:2] + s[2:].translate(_SERIAL_FIX)
    return s


def normalise(text: str | None) -> str:
    """Canonical plate text: no spaces/dots/dashes, half-width, upper case, O→0 and I→1 in the serial."""
    if not text:
        return ""
    s = str(text)
    for _ in range(4):  # a fixed point, so that normalise(normalise(x)) == normalise(x)
        nxt = _normalise_once(s)
        if nxt == s:
            break
        s = nxt
    return s


# --- validation --------------------------------------------------------------------------------


def _plate_kind(plate: str) -> str | None:
    """'ordinary', 'nev_small', 'nev_large', 'embassy' or None (the format only, no colour)."""
    n = len(plate)
    if n == 7 and plate[0] == "使":
        return "embassy" if all(c in _DIGIT_SET for c in plate[1:]) else None
    if n not in (7, 8) or plate[0] not in _PROVINCE_SET:
        return None
    office = plate[1]
    if office not in OFFICE_LETTERS.get(plate[0], OFFICE_LETTERS_DEFAULT):
        return None
    serial = plate[2:]
    if n == 7:
        body = serial[:-1] if serial[-1] in SUFFIXES else serial
        return "ordinary" if all(c in SERIAL_CHARS for c in body) else None
    nev = NEV_LETTERS
    if serial[0] in nev and serial[1] in SERIAL_CHARS and all(c in _DIGIT_SET for c in serial[2:]):
        return "nev_small"
    if serial[5] in nev and all(c in _DIGIT_SET for c in serial[:5]):
        return "nev_large"
    return None


def _format_reason(plate: str) -> tuple[str, str] | None:
    n = len(plate)
    if plate[0] == "使":
        if n == 7 and all(c in _DIGIT_SET for c in plate[1:]):
            return None
        return "使馆号牌应为“使”加6位数字", "an embassy plate is 使 followed by 6 digits"
    if plate[0] not in _PROVINCE_SET:
        return (f"首字符“{plate[0]}”不是省、自治区、直辖市简称",
                f"the first character {plate[0]} is not the abbreviation of a province")
    if n not in (7, 8):
        return (f"号牌长度为{n}位，普通号牌应为7位，新能源号牌应为8位",
                f"the plate has {n} characters; an ordinary plate has 7, a new-energy plate 8")
    office = plate[1]
    allowed = OFFICE_LETTERS.get(plate[0], OFFICE_LETTERS_DEFAULT)
    if office not in allowed:
        return (f"第2位“{office}”不是{plate[0]}的发牌机关代号",
                f"the second character {office} is not an issuing-office letter of {plate[0]}")
    serial = plate[2:]
    if n == 7:
        body = serial[:-1] if serial[-1] in SUFFIXES else serial
        for c in body:
            if c in "IO":
                return "序号中不得含有字母I或O", "the serial may not contain the letters I or O"
            if c not in SERIAL_CHARS:
                return f"序号中含有无效字符“{c}”", f"the serial contains the invalid character {c}"
        return None
    if _plate_kind(plate) is None:
        if any(c in "IO" for c in serial):
            return "序号中不得含有字母I或O", "the serial may not contain the letters I or O"
        return ("新能源号牌序号格式不符（小型如豫AD12345，大型如豫A12345D）",
                "the serial does not fit a new-energy plate (small like 豫AD12345, large like 豫A12345D)")
    return None


def explain(plate: str, color: object = None) -> tuple[str, str] | None:
    """Why the plate (already normalised) is not a valid GA 36 plate of that colour, in Chinese and
    English; None if valid. `color` may be a schemas.md name, a national code or None (format only).
    Never raises."""
    if not isinstance(plate, str):
        return "号牌不是文本", "the plate is not text"
    if not plate:
        return "号牌为空", "the plate is empty"
    col: str | None = None
    if color is not None and color != "":
        col = color_name(color)
        if col is None:
            return f"未知的号牌颜色“{color}”", f"unknown plate colour {color}"
    reason = _format_reason(plate)
    if reason or col is None:
        return reason
    zh, en = COLOR_LABELS_ZH[col], COLOR_LABELS_EN[col].lower()
    if plate[0] == "使":
        return None if col == "black" else (f"使馆号牌应为黑色，不是{zh}", f"an embassy plate is black, not {en}")
    if len(plate) == 8:
        if col not in NEV_COLORS:
            return (f"8位号牌应为渐变绿色或黄绿双拼色（新能源），不是{zh}",
                    f"an 8-character plate is gradient green or yellow-green (new energy), not {en}")
        return None
    if col in NEV_COLORS:
        return f"{zh}号牌（新能源）应为8位", f"a {en} plate has 8 characters"
    last = plate[-1]
    if last in "挂学" and col != "yellow":
        return f"“{last}”字号牌应为黄色，不是{zh}", f"a plate ending in {last} is yellow, not {en}"
    if last == "警" and col != "white":
        return f"警用号牌应为白色，不是{zh}", f"a police plate is white, not {en}"
    if last in "港澳领" and col != "black":
        return f"“{last}”字号牌应为黑色，不是{zh}", f"a plate ending in {last} is black, not {en}"
    return None


def validate(plate: str, color: object = None) -> str | None:
    """Why the plate (already normalised) is not a valid GA 36 plate of that colour (Chinese); None if
    valid. See `explain` for the English text too. Never raises."""
    why = explain(plate, color)
    return why[0] if why else None


def is_valid(plate: str, color: object = None) -> bool:
    return validate(plate, color) is None


def is_nev(plate: str) -> bool:
    return _plate_kind(plate) in ("nev_small", "nev_large")


# --- OCR confusions (rules.md §6.5) ------------------------------------------------------------

# Each class: characters an OCR reader confuses with each other. The first one represents the class.
CONFUSIONS: tuple[str, ...] = (
    "0DQO",  # O never occurs in a serial
    "8B",
    "1I7T",  # I never occurs in a serial
    "2Z",
    "5S",
    "6G",
    "4A",
    "川州",
    "鲁晋",
    "闽宁",
)
# Cost of reading one member of a class as another (used by `similarity`); O and I are cheap
# because they can only be misreads.
CONFUSION_COST = 0.3
IMPOSSIBLE_CHAR_COST = 0.05

_CLASS_OF: dict[str, str] = {c: cls for cls in CONFUSIONS for c in cls}
_CANON_TABLE = str.maketrans({c: cls[0] for cls in CONFUSIONS for c in cls[1:]})


def canonical_key(plate: str) -> str:
    """A key shared by all plates that differ only by confusable characters (blocking key)."""
    return plate.translate(_CANON_TABLE)


def confusable(a: str, b: str) -> bool:
    """The two characters are the same or in one confusion class."""
    return a == b or (a in _CLASS_OF and _CLASS_OF[a] == _CLASS_OF.get(b))


def lookalikes(plate: str, color: object = None, max_subs: int = 2) -> list[str]:
    """Other valid plates the reading could be, by up to `max_subs` confusable substitutions.

    Candidates must pass the format (position 2 a letter valid for the province, NEV positions, …)
    and, when given, the colour. Ordered by number of substitutions, then text. Excludes `plate`.
    """
    options = [(i, [c for c in _CLASS_OF[ch] if c != ch]) for i, ch in enumerate(plate) if ch in _CLASS_OF]
    seen: set[str] = {plate}
    out: list[str] = []
    chars = list(plate)
    for k in range(1, max(0, max_subs) + 1):
        level: list[str] = []
        for combo in itertools.combinations(options, k):
            idx = [i for i, _ in combo]
            for repl in itertools.product(*(alts for _, alts in combo)):
                cand = chars.copy()
                for i, c in zip(idx, repl, strict=True):
                    cand[i] = c
                s = "".join(cand)
                if s in seen:
                    continue
                seen.add(s)
                if is_valid(s, color):
                    level.append(s)
        out.extend(sorted(level))
    return out


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if confusable(a, b):
        return IMPOSSIBLE_CHAR_COST if (a in "IO" or b in "IO") else CONFUSION_COST
    return 1.0


def similarity(a: str, b: str) -> float:
    """Confidence in [0, 1] that two readings are the same plate (1.0 identical, 0.0 unrelated).

    A weighted edit distance: a confusable substitution costs CONFUSION_COST, any other edit 1.
    An empty reading matches nothing.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    n, m = len(a), len(b)
    if n == m:
        cost = sum(_sub_cost(x, y) for x, y in zip(a, b, strict=True))
    else:
        prev = [float(j) for j in range(m + 1)]
        for i in range(1, n + 1):
            cur = [float(i)] + [0.0] * m
            for j in range(1, m + 1):
                cur[j] = min(prev[j] + 1.0, cur[j - 1] + 1.0, prev[j - 1] + _sub_cost(a[i - 1], b[j - 1]))
            prev = cur
        cost = prev[m]
    return max(0.0, 1.0 - cost / max(n, m))


def best_matches(reading: str, candidates: Iterable[str], threshold: float = 0.9) -> list[tuple[str, float]]:
    """Candidates at least `threshold` similar to the reading, best first."""
    scored = [(c, similarity(reading, c)) for c in candidates]
    return sorted((x for x in scored if x[1] >= threshold), key=lambda x: (-x[1], x[0]))
