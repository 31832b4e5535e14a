from zhifa.web.i18n import add_messages, pick, translate


def test_chinese_is_the_default_and_english_is_available():
    assert translate("auth.login") == "登录"
    assert translate("auth.login", "en") == "Sign in"


def test_slices_add_their_own_messages_and_missing_english_falls_back_to_chinese():
    add_messages({"test.only_zh": "仅中文", "test.both": "两种"}, {"test.both": "Both"})
    assert translate("test.only_zh", "en") == "仅中文"
    assert translate("test.both", "en") == "Both"


def test_unknown_key_shows_the_key_and_bad_parameters_do_not_crash():
    assert translate("no.such.key") == "no.such.key"
    add_messages({"test.param": "共 {n} 条"}, {"test.param": "{n} rows"})
    assert translate("test.param", "en", n=3) == "3 rows"
    assert translate("test.param", "zh", m=3) == "共 {n} 条"


def test_pick_chooses_by_language():
    assert pick("en", "案件", "Cases") == "Cases"
    assert pick("zh", "案件", "Cases") == "案件"
    assert pick("en", "案件", "") == "案件"
