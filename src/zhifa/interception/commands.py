"""`zhifa watch …` (the watch-list) and `zhifa intercept …` (live matcher, replay, figures, sweep)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()

CLI_ACTOR_NAME = "cli"


def _actor():
    from zhifa.shared.access import Actor, Role

    return Actor(username=CLI_ACTOR_NAME, role=Role.ADMIN, unit_code="410000", unit_codes=None, display_name="命令行")


def _read_frame(path: Path):
    import polars as pl

    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    if path.suffix in (".jsonl", ".ndjson"):
        return pl.read_ndjson(path)
    return pl.read_csv(path, infer_schema_length=0)


def register(app: typer.Typer) -> None:
    watch_app = typer.Typer(help="布控 watch-list: add, list, import.", no_args_is_help=True)
    intercept_app = typer.Typer(help="拦截 live matcher, replay, figures, overdue sweep.", no_args_is_help=True)
    app.add_typer(watch_app, name="watch")
    app.add_typer(intercept_app, name="intercept")

    @watch_app.command("add")
    def watch_add(
        plate: str = typer.Option(..., "--plate"),
        color: str = typer.Option(..., "--color", help="blue | yellow | green | …"),
        reason: str = typer.Option(..., "--reason"),
        days: int = typer.Option(30, "--days", help="validity in days from now (mandatory expiry)"),
        legal_basis: str = typer.Option("", "--legal-basis"),
        case_no: str = typer.Option("", "--case-no"),
        priority: int = typer.Option(2, "--priority"),
        unit: str = typer.Option("410000", "--unit"),
        source: str = typer.Option("manual", "--source"),
    ) -> None:
        """布控一辆车。"""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.interception import service
        from zhifa.shared.errors import ZhifaError

        c = build()
        now = c.clock.now()
        try:
            with unit_of_work(c.db) as s:
                e = service.add_watch_entry(s, actor=_actor(), plate=plate, plate_color=color, reason=reason,
                                            source=source, valid_to=now + timedelta(days=days), now=now,
                                            legal_basis=legal_basis, case_no=case_no, priority=priority,
                                            issued_by_unit=unit)
        except ZhifaError as ex:
            console.print(f"[red]{ex.message}[/red]")
            raise typer.Exit(1) from ex
        console.print(f"[green]已布控[/green] {e.plate} ({e.plate_color}) 编号 {e.entry_id}，至 {e.valid_to:%Y-%m-%d %H:%M}")

    @watch_app.command("list")
    def watch_list(
        plate: str = typer.Option("", "--plate"),
        status: str = typer.Option("active", "--status", help="active | expired | revoked | all"),
        limit: int = typer.Option(50, "--limit"),
    ) -> None:
        """查询布控名单（每次查询记入审计）。"""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.interception import service

        c = build()
        with unit_of_work(c.db) as s:
            rows, total = service.search_watchlist(s, actor=_actor(), now=c.clock.now(), plate=plate or None,
                                                   status=None if status == "all" else status, limit=limit)
            table = Table(title=f"布控名单（共 {total} 条）")
            for col in ("编号", "车牌", "颜色", "事由", "来源", "单位", "优先级", "截止", "状态"):
                table.add_column(col)
            for e in rows:
                table.add_row(e.entry_id, e.plate, e.plate_color, e.reason[:30], e.source, e.issued_by_unit,
                              str(e.priority), f"{e.valid_to:%Y-%m-%d %H:%M}", service.effective_status(e, c.clock.now()))
        console.print(table)

    @watch_app.command("import")
    def watch_import(
        path: Path = typer.Argument(..., help="CSV / Parquet / JSONL in the schemas.md watchlist columns"),
        partial: bool = typer.Option(False, "--partial", help="import the good rows even if some are bad"),
    ) -> None:
        """导入布控名单；有错误行时默认不导入任何一行。"""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.interception import service
        from zhifa.shared.errors import ZhifaError

        if not path.exists():
            console.print(f"[red]文件不存在[/red]: {path}")
            raise typer.Exit(2)
        c = build()
        try:
            with unit_of_work(c.db) as s:
                rep = service.import_watchlist(s, actor=_actor(), frame=_read_frame(path), now=c.clock.now(),
                                               partial=partial)
        except ZhifaError as ex:
            console.print(f"[red]{ex.message}[/red]")
            raise typer.Exit(1) from ex
        for n, msg in rep.errors[:200]:
            console.print(f"[yellow]第 {n} 行[/yellow]: {msg}")
        if rep.errors and not partial:
            console.print(f"[red]{len(rep.errors)} 行有误，未导入任何记录[/red]（可加 --partial 仅导入正确行）")
            raise typer.Exit(1)
        console.print(f"[green]已导入 {rep.imported} 条[/green]，错误 {len(rep.errors)} 行")

    def _live(c, stream, event_clock=None, sweep_every=None):
        from zhifa.interception.live import LiveMatcher, load_graph

        return LiveMatcher(c.db, stream, c.clock, graph=load_graph(c.db), event_clock=event_clock,
                           sweep_every=sweep_every)

    @intercept_app.command("run")
    def intercept_run(
        consumer: str = typer.Option("matcher-1", "--consumer"),
        group: str = typer.Option("matcher", "--group"),
        stream_key: str = typer.Option("zhifa:records", "--stream-key"),
        until_idle: bool = typer.Option(False, "--until-idle", help="exit when the stream has nothing more"),
        sweep_every: int = typer.Option(60, "--sweep-every", help="escalate overdue tasks every N seconds (0: never)"),
    ) -> None:
        """运行实时比对（Redis Streams 消费组；处理结果提交后才确认）。"""
        from zhifa.bootstrap import build
        from zhifa.interception.stream import RedisRecordStream

        c = build()
        stream = RedisRecordStream(c.settings.redis_url, stream=stream_key, group=group, consumer=consumer)
        live = _live(c, stream, sweep_every=timedelta(seconds=sweep_every) if sweep_every > 0 else None)
        rep = live.run(count=20, block_ms=1000, idle_exit=until_idle, retry_errors=True)
        console.print(json.dumps({"records": rep.records, "hits": rep.hits, "duplicate_hits": rep.duplicate_hits,
                                  "tasks": rep.tasks_created, "malformed": rep.malformed,
                                  "dead_messages": rep.dead_messages, "errors": rep.errors}, ensure_ascii=False))

    @intercept_app.command("publish")
    def intercept_publish(
        records: Path = typer.Option(..., "--records", help="folder or file of gantry_pass / toll_txn rows"),
        stream_key: str = typer.Option("zhifa:records", "--stream-key"),
        batch: int = typer.Option(500, "--batch", help="rows per stream entry"),
    ) -> None:
        """把记录文件按事件时间顺序写入 Redis 流（批量、流水线）。"""
        from zhifa.bootstrap import build
        from zhifa.interception.stream import FileReplay, RedisRecordStream

        c = build()
        rows = FileReplay(records).rows
        stream = RedisRecordStream(c.settings.redis_url, stream=stream_key, batch_size=batch)
        t = time.perf_counter()
        n = stream.publish(rows)
        console.print(f"已写入 {len(rows):,} 条记录（{n:,} 个流条目），{len(rows) / max(time.perf_counter() - t, 1e-9):,.0f} 条/秒")

    @intercept_app.command("replay")
    def intercept_replay(
        records: Path = typer.Option(..., "--records", help="folder or file of gantry_pass / toll_txn rows"),
        speed: float = typer.Option(60.0, "--speed", help="event time / wall time; 0 = as fast as possible"),
    ) -> None:
        """按事件时间回放一天的模拟记录，经实时比对生成命中与拦截任务。"""
        from zhifa.bootstrap import build
        from zhifa.interception.matcher import _ts
        from zhifa.interception.stream import FileReplay, event_time_of

        c = build()
        replay = FileReplay(records, speed=speed)
        if not replay.rows:
            console.print(f"[red]没有可回放的记录[/red]: {records}")
            raise typer.Exit(2)
        cursor: dict[str, datetime] = {"t": _ts(event_time_of(replay.rows[0]), "t")}

        def event_now() -> datetime:  # "now" during a replay follows the replayed day
            return cursor.get("t") or c.clock.now()

        live = _live(c, replay, event_clock=event_now)
        live.refresh(force=True)
        t = time.perf_counter()
        while not replay.exhausted:
            msgs = replay.read(count=20, block_ms=200)
            if msgs and msgs[-1].rows:
                try:
                    cursor["t"] = _ts(event_time_of(msgs[-1].rows[-1]), "t")
                except ValueError:
                    pass
            if msgs:
                live.process(msgs)
        el = time.perf_counter() - t
        rep = live.report
        console.print(f"回放 {rep.records:,} 条记录，{el:.1f} 秒（{rep.records / max(el, 1e-9):,.0f} 条/秒）："
                      f"命中 {rep.hits}（已有命中 {rep.duplicate_hits}），新建任务 {rep.tasks_created}，"
                      f"撤回 {rep.tasks_withdrawn}，格式错误 {rep.malformed}")

    @intercept_app.command("figures")
    def intercept_figures(
        by: str = typer.Option("city", "--by", help="station | team | city"),
        days: int = typer.Option(365, "--days", help="period: the last N days"),
        since: str = typer.Option("", "--since", help="first day YYYY-MM-DD (instead of --days)"),
        until: str = typer.Option("", "--until", help="last day YYYY-MM-DD (default: today)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """布控数、命中、任务、查获、命中查获率、响应时间、超时反馈（按站、队、市）。"""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.interception import service
        from zhifa.shared.clock import TZ

        c = build()
        now = c.clock.now()
        try:
            end = datetime.fromisoformat(until).replace(tzinfo=TZ) + timedelta(days=1) if until else now + timedelta(days=1)
            start = datetime.fromisoformat(since).replace(tzinfo=TZ) if since else end - timedelta(days=days + 1)
        except ValueError as ex:
            console.print("[red]日期格式应为 YYYY-MM-DD[/red]")
            raise typer.Exit(2) from ex
        with unit_of_work(c.db) as s:
            figs = service.figures(s, actor=_actor(), by=by, since=start, until=end, now=min(now, end))
        rows = [f.as_dict() for f in figs]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        table = Table(title=f"布控拦截统计（按{ {'station': '收费站', 'team': '队伍', 'city': '市'}.get(by, by) }）")
        cols = [("name", "名称"), ("watch_count", "布控"), ("hits", "命中"), ("tasks", "任务"), ("intercepted", "查获"),
                ("hit_to_intercept_rate", "命中查获率"), ("median_response_min", "响应中位(分)"), ("late", "超时")]
        if by == "city":
            cols[1:1] = [("watch_issued", "本市布控"), ("hit_records", "本市布控命中记录")]
        for _, label in cols:
            table.add_column(label)
        for r in rows:
            table.add_row(*["" if r[k] is None else str(r[k]) for k, _ in cols])
        console.print(table)
        total_late = sum(r["late"] for r in rows)
        if not any(r["tasks"] for r in rows):
            console.print("期间内没有拦截任务")
        else:
            console.print("无一延迟" if total_late == 0 else f"[yellow]超时反馈 {total_late} 件[/yellow]")

    @intercept_app.command("score")
    def intercept_score(
        truth: Path = typer.Option(..., "--truth", help="truth.parquet or truth.csv written by `zhifa simulate`"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """按模拟真值评估布控比对：召回率、误报率、出口预测准确率。"""
        import polars as pl

        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.interception.score import score_intercept

        if not truth.exists():
            console.print(f"[red]真值文件不存在[/red]: {truth}")
            raise typer.Exit(2)
        t = pl.read_parquet(truth) if truth.suffix == ".parquet" else pl.read_csv(truth, infer_schema_length=0)
        c = build()
        with unit_of_work(c.db) as s:
            sc = score_intercept(s, t)
        if as_json:
            typer.echo(json.dumps(sc.as_dict(), ensure_ascii=False))
            return
        d = sc.as_dict()
        console.print(f"布控车辆召回率 {d['recall']}（{sc.found}/{sc.truth}），误报率 {d['false_hit_rate']}"
                      f"（{sc.false_hits}/{sc.hits}），出口预测准确率 {d['exit_prediction_rate']}（{sc.exits_predicted}/{sc.exits}）")

    @intercept_app.command("sweep")
    def intercept_sweep() -> None:
        """升级超时未反馈的拦截任务。"""
        from zhifa.bootstrap import build
        from zhifa.db.session import unit_of_work
        from zhifa.interception import service

        c = build()
        with unit_of_work(c.db) as s:
            esc = service.sweep_overdue(s, now=c.clock.now())
        console.print(f"升级 {len(esc)} 件超时任务")
