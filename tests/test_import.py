"""wb import: reading CSV (every encoding a bank system writes) and XLSX, validating the whole file, writing
in one go, idempotent re-imports. Every file is made here by the test itself."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import index_definitions
from workbench.errors import BadFile, BadInput
from workbench.rules.identity import id_check_digit
from workbench.rules.money import CENT
from workbench.services.importer import import_file
from workbench.services.tabular import read_table
from workbench.store.models import Balance, Client, Holding, KeyDate

BACKENDS = ("sqlite", "postgresql")

TODAY = dt.date(2026, 11, 23)


def valid_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def id_ending(first16: str, digit: bool) -> str:
    """A valid ID number starting with ``first16`` whose check character is a digit (or X)."""
    return next(valid_id(f"{first16}{n}") for n in range(10) if (id_check_digit(f"{first16}{n}") != "X") == digit)


ID1 = id_ending("1101051949123100", digit=True)
ID2 = valid_id("33010619800101123")
ID_X = id_ending("3301061980010112", digit=False)


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def counts() -> dict[str, int]:
    return {m.__name__: m.select().count() for m in (Client, Balance, Holding, KeyDate)}


def client(no: str) -> Client:
    return Client.get(Client.client_no == no)


def run(kind: str, path: Path, **kw) -> object:
    return import_file(kind, path, today=TODAY, **kw)


CLIENTS = (
    "客户号,客户名称,证件号码,手机号码,性别,风险偏好,客户类型,联系地址\n"
    f"C001,张伟,{ID1},138 1234 5678,男,稳健型,个人,杭州市西湖区文三路1号，2幢\n"
    f"C002,杭州某某科技有限公司,{ID2},0571-88886666,,C5,对公,\n"
    "C003,李娜,,+86 139-0000-1111,F,保守,对私,\n"
)


def test_clients_csv_creates_and_normalises(book, tmp_path):
    summary = run("clients", csv_file(tmp_path, CLIENTS))
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (3, 3, 0, 0)
    assert summary.encoding == "utf-8" and summary.kind == "clients" and not summary.dry_run
    zhang, corp, li = client("C001"), client("C002"), client("C003")
    assert (zhang.phone, zhang.gender, zhang.risk_profile) == ("13812345678", "男", "稳健")
    assert zhang.kind == "individual"
    assert zhang.address == "杭州市西湖区文三路1号，2幢"  # the full-width comma is text, not a delimiter
    assert (corp.phone, corp.risk_profile, corp.kind) == ("0571-88886666", "进取", "corporate")
    assert (li.phone, li.gender) == ("13900001111", "女")
    assert zhang.sort_key == "zhangwei" and zhang.completeness > 0  # figures refreshed
    assert zhang.search_keys.count() > 0


@pytest.mark.parametrize(
    ("encoding", "name", "detected"),
    [
        ("utf-8", "王𠀀", "utf-8"),
        ("utf-8-sig", "王䶮", "utf-8-sig"),
        ("gbk", "欧阳娜娜", "gb18030"),
        ("gb18030", "刘䶮𠀀", "gb18030"),
    ],
)
def test_encodings_are_detected(book, tmp_path, encoding, name, detected):
    text = f"客户号,客户名称,备注\nC1,{name},老客户，来自分行\nC2,陈静,\n"
    summary = run("clients", csv_file(tmp_path, text, encoding))
    assert summary.encoding == detected
    assert client("C1").name == name and client("C1").notes == "老客户，来自分行"


def test_gbk_file_with_encoding_option(book, tmp_path):
    path = csv_file(tmp_path, "客户号,客户名称\nC1,张三\n", "gbk")
    assert run("clients", path, encoding="GBK").encoding == "gb18030"
    with pytest.raises(BadFile, match="utf-8"):
        run("clients", path, encoding="utf-8")
    with pytest.raises(BadFile, match="unknown encoding"):
        run("clients", path, encoding="klingon")


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_other_delimiters(book, tmp_path, delimiter):
    text = CLIENTS.replace(",", delimiter).replace(f"1号{delimiter}2幢", "1号，2幢")
    assert run("clients", csv_file(tmp_path, text)).created == 3
    assert client("C001").address == "杭州市西湖区文三路1号，2幢"


def test_headers_in_english_and_variants(book, tmp_path):
    text = ' Client_No ,NAME,Phone,风险偏好（C1-C5）,Unknown,另一个\n="C9",Amy,="057188886666",稳健,x,y\n'
    summary = run("clients", csv_file(tmp_path, text))
    assert client("C9").phone == "0571-88886666" and client("C9").risk_profile == "稳健"
    assert summary.warnings.count("columns not imported (not recognised): Unknown, 另一个") == 1


def test_reimport_is_idempotent(book, tmp_path):
    path = csv_file(tmp_path, CLIENTS)
    run("clients", path)
    before = counts()
    stamp = client("C001").updated_at
    again = run("clients", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert counts() == before and client("C001").updated_at == stamp


def test_empty_cells_never_erase_and_changes_count_as_updates(book, tmp_path):
    run("clients", csv_file(tmp_path, CLIENTS))
    text = "客户号,客户名称,手机号码,风险偏好\nC001,张伟,,进取\nC003,李娜,,\n"
    summary = run("clients", csv_file(tmp_path, text, name="second.csv"))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert client("C001").phone == "13812345678" and client("C001").risk_profile == "进取"


def test_matching_by_id_number_and_phone_without_client_number(book, tmp_path):
    run("clients", csv_file(tmp_path, CLIENTS))
    text = f"客户名称,证件号码,手机号码,职业\n张伟,{ID1},,教师\n李娜,,13900001111,医生\n王芳,,13900001111,律\n"
    summary = run("clients", csv_file(tmp_path, text, name="again.csv"))
    assert (summary.created, summary.updated) == (1, 2)  # 王芳 shares 李娜's phone: another person
    assert client("C001").occupation == "教师" and client("C003").occupation == "医生"
    assert Client.get(Client.name == "王芳").phone == "13900001111"


def test_invalid_id_checksum_is_a_warning(book, tmp_path):
    bad_id = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
    summary = run("clients", csv_file(tmp_path, f"客户号,客户名称,证件号码\nC1,张三,{bad_id}\n"))
    assert summary.created == 1 and client("C1").id_number == bad_id
    assert f"line 2, column 证件号码: '{bad_id}' — ID checksum does not match" in summary.warnings


def test_bad_rows_are_all_listed_and_nothing_is_written(book, tmp_path):
    run("clients", csv_file(tmp_path, "客户号,客户名称\nC1,张三\n", name="first.csv"))
    before = counts()
    text = (
        "客户号,客户名称,出生日期,风险偏好,注册资本\n"
        "C10,甲,2024-02-30,稳健,\n"
        'C11,乙,,激进型,"1,2,3"\n'
        "C12,丙,,冒险,-¥\n"
        "C13,丁,,,\n"
        "C13,戊,,,\n"
    )
    with pytest.raises(BadFile) as err:
        run("clients", csv_file(tmp_path, text))
    assert str(err.value).endswith("4 bad rows; nothing was imported")
    found = {(p.line, p.column) for p in err.value.problems}
    assert found == {(2, "出生日期"), (3, "注册资本"), (4, "风险偏好"), (4, "注册资本"), (6, "客户号")}
    assert all(isinstance(p, BadInput) and p.file for p in err.value.problems)
    duplicate = next(p for p in err.value.problems if p.line == 6)
    assert "line 5" in duplicate.why and duplicate.value == "C13"
    assert counts() == before


def test_bad_files(book, tmp_path):
    cases = {
        "empty.csv": b"",
        "blank.csv": b"\n \n,,\n",
        "binary.csv": os.urandom(2000)[:1000] + b"\x00\x00" + os.urandom(500),
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "fake.xlsx": b"not a zip at all",
        "noheader.csv": "C001,张三,13812345678\nC002,李四,13912345678\n".encode(),
    }
    messages = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(BadFile) as err:
            run("clients", tmp_path / name)
        messages[name] = str(err.value)
    assert "empty" in messages["empty.csv"] and "empty" in messages["blank.csv"]
    assert "binary" in messages["binary.csv"]
    assert ".xlsx" in messages["old.xls"] and "CSV" in messages["old.xls"]
    assert "not an Excel workbook" in messages["fake.xlsx"]
    assert "no recognisable header" in messages["noheader.csv"]
    with pytest.raises(BadFile, match="no such file"):
        run("clients", tmp_path / "missing.csv")
    assert counts()["Client"] == 0


def test_huge_file_is_refused_without_reading(book, tmp_path, monkeypatch):
    from workbench.services import tabular

    monkeypatch.setattr(tabular, "MAX_BYTES", 10)
    with pytest.raises(BadFile, match="too large"):
        run("clients", csv_file(tmp_path, CLIENTS))


def test_missing_required_column_names_it(book, tmp_path):
    with pytest.raises(BadFile, match=r"missing column 金融资产.*客户号, 统计日期"):
        run("balances", csv_file(tmp_path, "客户号,统计日期\nC1,2026-10-31\n"))


def test_wide_row_is_an_error(book, tmp_path):
    with pytest.raises(BadFile) as err:
        run("clients", csv_file(tmp_path, "客户号,客户名称,备注\nC1,张三,a,1,234.56\n"))
    assert err.value.problems[0].line == 2 and "5 cells" in err.value.problems[0].why


def xlsx_file(tmp_path: Path, rows: list[list[object]], raw: dict[int, str] | None = None) -> Path:
    """An XLSX file; ``raw`` puts exact number text into the XML (as some systems write 18-digit numbers)."""
    book_ = openpyxl.Workbook()
    book_.active.title = "说明"  # an empty first sheet: the first sheet with data is read
    sheet = book_.create_sheet("客户")
    for row in rows:
        sheet.append(row)
    path = tmp_path / "in.xlsx"
    book_.save(path)
    if raw:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        xml = parts["xl/worksheets/sheet2.xml"].decode()
        for placeholder, text in raw.items():
            xml = xml.replace(f"<v>{placeholder}</v>", f"<v>{text}</v>")
        parts["xl/worksheets/sheet2.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def test_xlsx_clients_keep_every_digit(book, tmp_path):
    rows = [
        ["客户号", "客户名称", "身份证号", "手机", "出生日期", "历法", "结婚纪念日"],
        [10001, "张伟", 990000000000001, 13812345678, dt.datetime(1980, 3, 7), "公历", 45358],
        ["C2", "李娜", ID_X, 990000000000002, "农历八月十五", None, None],
        ["C3", "王芳", None, None, dt.datetime(1990, 8, 15), "农历", "2010年10月1日"],
        ["C4", "赵敏", None, None, "农历1990-08-30", None, "20100101"],
    ]
    path = xlsx_file(tmp_path, rows, {990000000000001: ID1, 990000000000002: "1.3900001111E10"})
    assert read_table(path).rows[0][1][2] == int(ID1)
    summary = run("clients", path)
    assert summary.created == 4 and summary.encoding == "xlsx"
    zhang, li = client("10001"), client("C2")
    assert (zhang.id_number, zhang.phone, li.id_number, li.phone) == (ID1, "13812345678", ID_X, "13900001111")
    days = {(k.client.client_no, k.kind): (k.calendar, k.month, k.day, k.year) for k in KeyDate.select()}
    assert days[("10001", "birthday")] == ("solar", 3, 7, 1980)
    assert days[("10001", "anniversary")] == ("solar", 3, 7, 2024)  # Excel serial 45358
    assert days[("C2", "birthday")] == ("lunar", 8, 15, None)
    assert days[("C3", "birthday")] == ("lunar", 8, 15, 1990)
    assert days[("C4", "birthday")] == ("lunar", 8, 30, 1990)
    assert days[("C4", "anniversary")] == ("solar", 1, 1, 2010)
    moon = KeyDate.get(KeyDate.kind == "birthday", KeyDate.client == li)
    assert moon.next_date == dt.date(2027, 9, 15)  # 中秋 2027
    assert run("clients", path).unchanged == 4


def test_xlsx_number_that_lost_digits_is_refused(book, tmp_path):
    path = xlsx_file(tmp_path, [["客户名称", "证件号码"], ["张伟", 1.1010519491231e17]])
    with pytest.raises(BadFile) as err:
        run("clients", path)
    assert "digits" in err.value.problems[0].why and err.value.problems[0].line == 2


def test_birthday_changes_replace_the_key_date(book, tmp_path):
    run("clients", csv_file(tmp_path, "客户号,客户名称,生日\nC1,张三,1980-03-07\n"))
    summary = run("clients", csv_file(tmp_path, "客户号,客户名称,生日\nC1,张三,农历三月初七\n", name="b.csv"))
    assert summary.updated == 1
    (day,) = KeyDate.select()
    assert (day.calendar, day.month, day.day) == ("lunar", 3, 7)


def add_clients(tmp_path: Path) -> None:
    run("clients", csv_file(tmp_path, CLIENTS, name="clients.csv"))


@pytest.mark.parametrize("date", ["2026-10-07", "2026/10/7", "2026-10-7", "2026年10月7日", "20261007"])
def test_balance_date_formats(book, tmp_path, date):
    add_clients(tmp_path)
    run("balances", csv_file(tmp_path, f"客户号,统计日期,金融资产\nC001,{date},123.4万\n"))
    (balance,) = Balance.select()
    assert balance.month == dt.date(2026, 10, 1) and balance.aum == Decimal("1234000.00")


def test_balances_rate_tiers_with_pending_downgrade(book, tmp_path):
    add_clients(tmp_path)
    text = (
        "客户号,统计日期,金融资产,存款余额,贷款余额\n"
        "C001,2026-08-31,600万,,\n"
        'C001,2026-09-30,"4,000,000.00",￥1234.56,\n'
        "C001,2026-10-31,400万,,0.1亿\n"
        "C002,2026-10-31,1.2亿,,\n"
    )
    path = csv_file(tmp_path, text, "gbk")
    summary = run("balances", path)
    assert summary.created == 4
    zhang = client("C001")
    assert (zhang.tier, zhang.tier_pending, zhang.tier_pending_months) == ("diamond", "platinum_plus", 1)
    assert zhang.aum == Decimal("4000000.00") and zhang.loans == Decimal("10000000.00")
    assert client("C002").tier == "black"
    before = counts()
    assert run("balances", path).unchanged == 4 and counts() == before
    changed = text.replace("C002,2026-10-31,1.2亿", "C002,2026-10-31,1.1亿")
    summary = run("balances", csv_file(tmp_path, changed, name="b2.csv"))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 3)
    assert Balance.get(Balance.client == client("C002")).aum == Decimal("110000000.00")


def test_xlsx_balances_with_date_cells_serials_and_units(book, tmp_path):
    add_clients(tmp_path)
    rows = [
        ["客户号", "统计日期", "金融资产", "存款余额", "贷款余额"],
        ["C001", dt.datetime(2026, 8, 31), "600万", 1234.56, None],
        ["C001", 46295, "4,000,000", "￥1,000", "0.1亿"],  # 46295 is the Excel day number of 2026-09-30
        ["C001", 20261031, 4_000_000, None, None],
        ["C002", "2026年10月31日", "1.2亿", None, None],
    ]
    summary = run("balances", xlsx_file(tmp_path, rows))
    assert summary.created == 4
    got = {(b.client.client_no, b.month): (b.aum, b.deposits, b.loans) for b in Balance.select()}
    assert got[("C001", dt.date(2026, 8, 1))] == (Decimal("6000000.00"), Decimal("1234.56"), Decimal("0.00"))
    assert got[("C001", dt.date(2026, 9, 1))] == (Decimal("4000000.00"), Decimal("1000.00"), Decimal("1e7"))
    assert got[("C001", dt.date(2026, 10, 1))][0] == Decimal("4000000.00")
    assert got[("C002", dt.date(2026, 10, 1))][0] == Decimal("120000000.00")
    assert client("C001").tier == "diamond" and client("C002").tier == "black"


def test_balances_keys_unknown_and_ambiguous_clients(book, tmp_path):
    add_clients(tmp_path)
    run("clients", csv_file(tmp_path, "客户号,客户名称\nC004,张伟\n", name="more.csv"))
    text = (
        "客户号,客户名称,证件号码,日期,AUM(万元)\n"
        "C123,,,2026-10-31,1\n"
        ",张伟,,2026-10-31,2\n"
        f",,{ID2},2026-10-31,3\n"
        "C003,李娜,,2026-10-31,4\n"
        "C003,李娜,,2026-10-15,5\n"
    )
    with pytest.raises(BadFile) as err:
        run("balances", csv_file(tmp_path, text))
    why = {p.line: p.why for p in err.value.problems}
    assert why[2] == "no client with 客户号 C123 in the book; import clients first"
    assert "2 clients" in why[3] and "C001" in why[3] and "C004" in why[3]
    assert "line 5" in why[6] and set(why) == {2, 3, 6}
    assert counts()["Balance"] == 0
    ok = text.split("\n", 1)[0] + f"\n,,{ID2},2026-10-31,3\n"
    run("balances", csv_file(tmp_path, ok, name="ok.csv"))
    assert Balance.get().aum == Decimal("30000.00")  # the header's unit (万元)


def test_holdings_with_maturity_dates(book, tmp_path):
    add_clients(tmp_path)
    text = (
        "客户名称,产品名称,产品类型,持有金额,到期日\n"
        "李娜,大额存单2024第3期,大额存单,50万,2027-01-15\n"
        "李娜,大额存单2024第3期,大额存单,20万,2027-06-15\n"
        '李娜,稳利理财,理财,"1,234.56",\n'
    )
    path = csv_file(tmp_path, text)
    assert run("holdings", path).created == 3
    dates = sorted(h.maturity_date for h in Holding.select() if h.maturity_date)
    assert dates == [dt.date(2027, 1, 15), dt.date(2027, 6, 15)]
    assert run("holdings", path).unchanged == 3
    summary = run("holdings", csv_file(tmp_path, text.replace("20万", "25万"), name="h2.csv"))
    assert (summary.updated, summary.unchanged) == (1, 2) and counts()["Holding"] == 3
    dup = text + "李娜,稳利理财,理财,1,\n"
    with pytest.raises(BadFile, match="1 bad row;"):
        run("holdings", csv_file(tmp_path, dup, name="h3.csv"))


def test_dry_run_writes_nothing(book, tmp_path):
    path = csv_file(tmp_path, CLIENTS)
    summary = run("clients", path, dry_run=True)
    assert summary.dry_run and (summary.created, summary.rows) == (3, 3)
    assert counts()["Client"] == 0
    run("clients", path)
    assert run("clients", path, dry_run=True).unchanged == 3


def test_unknown_kind(book, tmp_path):
    with pytest.raises(BadInput, match="unknown import"):
        run("contacts", csv_file(tmp_path, CLIENTS))


def test_line_numbers_count_blank_and_multiline_rows(tmp_path):
    text = '\n客户号,备注\n\nC1,"两行\n备注"\nC2,x\n'
    table = read_table(csv_file(tmp_path, text))
    assert table.header_line == 2 and [line for line, _ in table.rows] == [4, 6]


AMOUNT = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)


def written(amount: Decimal, style: int) -> str:
    text = f"{abs(amount):,.2f}" if style % 2 else f"{abs(amount):.2f}"
    text = ("¥" if style >= 2 else "") + text
    return ("-" if amount < 0 else "") + text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.tuples(AMOUNT.map(abs), st.integers(0, 3)), min_size=1, max_size=12))
def test_amounts_round_trip_exactly(book, tmp_path, amounts):
    Balance.delete().execute()
    if not Client.select().exists():
        run("clients", csv_file(tmp_path, "客户号,客户名称\nC1,张三\n", name="c.csv"))
    lines = ["客户号,统计日期,金融资产"]
    for n, (amount, style) in enumerate(amounts):
        lines.append(f'C1,{2000 + n}-01-31,"{written(amount, style)}"')
    run("balances", csv_file(tmp_path, "\n".join(lines) + "\n", name="amounts.csv"))
    stored = [b.aum for b in Balance.select().order_by(Balance.month)]
    assert stored == [a.quantize(CENT) for a, _ in amounts]


@given(amount=AMOUNT, style=st.integers(0, 3))
def test_amount_text_parses_back(amount, style):
    from workbench.rules.columns import parse_amount_cell

    assert parse_amount_cell(written(amount, style), negative=True) == amount
    assert re.fullmatch(r"-?¥?[\d,]+\.\d\d", written(amount, style))


@pytest.mark.slow
def test_import_on_postgresql(tmp_path):
    from tests import pgcluster
    from workbench.store.db import open_database

    why = pgcluster.available()
    if why:
        pytest.skip(why)
    with pgcluster.cluster() as url:
        book_ = open_database(url)
        try:
            text = "客户号,客户名称,出生日期,生日历法,注册资本\nC1,张三,1990-08-15,农历,100万\nC2,李四,,,\n"
            for kind, body in (
                ("clients", text),
                ("balances", "客户号,统计日期,金融资产\nC1,2026-09-30,600万\nC1,2026-10-31,400万\n"),
                ("holdings", "客户号,产品名称,持有金额,到期日\nC1,大额存单,50万,2027-01-01\n"),
            ):
                path = csv_file(tmp_path, body, "gbk", name=f"{kind}.csv")
                assert run(kind, path).created > 0 and run(kind, path).created == 0
            assert client("C1").tier == "diamond" and client("C1").registered_capital == Decimal("1000000.00")
            assert Client.create(name="王五").id == 3  # the id sequence moved past the bulk-inserted ids
        finally:
            book_.close()


def test_new_clients_get_the_same_figures_and_keys_as_a_full_refresh(book, tmp_path):
    """The importer derives a new client's stored columns itself; they must be what refresh() computes."""
    from workbench.services import figures
    from workbench.store.db import transaction
    from workbench.store.models import SearchKey

    path = csv_file(
        tmp_path,
        "客户号,客户名称,客户类型,手机号码,出生日期,生日历法,职业,风险偏好\n"
        "C1,单伟明,个人,13812345678,1980-08-15,农历,教师,稳健\n"
        "E1,杭州西湖精密机械有限公司,对公,0571-88886666,,,,\n"
        "C2,欧阳修,个人,,1990/3/7,公历,,\n",
    )
    import_file("clients", path, today=TODAY)
    columns = [getattr(Client, c) for c in (*figures.DERIVED, "id")]
    before = sorted(Client.select(*columns).tuples())
    keys_before = sorted(SearchKey.select(SearchKey.key, SearchKey.client).tuples())
    with transaction():
        figures.refresh(today=TODAY)
    assert sorted(Client.select(*columns).tuples()) == before
    assert sorted(SearchKey.select(SearchKey.key, SearchKey.client).tuples()) == keys_before
    assert len(keys_before) > 20


def test_a_large_import_rebuilds_the_indexes_it_set_aside(book, backend, tmp_path, monkeypatch):
    """From BULK_MIN new clients on, the importer drops the indexes rows reach at random and rebuilds them:
    afterwards the book has every index it had, the clients are found by name, and figures match a refresh."""
    from workbench.services import figures, importer, portfolio
    from workbench.store.db import transaction
    from workbench.store.models import database

    monkeypatch.setattr(importer, "BULK_MIN", 50)

    indexes = index_definitions
    before = indexes()
    lines = ["客户号,客户名称,手机号码,出生日期"]
    for n in range(120):
        lines.append(f"B{n:04d},{'王李张'[n % 3]}{'伟芳明'[n % 7 % 3]}{n},139{n:08d},1980-01-{n % 28 + 1:02d}")
    summary = run("clients", csv_file(tmp_path, "\n".join(lines) + "\n"))
    assert summary.created == 120
    assert indexes() == before
    if backend == "sqlite":
        assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    found = portfolio.list_clients(search="wangwei")
    assert found and all(r.name.startswith("王伟") for r in found)
    assert [r.name for r in portfolio.list_clients(search="00000119")] == ["张伟119"]  # the phone's tail
    columns = [getattr(Client, c) for c in (*figures.DERIVED, "id")]
    derived = sorted(Client.select(*columns).tuples())
    with transaction():
        figures.refresh(today=TODAY)
    assert sorted(Client.select(*columns).tuples()) == derived
    assert KeyDate.select().count() == 120


def _bulk_file(tmp_path: Path, count: int, prefix: str = "B") -> Path:
    lines = ["客户号,客户名称,手机号码,出生日期"]
    lines += [f"{prefix}{n:04d},{'王李张'[n % 3]}{n},139{n:08d},1980-01-{n % 28 + 1:02d}" for n in range(count)]
    return csv_file(tmp_path, "\n".join(lines) + "\n", name=f"{prefix}.csv")


def test_a_large_import_joins_its_search_keys_beside_the_rows_and_keeps_every_reference(
    book, backend, tmp_path, monkeypatch
):
    """A large file of clients is loaded with foreign keys off, the search keys joined on a helper thread while
    the rows are computed: afterwards foreign keys are on again and every row names a client that exists."""
    from workbench.services import importer, portfolio
    from workbench.store import bulkload
    from workbench.store.models import SearchKey, database

    monkeypatch.setattr(importer, "BULK_MIN", 50)
    behind = []
    real = bulkload.BulkLoad.join_keys_behind
    monkeypatch.setattr(bulkload.BulkLoad, "join_keys_behind", lambda self: behind.append(1) or real(self))
    assert run("clients", _bulk_file(tmp_path, 120)).created == 120
    if backend == "sqlite":  # (PostgreSQL checks as it goes, and inserts the keys itself)
        assert behind == [1]
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    assert SearchKey.select(SearchKey.client).distinct().count() == 120
    assert [r.name for r in portfolio.list_clients(search="zhang119")] == ["张119"]


def test_a_large_import_that_fails_beside_or_in_front_writes_nothing(book, backend, tmp_path, monkeypatch):
    """The join on the helper thread fails, or the rows being computed meanwhile do: the import says so, the
    book is as it was, and the next import works."""
    from workbench.errors import WorkbenchError
    from workbench.services import figures, importer
    from workbench.store import bulkload
    from workbench.store.models import database

    monkeypatch.setattr(importer, "BULK_MIN", 50)
    assert run("clients", _bulk_file(tmp_path, 60, "A")).created == 60
    if backend == "sqlite":
        monkeypatch.setattr(bulkload, "_JOIN_KEYS", 'INSERT INTO "search_key" (key, client_id) SELECT x FROM nowhere')
        with pytest.raises(WorkbenchError, match="nowhere"):
            run("clients", _bulk_file(tmp_path, 80))
        monkeypatch.undo()
        monkeypatch.setattr(importer, "BULK_MIN", 50)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 40:
            raise RuntimeError("a bug while the keys are joined")
        return real_derive(*args, **kwargs)

    real_derive = figures.derive
    monkeypatch.setattr(figures, "derive", failing)
    with pytest.raises(RuntimeError, match="a bug"):
        run("clients", _bulk_file(tmp_path, 80))
    monkeypatch.setattr(figures, "derive", real_derive)
    assert Client.select().count() == 60
    if backend == "sqlite":
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert run("clients", _bulk_file(tmp_path, 80)).created == 80
    assert Client.select().count() == 140


def test_a_client_whose_number_reads_like_its_name_imports_in_bulk(book, tmp_path, monkeypatch):
    """The bulk path joins a name's keys and the client's own (number, phone): where they coincide (a company
    named by its code), the key is kept once instead of breaking the import."""
    from workbench.services import importer, portfolio

    monkeypatch.setattr(importer, "BULK_MIN", 5)
    rows = ["客户号,客户名称"] + [f"K{n:03d},王{n}" for n in range(8)] + ["ABC,abc"]
    summary = run("clients", csv_file(tmp_path, "\n".join(rows) + "\n"))
    assert summary.created == 9
    assert [r.client_no for r in portfolio.list_clients(search="abc")] == ["ABC"]
