"""Command line: python -m dashboard <command>.

    demo        build and publish the demo snapshot
    snapshots   list snapshots, marking the live one
    rollback    make an earlier snapshot live again
    import      import real exports (tickets, facilities, communities, boundaries, the nine
                party-building tables) as a new snapshot
    brief       write the meeting brief (HTML or PPTX) of the live snapshot for given filters
    bench       performance figures: queries, page reruns, naive baseline, server RSS, load
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .store import snapshot


def _progress(fraction: float, text: str) -> None:
    print(f"[{fraction:4.0%}] {text}", flush=True)


def cmd_demo(args) -> int:
    from .store import bootstrap
    if args.if_empty:  # scripts/start.sh: a demo only into an empty data dir, never over real data
        if snapshot.published_ids(args.data_dir):
            try:
                snapshot.current(args.data_dir)
            except snapshot.SnapshotError as e:
                print(f"注意：{e}", file=sys.stderr)
            return 0
    sid = bootstrap.publish_demo(seed=args.seed, end=args.end, years=args.years, tickets=args.tickets,
                                    planted_effect=args.planted_effect, data_dir=args.data_dir, progress=_progress)
    print(sid)
    return 0


def cmd_snapshots(args) -> int:
    live = snapshot.current_id(args.data_dir)
    infos = snapshot.list_snapshots(args.data_dir)
    damaged = snapshot.damaged_manifests(args.data_dir)
    if not infos and not damaged:
        print("还没有快照：运行 python -m dashboard demo")
    for info in infos:
        mark = "*" if info.id == live else " "
        problems = snapshot.verify(info.id, args.data_dir)
        state = f"  损坏：{'; '.join(problems)}" if problems else ""
        print(f"{mark} {info.id}  source={info.source}  数据截至={info.data_as_of}  "
              f"tickets={info.row_counts.get('tickets', 0):,}  created={info.manifest['created_at']}{state}")
    for sid, reason in damaged.items():
        print(f"{'*' if sid == live else ' '} {sid}  损坏：{reason}")
    return 0


def cmd_rollback(args) -> int:
    try:
        info = snapshot.rollback(args.id, args.data_dir)
    except snapshot.SnapshotError as e:
        print(f"回滚失败：{e}", file=sys.stderr)
        return 1
    print(f"当前快照：{info.id}")
    return 0


def cmd_import(args) -> int:
    from .ingest import importer as ingest
    try:
        report = ingest.run_import(args.files, args.kind, args.crs, args.data_dir)
    except Exception as e:  # a defect, not bad input (that comes back in the report): still one line
        print(f"导入失败：内部错误（{type(e).__name__}），当前数据未改变。请把文件交给维护人员排查。", file=sys.stderr)
        return 1
    print(ingest.format_report(report))
    if not report.ok:
        print(f"导入失败：{report.error}", file=sys.stderr)
        return 1
    return 0


def cmd_bench(args) -> int:
    from .bench import report
    return report.main(args)


def _sizes(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def cmd_brief(args) -> int:
    if args.data_dir:  # the settings (dashboard.toml) come from the same data dir as the snapshot
        os.environ["DASHBOARD_DATA_DIR"] = str(args.data_dir)
    from .core import filters
    from .render import brief, brief_html, brief_pptx
    from .views.context import choices_for
    suffix = args.out.suffix.lower().lstrip(".")
    if suffix not in ("html", "pptx"):
        print("--out 须以 .html 或 .pptx 结尾", file=sys.stderr)
        return 2
    info = snapshot.current(args.data_dir)
    if info is None:
        print("还没有快照：运行 python -m dashboard demo", file=sys.stderr)
        return 1
    choices = choices_for(info)
    given = {"period": args.period, "from": args.date_from, "to": args.date_to, "street": args.street,
             "category": args.category, "sub": args.sub}
    parsed = filters.parse({k: v for k, v in given.items() if v}, choices)
    if parsed.notices:  # a brief for a meeting must not quietly fall back to other filters
        print("筛选参数有误，未生成汇报材料：\n" + "\n".join(parsed.notices), file=sys.stderr)
        return 2
    b = brief.build(info, choices, parsed.state)
    data = brief_html.to_html(b).encode("utf-8") if suffix == "html" else brief_pptx.to_pptx(b)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{args.out}（{b.stamp.line()}）")
    for i, s in enumerate(b.slides, 1):
        print(f"  {i}. {s.title}：{s.headline}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser (one subcommand per command)."""
    p = argparse.ArgumentParser(prog="python -m dashboard", description="西城基层治理看板 数据命令")
    p.add_argument("--data-dir", default=None, help="数据目录或 s3://存储桶/前缀（默认 data/ 或 $DASHBOARD_DATA_DIR）")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help="生成并发布演示数据快照")
    d.add_argument("--seed", type=int, default=2024)
    d.add_argument("--end", default=None, help="最后一个月 YYYY-MM（默认上一个完整月）")
    d.add_argument("--years", type=int, default=3)
    d.add_argument("--tickets", type=int, default=None, help="工单总量（默认按真实规模约27万/年）")
    d.add_argument("--planted-effect", type=float, default=None,
                   help="预设效果：完成事项后同类工单减少的比例（默认见 demo/data/effect.toml；0 为不预设）")
    d.add_argument("--if-empty", action="store_true", help="仅当数据目录中还没有任何快照时生成（start.sh 用）")
    d.set_defaults(func=cmd_demo)

    s = sub.add_parser("snapshots", help="列出快照（* 为当前）")
    s.set_defaults(func=cmd_snapshots)

    r = sub.add_parser("rollback", help="回滚到指定快照")
    r.add_argument("id")
    r.set_defaults(func=cmd_rollback)

    from .ingest.importer import KINDS
    i = sub.add_parser("import", help="导入真实数据（工单、设施、社区、街道边界、党建各表），校验后发布为新快照",
                       description="退出码：0 已发布新快照；1 导入被拒绝，未做任何改动；2 用法错误")
    i.add_argument("files", nargs="+", type=Path, metavar="FILE", help="CSV/XLSX（边界为 GeoJSON）")
    i.add_argument("--kind", required=True, choices=KINDS)
    i.add_argument("--crs", default="wgs84", choices=("wgs84", "gcj02"), help="文件中坐标的坐标系（默认 wgs84）")
    # SUPPRESS: without the option here, the --data-dir given before the command stays in force
    i.add_argument("--data-dir", default=argparse.SUPPRESS, help="数据目录或 s3://存储桶/前缀")
    i.set_defaults(func=cmd_import)

    br = sub.add_parser("brief", help="生成汇报材料（HTML 或 PPTX），筛选参数同看板链接",
                        description="退出码：0 已生成；1 没有快照；2 参数无法识别（不会改用默认筛选）")
    br.add_argument("--out", required=True, type=Path, metavar="FILE", help="输出文件：*.html 或 *.pptx")
    br.add_argument("--period", help="预设时间：month、prev_month、3m、12m（默认）、ytd、cycle")
    br.add_argument("--from", dest="date_from", help="起始 YYYY-MM-DD 或 YYYY-MM")
    br.add_argument("--to", dest="date_to", help="结束 YYYY-MM-DD 或 YYYY-MM（YYYY-MM 指该月月底）")
    br.add_argument("--street", action="append", help="街道代码或名称，可重复或用逗号分隔")
    br.add_argument("--category", action="append", help="一级类别，可重复")
    br.add_argument("--sub", action="append", help="二级类别，可重复")
    br.add_argument("--data-dir", default=argparse.SUPPRESS, help="数据目录或 s3://存储桶/前缀")
    br.set_defaults(func=cmd_brief)

    b = sub.add_parser("bench", help="性能基准：查询、页面重跑、朴素基线、服务器内存、并发（见 README 性能一节）")
    b.add_argument("--tickets", type=_sizes, default=[1_000_000, 10_000_000], help="工单规模，逗号分隔")
    b.add_argument("--runs", type=int, default=5, help="每项测量次数（取中位数与P95）")
    b.add_argument("--seed", type=int, default=2024)
    b.add_argument("--dir", type=Path, default=None,
                   help="演示快照的缓存目录（默认 $DASHBOARD_BENCH_DIR 或 /tmp/dashboard-bench）")
    b.add_argument("--rebuild", action="store_true", help="重新生成演示快照，不复用")
    b.add_argument("--concurrency-seconds", type=float, default=60, help="并发测试时长（0 跳过）")
    b.add_argument("--sessions", type=int, default=50, help="并发会话数（目标：50 个会话 60 秒）")
    b.add_argument("--think-ms", type=float, default=3000, help="每个会话两次操作之间的停顿（0到此值均匀随机，毫秒）")
    b.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                   help="并发测试的看板进程数，会话平均分配（同 deploy/run-replicas.sh 每核一个进程；默认本机核数）")
    b.add_argument("--pages", type=lambda s: s.split(","), default=None, help="只测这些页面（逗号分隔；默认全部）")
    b.add_argument("--no-apptest", dest="apptest", action="store_false", help="跳过 AppTest 页面重跑")
    b.add_argument("--no-browser", dest="browser", action="store_false",
                   help="跳过真实服务器+浏览器（各页面桌面与手机的加载时间、传输量、服务器内存）")
    b.add_argument("--browser-runs", type=int, default=3, help="浏览器中每页加载次数（另加首次加载，取中位数）")
    b.add_argument("--bucket", default=os.environ.get("DASHBOARD_BENCH_BUCKET"),
                   help="另测对象存储：s3://存储桶/前缀（凭据取自 AWS_* 环境变量；见 README）")
    b.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except snapshot.SnapshotError as e:  # e.g. a bucket that cannot be reached: one line, no traceback
        print(f"失败：{e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
