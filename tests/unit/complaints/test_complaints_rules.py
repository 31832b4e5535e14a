from hypothesis import given
from hypothesis import strategies as st

from zhifa.complaints import rules
from zhifa.shared.ratelimit import SlidingWindowLimiter


def test_markup_and_script_urls_are_stripped_from_public_text():
    s = rules.clean_text('<script>alert(1)</script>限高架<b>太低</b> javascript:void(0)', limit=100)
    assert "<" not in s and "javascript:" not in s.lower() and "限高架太低" in s


@given(st.text())
def test_cleaning_never_raises_and_respects_the_bound(text):
    out = rules.clean_text(text, limit=50)
    assert len(out) <= 50


def test_image_kind_reads_the_bytes_not_the_name():
    assert rules.image_kind(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert rules.image_kind(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert rules.image_kind(b"<svg onload=alert(1)>") is None
    assert rules.image_kind(b"GIF89a") is None


def test_duplicates_are_the_nearest_open_report_of_the_same_category_within_200_m():
    reps = [
        rules.OpenReport("far", "barrier", 113.70, 34.70, 1),
        rules.OpenReport("near", "barrier", 113.6501, 34.7501, 1),
        rules.OpenReport("other-kind", "overload", 113.6500, 34.7500, 1),
        rules.OpenReport("old", "barrier", 113.6500, 34.7500, 45),
    ]
    assert rules.find_duplicate("barrier", 113.6500, 34.7500, reps) == "near"
    assert rules.find_duplicate("road_environment", 113.6500, 34.7500, reps) is None


def test_phone_numbers_are_mainland_mobiles():
    assert rules.valid_phone("13800138000")
    assert not rules.valid_phone("1380013800")
    assert not rules.valid_phone("23800138000")


def test_rate_limiter_allows_the_limit_per_window_and_stays_bounded():
    lim = SlidingWindowLimiter(limit=3, window_s=60, max_keys=2)
    assert [lim.allow("a", t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert lim.allow("a", 61)  # the first hit left the window
    lim.allow("b", 0)
    lim.allow("c", 0)
    assert len(lim._hits) == 2
