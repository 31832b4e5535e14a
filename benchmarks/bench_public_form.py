"""The public complaint door under load: 200 concurrent users on loopback against one uvicorn process.

Each simulated user alternates submitting a report through the Open311 endpoint and reading a report's
status. The server runs in its own process (SQLite, embedded defaults); the per-address rate limit is
raised for the run because every simulated user shares 127.0.0.1. Bounded by request count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def _prepare(data_dir: Path) -> None:
    from tests.support import seed_units
    from zhifa.bootstrap import build, create_schema
    from zhifa.config import Settings

    c = build(Settings(env="test", data_dir=data_dir, database_url=""))
    create_schema(c)
    seed_units(c)
    c.db.engine.dispose()


async def _user(client: httpx.AsyncClient, uid: int, n: int, lat: list[float], codes: list[str], stop: float,
                errors: list[str]) -> int:
    done = 0
    for i in range(n):
        if time.monotonic() > stop:
            break
        t0 = time.perf_counter()
        try:
            if i % 2 == 0 or not codes:
                r = await client.post("/open311/v2/requests.json", data={
                    "service_code": "road_environment", "lat": f"{34.70 + (uid % 50) * 0.01:.4f}",
                    "long": f"{113.50 + (i % 40) * 0.01:.4f}", "description": f"压测用户{uid}第{i}次：路面散落砂石"})
                if r.status_code == 200:
                    codes.append(r.json()[0]["service_request_id"])
            else:
                r = await client.get(f"/open311/v2/requests/{codes[(uid + i) % len(codes)]}.json")
        except httpx.TransportError as e:  # counted, not hidden: a refused or dropped connection is a failure
            errors.append(type(e).__name__)
            continue
        if r.status_code >= 500:
            raise RuntimeError(f"server error {r.status_code}: {r.text[:200]}")
        lat.append(time.perf_counter() - t0)
        done += 1
    return done


async def _load(base: str, users: int, per_user: int, seconds: float) -> tuple[int, float, list[float], list[str]]:
    lat: list[float] = []
    codes: list[str] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        t0 = time.monotonic()
        counts = await asyncio.gather(*[_user(client, u, per_user, lat, codes, t0 + seconds, errors)
                                        for u in range(users)])
        wall = time.monotonic() - t0
    return sum(counts), wall, lat, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--per-user", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        _prepare(data)
        port = 18000 + os.getpid() % 1000
        env = dict(os.environ, ZHIFA_DATA_DIR=str(data), ZHIFA_ENV="test",
                   ZHIFA_PUBLIC_RATE_LIMIT_PER_MINUTE="100000000", PYTHONPATH=str(ROOT))
        srv = subprocess.Popen([sys.executable, "-m", "uvicorn", "zhifa.web.asgi:app", "--host", "127.0.0.1",
                                "--port", str(port), "--log-level", "warning",
                                "--timeout-keep-alive", "30", "--backlog", "4096"], env=env, cwd=ROOT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start")
                time.sleep(0.2)
            n, wall, lat, errors = asyncio.run(_load(base, a.users, a.per_user, a.seconds))
        finally:
            srv.terminate()
            srv.wait(timeout=10)
    q = statistics.quantiles(lat, n=100)
    print(f"{a.users} concurrent users × up to {a.per_user} requests (half Open311 submissions, half status "
          f"reads), one uvicorn process, SQLite; load generator in a second process on the same 2 cores.")
    print()
    print("| answered | failed connections | wall s | throughput req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {n} | {len(errors)} | {wall:.1f} | {n / wall:.0f} | {q[49] * 1000:.0f} | {q[94] * 1000:.0f} | "
          f"{q[98] * 1000:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
