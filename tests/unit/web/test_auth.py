from zhifa.shared.ratelimit import FailureWindow as LoginRateLimiter
from zhifa.web.auth import hash_password, verify_password
from zhifa.web.deps import safe_next


def test_password_hash_is_argon2_and_verifies_only_the_right_password():
    h = hash_password("correct horse")
    assert h.startswith("$argon2")
    assert verify_password(h, "correct horse")
    assert not verify_password(h, "wrong horse")
    assert not verify_password("not-a-hash", "correct horse")


def test_rate_limiter_blocks_after_limit_and_forgets_after_window():
    rl = LoginRateLimiter(limit=3, window_s=60)
    for i in range(3):
        assert not rl.blocked("ip:1", now=float(i))
        rl.failed("ip:1", now=float(i))
    assert rl.blocked("ip:1", now=10.0)
    assert not rl.blocked("ip:2", now=10.0)
    assert not rl.blocked("ip:1", now=100.0)


def test_rate_limiter_success_clears_and_memory_is_bounded():
    rl = LoginRateLimiter(limit=2, window_s=60, max_keys=10)
    rl.failed("user:a", now=0.0)
    rl.succeeded("user:a")
    assert not rl.blocked("user:a", now=1.0)
    for i in range(50):
        rl.failed(f"ip:{i}", now=1.0)
    assert len(rl._fails) <= 10  # noqa: SLF001


def test_only_local_paths_are_followed_after_login():
    assert safe_next("/cases?page=2") == "/cases?page=2"
    assert safe_next("//evil.example") == "/"
    assert safe_next("https://evil.example") == "/"
    assert safe_next("/\\evil") == "/"
    assert safe_next(None) == "/"
