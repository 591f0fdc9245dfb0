"""Time `import_file("clients", …)` on a generated 100,000-row CSV (the target: ≤ 10 s in all).

    .venv/bin/python benchmarks/import_bench.py [ROWS]

Prints the whole import and, inside it, the time spent in ``figures.refresh``; then a second run of the
same file (nothing changes, so no refresh).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.rules.identity import id_check_digit
from workbench.services import figures, importer
from workbench.store.db import open_database

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志文斌玉红云飞鹏辉"
RISKS = ("保守", "稳健型", "平衡", "成长", "进取", "C3", "")
TODAY = dt.date(2026, 11, 23)


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    lines = ["客户号,客户名称,证件号码,手机号码,性别,出生日期,生日历法,风险偏好,职业,联系地址,备注"]
    for i in range(rows):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randrange(20_000))
        first17 = f"330106{born:%Y%m%d}{i % 1000:03d}"
        lunar = rnd.random() < 0.3
        birthday = f"{born.year}-{born.month:02d}-{min(born.day, 29):02d}" if lunar else f"{born:%Y/%-m/%-d}"
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
        lines.append(
            ",".join(
                (
                    f"C{i + 1:07d}",
                    name,
                    first17 + id_check_digit(first17),
                    f"13{rnd.randrange(10**9):09d}",
                    rnd.choice("男女"),
                    birthday,
                    "农历" if lunar else "公历",
                    rnd.choice(RISKS),
                    "教师",
                    f"杭州市西湖区文三路{rnd.randrange(1, 999)}号",
                    "",
                )
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "clients.csv"
        make_csv(csv_path, rows)
        book = open_database(str(Path(tmp) / "book.sqlite3"))
        spent = []
        original = figures.refresh

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - start)

        figures.refresh = timed
        try:
            for run in ("first import", "re-import"):
                spent.clear()
                start = time.perf_counter()
                summary = importer.import_file("clients", csv_path, today=TODAY)
                total = time.perf_counter() - start
                print(
                    f"{run}: {rows:,} rows in {total:.2f} s (figures.refresh {sum(spent):.2f} s) — created "
                    f"{summary.created:,}, updated {summary.updated:,}, unchanged {summary.unchanged:,}"
                )
        finally:
            figures.refresh = original
            book.close()


if __name__ == "__main__":
    main()
