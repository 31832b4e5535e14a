"""CLI: `zhifa init` (schema + reference data) and `zhifa sites list`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from zhifa.bootstrap import build
from zhifa.db.session import unit_of_work
from zhifa.org import service
from zhifa.shared.access import SYSTEM

console = Console()

SITE_KINDS_ZH = {
    "gantry": "ETC门架",
    "toll_station": "收费站",
    "wim": "非现场执法点",
    "check_station": "超限检测站",
    "video": "视频监控点",
    "service_area": "服务区",
}


def register(app: typer.Typer) -> None:
    sites_app = typer.Typer(help="站点（门架、收费站、非现场执法点、检测站）", no_args_is_help=True)
    app.add_typer(sites_app, name="sites")

    @app.command("init")
    def init(
        skip_migrations: bool = typer.Option(False, "--skip-migrations", help="不运行数据库迁移"),
    ) -> None:
        """升级数据库并加载省级参考数据（单位、队伍、站点、路网）。"""
        c = build()
        if not skip_migrations:
            from zhifa.db.migrate import upgrade

            upgrade(c.settings.sqlalchemy_url)
        with unit_of_work(c.db) as s:
            counts = service.load_reference(s, actor=SYSTEM, now=c.clock.now())
        table = Table(title="参考数据")
        for col in ("表", "总数", "新增", "更新"):
            table.add_column(col, justify="right" if col != "表" else "left")
        for name in ("units", "teams", "sites", "road_segments"):
            table.add_row(
                name, str(counts[name]), str(counts[f"{name}_created"]), str(counts[f"{name}_updated"])
            )
        console.print(table)

    @sites_app.command("list")
    def sites_list(
        kind: str | None = typer.Option(
            None, "--kind", help="gantry|toll_station|wim|check_station|video|service_area"
        ),
        unit: str | None = typer.Option(None, "--unit", help="单位代码，如 410181"),
        limit: int = typer.Option(200, "--limit", help="最多显示行数"),
    ) -> None:
        """列出站点。"""
        if kind and kind not in SITE_KINDS_ZH:
            console.print(f"[red]未知的站点类型：{kind}[/red]（可选：{', '.join(SITE_KINDS_ZH)}）")
            raise typer.Exit(2)
        c = build()
        with unit_of_work(c.db) as s:
            rows = service.list_sites(s, SYSTEM, kind=kind, unit_code=unit)
        table = Table(title=f"站点（共 {len(rows)} 个）")
        for col in ("site_id", "类型", "名称", "单位", "道路", "桩号"):
            table.add_column(col, no_wrap=True)
        for r in rows[:limit]:
            km = "" if r["km_post"] is None else f"K{r['km_post']:.1f}"
            table.add_row(
                r["site_id"],
                SITE_KINDS_ZH.get(r["kind"], r["kind"]),
                r["name"],
                r["unit_code"],
                r["road"] or "",
                km,
            )
        console.print(table)
        if len(rows) > limit:
            console.print(f"……另有 {len(rows) - limit} 个未显示（--limit 调整）")
