"""`zhifa roads …`: sections, archives, remote-sensing change detection, synthetic pairs and their score.

`zhifa roads score --pairs DIR` is the change-detection score; `score_changes_cli` is the same for a
`zhifa score changes --pairs DIR` entry in the root `score` command.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from zhifa.bootstrap import build
from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM

console = Console()


def score_changes_cli(pairs: Path, as_json: bool = False, min_iou: float = 0.5) -> None:
    """Precision and recall of the change detector on a directory written by `zhifa roads generate-pairs`."""
    from zhifa.roads import changes

    if not pairs.is_dir() or not list(pairs.glob("*_A.tif")):
        console.print(f"[red]目录中没有影像对（*_A.tif / *_B.tif）[/red]: {pairs}")
        raise typer.Exit(2)
    rep = changes.score_pairs(pairs, min_iou=min_iou)
    if as_json:
        typer.echo(json.dumps(rep, ensure_ascii=False))
        return
    t = Table("影像对", "全部新增 P", "全部新增 R", "控制区内 P", "控制区内 R", title=f"变化检测评分（IoU ≥ {min_iou}）")
    for p in rep["pairs"]:
        t.add_row(p["pair"], f"{p['all']['precision']:.3f}", f"{p['all']['recall']:.3f}",
                  f"{p['in_zone']['precision']:.3f}", f"{p['in_zone']['recall']:.3f}")
    console.print(t)
    a, z = rep["all"], rep["in_zone"]
    console.print(f"全部新增建筑: precision {a['precision']:.3f}, recall {a['recall']:.3f} "
                  f"(tp {a['tp']}, fp {a['fp']}, fn {a['fn']})")
    console.print(f"建筑控制区内: precision {z['precision']:.3f}, recall {z['recall']:.3f} "
                  f"(tp {z['tp']}, fp {z['fp']}, fn {z['fn']})")


def register(app: typer.Typer) -> None:
    roads = typer.Typer(help="路政: road sections, archives, remote-sensing change detection.", no_args_is_help=True)
    app.add_typer(roads, name="roads")

    @roads.command("list")
    def list_cmd() -> None:
        """Road sections with their class and building-control zone width."""
        from zhifa.roads import service
        from zhifa.roads.model import ROAD_CLASS_ZH, RoadClass
        from zhifa.roads.ruledata import control_zone_rules_on

        c = build()
        rules = control_zone_rules_on(c.clock.now().date())
        with unit_of_work(c.db) as s:
            rows = service.list_roads(s, actor=SYSTEM)
            t = Table("id", "路线", "路段", "等级", "单位", "里程 km", "控制区 m", title=f"路段 {len(rows)} 条")
            for r in rows:
                t.add_row(r.road_id, r.code, r.section, ROAD_CLASS_ZH[RoadClass(r.road_class)], r.unit_code,
                          f"{r.length_m / 1000:.1f}", str(rules.widths_m[r.road_class]))
        console.print(t)

    @roads.command("seed-demo")
    def seed_demo() -> None:
        """Add the demo road sections near real cities (idempotent)."""
        from zhifa.roads import service

        c = build()
        with unit_of_work(c.db) as s:
            n = service.seed_demo_roads(s, actor=SYSTEM, now=c.clock.now())
        console.print(f"added {n} demo road sections")

    @roads.command("archive")
    def archive_cmd(road_id: str = typer.Argument(...), year: int = typer.Argument(...),
                    out: Path = typer.Option(None, help="PDF path (default archive_<road>_<year>.pdf)")) -> None:
        """Write the electronic archives (监督检查日志档案, 路域环境调查档案) of a section and year as PDF."""
        from zhifa.roads import archive, service
        from zhifa.shared.errors import ZhifaError
        from zhifa.web.auth import unit_tree

        c = build()
        try:
            with unit_of_work(c.db) as s:
                data = service.archive(s, actor=SYSTEM, road_id=road_id, year=year)
                name = unit_tree(c.db, s).names.get(data["road"].unit_code, data["road"].unit_code)
                pdf = archive.render_pdf(data, unit_name=name, now=c.clock.now(),
                                         store=service.store_for(c.settings.data_dir))
        except ZhifaError as exc:
            console.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(1) from exc
        path = out or Path(f"archive_{road_id}_{year}.pdf")
        path.write_bytes(pdf)
        console.print(f"[green]written[/green] {path} ({len(pdf):,} bytes)")

    @roads.command("detect-changes")
    def detect_changes(before: Path = typer.Argument(..., help="earlier GeoTIFF"),
                       after: Path = typer.Argument(..., help="later GeoTIFF, co-registered")) -> None:
        """Find new structures; those in a road's control zone become patrol tasks and leads with image chips."""
        from zhifa.roads import service
        from zhifa.shared.errors import ZhifaError

        c = build()
        try:
            with unit_of_work(c.db) as s:
                rep = service.run_detection(s, actor=SYSTEM, path_a=before, path_b=after, now=c.clock.now(),
                                            store=service.store_for(c.settings.data_dir))
        except ZhifaError as exc:
            console.print(f"[red]拒绝处理[/red]: {exc.message}")
            raise typer.Exit(2) from exc
        console.print(f"新增建筑 {rep.detections} 处，其中在公路用地/建筑控制区内 {rep.in_zone} 处；"
                      f"新建核查任务 {rep.tasks_created}（重复 {rep.duplicates}），线索 {rep.leads_created}；{rep.seconds} 秒")

    @roads.command("generate-pairs")
    def generate_pairs(out: Path = typer.Option(Path("pairs"), "--out", help="output directory"),
                       n: int = typer.Option(3, min=1, max=50), size: int = typer.Option(512, min=128, max=20000),
                       seed: int = typer.Option(1), noise: float = typer.Option(6.0, help="sensor noise σ"),
                       with_roads: bool = typer.Option(False, "--with-roads",
                                                       help="also store each pair's roads as sections (unit 410184)")) -> None:
        """Synthetic before/after image pairs with the true polygons of the planted new buildings."""
        from zhifa.roads import synth

        rows = synth.generate_pairs(out, n=n, size=size, seed=seed, noise_sigma=noise)
        for r in rows:
            console.print(f"{r['name']}: {r['size']}×{r['size']} px, new {r['new']} (in zone {r['new_in_zone']}), "
                          f"existing {r['existing']}, roads {r['roads']}")
        if with_roads:
            _store_pair_roads(out)

    @roads.command("score")
    def score_cmd(pairs: Path = typer.Option(..., "--pairs", help="directory from generate-pairs"),
                  as_json: bool = typer.Option(False, "--json"), min_iou: float = typer.Option(0.5)) -> None:
        """Precision and recall of detected polygons at IoU ≥ 0.5 (same as `zhifa score changes`)."""
        score_changes_cli(pairs, as_json, min_iou)


def _store_pair_roads(out: Path) -> None:
    from zhifa.roads import changes, geo, service

    c = build()
    with unit_of_work(c.db) as s:
        n = 0
        for f in sorted(out.glob("*_roads.geojson")):
            epsg, roads = changes.load_pair_roads(f)
            for rid, cls, line, half in roads:
                road_id = f"SYN-{f.name.split('_')[0]}-{rid}"
                if s.get(service.Road, road_id) is not None:
                    continue
                ll = geo.to_lonlat(line, epsg)
                service.create_road(s, actor=SYSTEM, code=f"S{rid[1:]:0>3}", name="合成影像路段",
                                    section=f"{f.name.split('_')[0]} {rid}", road_class=cls, unit_code="410184",
                                    geometry=geo.dump_geojson(ll), now=c.clock.now(), road_land_half_m=half,
                                    road_id=road_id)
                n += 1
    console.print(f"stored {n} road sections of the pairs ({date.today()})")
