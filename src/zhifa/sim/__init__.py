"""Synthetic province: registries, a record lake and the ground truth of planted violations.

`simulate()` (zhifa.sim.engine) writes under `out_dir`:
- `registries/*.csv` — vehicles, enterprises, drivers, passenger_whitelist, oversize_permits, watchlist,
  in exactly the schemas.md columns; times as ISO 8601 strings with +08:00;
  `oversize_permits.route` is a JSON list of site ids; whitelist routes are toll-station site ids.
- `records/<table>/<YYYY-MM-DD>.parquet` — gantry_pass, toll_txn, wim, static_weigh, gps_point in
  exactly the schemas.md columns; times are timezone-aware `Datetime("us", "Asia/Shanghai")`, whole
  seconds; a file holds the records whose event falls on that day, ordered by arrival at the centre
  (event time + feed lag), so records are late and out of order. No arrival column is written.
- `truth.parquet` and `truth.csv` — `kind, plate, plate_color, start, end, detail (JSON)`.

`zhifa.sim.score.score()` matches a detector's leads against the truth (import it from the module:
the package attribute `score` is that module).
"""

from __future__ import annotations

from typing import Any

__all__ = ["simulate", "SimConfig", "SimReport"]


def __getattr__(name: str) -> Any:  # lazy: the CLI imports this package without numpy/polars work
    if name == "simulate":
        from zhifa.sim.engine import simulate
        return simulate
    if name in ("SimConfig", "SimReport"):
        from zhifa.sim import model
        return getattr(model, name)
    raise AttributeError(name)
