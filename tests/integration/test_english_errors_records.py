"""Refusals of record ingest carry an English text next to the Chinese message (unchanged).

Ingest runs from the CLI (which prints the Chinese message) and has no page, so these tests read the
error's `text("en")`, what an English page or the API's `detail_en` would show."""

from __future__ import annotations

import pytest

from tests.integration.test_ingest import HEADER, ingest, rows, sites, write_csv  # noqa: F401 - `sites` is a fixture
from zhifa.shared.errors import ValidationFailed


def _refusal(container, path, **kw) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as e:
        ingest(container, path, **kw)
    return e.value


def test_wrong_columns_named_in_english(sites, tmp_path):  # noqa: F811
    header = [h if h != "media" else "medium" for h in HEADER]
    err = _refusal(sites, write_csv(tmp_path / "wrong.csv", header, rows(2)))
    assert "缺少列 media" in err.message and "多出列 medium" in err.message  # Chinese as before
    assert err.text("zh") == err.message
    en = err.text("en")
    assert en.startswith("File wrong.csv: the columns match no table; the closest is table gantry_pass")
    assert "missing columns media" in en and "extra columns medium" in en
    err = _refusal(sites, write_csv(tmp_path / "g.csv", HEADER, rows(1)), table="toll_txn")
    assert err.text("en").startswith("File g.csv: table toll_txn, missing columns")
    err = _refusal(sites, write_csv(tmp_path / "g.csv", HEADER, rows(1)), table="nope")
    assert err.text("en").startswith("Unknown table nope (choose from: ")


def test_malformed_files_named_in_english(sites, tmp_path):  # noqa: F811
    f = write_csv(tmp_path / "enc.csv", HEADER, rows(3))
    with f.open("ab") as out:
        out.write("x1,G1,2022-03-01T08:00:00+08:00,苏E12345,blue,1,2,1,obu\r\n".encode("gbk"))
    err = _refusal(sites, f)
    assert "第 4 行数据" in err.message
    assert err.text("en").startswith("File enc.csv: data row 4 (line 5 of the file), column plate is not UTF-8")
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(HEADER) + "\n" + ",".join([*rows(1)[0], "extra"]) + "\n", encoding="utf-8")
    err = _refusal(sites, wide)
    assert "第 1 行数据有 10 个字段" in err.message
    assert err.text("en") == ("File wide.csv: data row 1 has 10 fields, more than the 9 columns of the header "
                              "(the extra fields come after media)")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    assert _refusal(sites, empty, fmt="jsonl").text("en") == "File empty.jsonl: the file is empty"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"record_id": "r1"}\n[1, 2]\n', encoding="utf-8")
    assert _refusal(sites, bad, fmt="jsonl").text("en") == "File bad.jsonl: line 2 is not a JSON object"
    assert _refusal(sites, tmp_path / "missing.csv").text("en").endswith("missing.csv does not exist")
