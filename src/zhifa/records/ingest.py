"""Reading feed files (CSV with a header, Parquet, JSON lines) into frames, refusing malformed ones.

A malformed file is refused as a whole with `ValidationFailed` naming the file, the row and the
column: wrong or missing columns, a non-UTF-8 encoding, a truncated or garbled body. Row-level
problems (a bad plate, an unreadable number) are not malformed files: those rows are quarantined.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from zhifa.records.schemas import TableSpec, closest, identify
from zhifa.records.validate import ROW_NO
from zhifa.shared.errors import ValidationFailed

CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


@dataclass
class RawFile:
    path: Path
    fmt: str  # csv | parquet | jsonl
    frame: pl.DataFrame  # the file's columns plus ROW_NO (1 = first data row)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    with path.open("rb") as f:
        head = f.read(4)
    if head == b"PAR1":
        return "parquet"
    if head.lstrip()[:1] == b"{":
        return "jsonl"
    return "csv"


def _fail(path: Path, text: str, en: str) -> ValidationFailed:
    return ValidationFailed(f"文件 {path.name}：{text}", en=f"File {path.name}: {en}")


def _check_utf8(path: Path, data: bytes, header: list[str] | None = None) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        line_start = data.rfind(b"\n", 0, e.start) + 1
        col_idx = data[line_start : e.start].count(b",")
        if header is None:
            first = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
            header = next(csv.reader([first]), [])
        col = header[col_idx] if 0 <= col_idx < len(header) else f"第{col_idx + 1}列"
        where = "表头" if line == 1 else f"第 {line - 1} 行数据（文件第 {line} 行）"
        where_en = "the header" if line == 1 else f"data row {line - 1} (line {line} of the file)"
        col_en = header[col_idx] if 0 <= col_idx < len(header) else f"column {col_idx + 1}"
        raise _fail(
            path,
            f"{where}、列 {col} 不是 UTF-8 编码（第 {e.start} 字节），可能是 GBK 或 Latin-1；请转换为 UTF-8 后重新导入",
            f"{where_en}, column {col_en} is not UTF-8 (byte {e.start}), perhaps GBK or Latin-1; "
            "convert the file to UTF-8 and import it again",
        ) from None


def _locate_csv_problem(path: Path, text: str, header: list[str]) -> tuple[str, str] | None:
    """The first row whose field count differs from the header, in Chinese and English (error path
    only); None when no row can be named."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        next(reader)
        for i, row in enumerate(reader, start=1):
            if len(row) > len(header):
                return (f"第 {i} 行数据有 {len(row)} 个字段，多于表头的 {len(header)} 列（多出的列在 {header[-1]} 之后）",
                        f"data row {i} has {len(row)} fields, more than the {len(header)} columns of the header "
                        f"(the extra fields come after {header[-1]})")
            if 0 < len(row) < len(header):
                return (f"第 {i} 行数据只有 {len(row)} 个字段，缺少列 {header[len(row)]}",
                        f"data row {i} has only {len(row)} fields; column {header[len(row)]} is missing")
    except csv.Error as e:
        return f"第 {reader.line_num - 1} 行数据格式错误（{e}）", f"data row {reader.line_num - 1} is malformed ({e})"
    return None


def read_csv(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data[:4096].strip() and not data.strip():
        raise _fail(path, "文件为空，没有表头", "the file is empty, with no header")
    end = data.find(b"\n")
    first_bytes = data if end < 0 else data[:end]
    _check_utf8(path, first_bytes, header=[])
    header = [h.strip() for h in next(csv.reader([first_bytes.decode("utf-8").rstrip("\r")]), [])]
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    except Exception as e:  # polars reports byte offsets; name the row and column instead
        _check_utf8(path, data, header)  # polars refuses invalid UTF-8: say where it is
        text = data.decode("utf-8")
        found = _locate_csv_problem(path, text, header)
        if found is None:
            detail = str(e).splitlines()[0][:160]
            found = f"内容无法解析（{detail}）", f"the content cannot be parsed ({detail})"
        raise _fail(path, *found) from None
    frame = frame.rename({c: c.strip() for c in frame.columns})
    # a file cut off in the middle of its last line: fewer fields than the header
    if frame.height and not data.endswith((b"\n", b"\r")):
        last_line = data.rsplit(b"\n", 1)[-1].decode("utf-8")
        try:
            fields = next(csv.reader([last_line]), [])
        except csv.Error:
            fields = []
        if len(fields) < len(header):
            missing = header[len(fields)] if len(fields) < len(header) else ""
            raise _fail(path, f"第 {frame.height} 行数据不完整（文件可能被截断），缺少列 {missing}",
                        f"data row {frame.height} is incomplete (the file may be cut off); column {missing} is missing")
    return frame


def read_parquet(path: Path) -> pl.DataFrame:
    try:
        return _nested_to_json(pl.read_parquet(path))
    except Exception as e:
        detail = str(e).splitlines()[0][:200]
        raise _fail(
            path, f"不是完整的 Parquet 文件（可能被截断或损坏）：{detail}",
            f"not a complete Parquet file (it may be cut off or damaged): {detail}",
        ) from None


def _nested_to_json(frame: pl.DataFrame) -> pl.DataFrame:
    """List/struct cells (e.g. axle_weights_kg written as a JSON array) back to JSON text."""
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List | pl.Struct | pl.Array):
            exprs.append(
                pl.struct(pl.col(name).alias("v")).struct.json_encode().str.slice(5).str.head(-1).alias(name)
            )
    return frame.with_columns(exprs) if exprs else frame


def read_jsonl(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise _fail(path, "文件为空", "the file is empty")
    _check_utf8(path, data, header=[])
    try:
        frame = pl.read_ndjson(io.BytesIO(data), infer_schema_length=None)
        return _nested_to_json(frame)
    except Exception:
        pass
    # error path: parse line by line to name the bad line (and tolerate mixed cell types)
    rows: list[dict[str, str | None]] = []
    for i, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise _fail(
                path, f"第 {i} 行不是有效的 JSON（第 {e.colno} 个字符：{e.msg}），文件可能被截断或损坏",
                f"line {i} is not valid JSON (character {e.colno}: {e.msg}); the file may be cut off or damaged",
            ) from None
        if not isinstance(obj, dict):
            raise _fail(path, f"第 {i} 行不是 JSON 对象", f"line {i} is not a JSON object")
        rows.append(
            {
                k: (None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                for k, v in obj.items()
            }
        )
    cols: list[str] = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    return pl.DataFrame({c: [r.get(c) for r in rows] for c in cols}, schema={c: pl.String for c in cols})


def read_file(path: Path, fmt: str | None = None) -> RawFile:
    path = Path(path)
    if not path.is_file():
        raise ValidationFailed(f"文件 {path} 不存在", en=f"File {path} does not exist")
    fmt = fmt or detect_format(path)
    reader = {"csv": read_csv, "parquet": read_parquet, "jsonl": read_jsonl}.get(fmt)
    if reader is None:
        raise _fail(path, f"不支持的格式 {fmt}（支持 CSV、Parquet、JSON lines）",
                    f"unsupported format {fmt} (CSV, Parquet and JSON lines are supported)")
    frame = reader(path)
    if len(set(frame.columns)) != len(frame.columns):
        raise _fail(path, "表头有重复的列名", "the header repeats a column name")
    if ROW_NO in frame.columns:
        frame = frame.drop(ROW_NO)
    return RawFile(path=path, fmt=fmt, frame=frame.with_row_index(ROW_NO, offset=1))


def match_spec(raw: RawFile, specs: list[TableSpec], table: str | None = None) -> TableSpec:
    """The table of the file: by its exact columns, or checked against `table` when given."""
    cols = [c for c in raw.frame.columns if c != ROW_NO]
    if table is not None:
        chosen = [s for s in specs if s.name == table]
        if not chosen:
            names = ", ".join(s.name for s in specs)
            raise ValidationFailed(f"未知的表 {table}（可选：{names}）", en=f"Unknown table {table} (choose from: {names})")
        spec = identify(cols, chosen)
        if spec is None:
            _, missing, extra = closest(cols, chosen)
            raise _fail(raw.path, _columns_message(table, missing, extra), _columns_message_en(table, missing, extra))
        return spec
    spec = identify(cols, specs)
    if spec is None:
        best, missing, extra = closest(cols, specs)
        raise _fail(raw.path, "列与任何表都不一致；最接近 " + _columns_message(best.name, missing, extra),
                    "the columns match no table; the closest is " + _columns_message_en(best.name, missing, extra))
    return spec


def _columns_message(table: str, missing: set[str], extra: set[str]) -> str:
    parts = [f"表 {table}"]
    if missing:
        parts.append("缺少列 " + "、".join(sorted(missing)))
    if extra:
        parts.append("多出列 " + "、".join(sorted(extra)))
    return "，".join(parts)


def _columns_message_en(table: str, missing: set[str], extra: set[str]) -> str:
    parts = [f"table {table}"]
    if missing:
        parts.append("missing columns " + ", ".join(sorted(missing)))
    if extra:
        parts.append("extra columns " + ", ".join(sorted(extra)))
    return ", ".join(parts)
