"""The interface's words in Chinese and English: one catalogue, looked up by key.

Language: WORKBENCH_LANG, else LC_ALL / LC_MESSAGES / LANG starting with "zh" → Chinese, else English.
Field labels live with the fields (rules.profile) and tier names with the tiers (rules.tiers).
"""

from __future__ import annotations

import os

_lang: str | None = None


def lang() -> str:
    global _lang
    if _lang is None:
        _lang = detect()
    return _lang


def detect() -> str:
    forced = os.environ.get("WORKBENCH_LANG", "").strip().lower()
    if forced in ("zh", "en"):
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_lang(value: str | None) -> None:
    """Force a language ('zh'/'en'), or None to detect again from the environment."""
    global _lang
    _lang = value


def t(key: str, **values: object) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry[0] if lang() == "zh" else entry[1]
    return text.format(**values) if values else text


CATALOGUE: dict[str, tuple[str, str]] = {
    # --- shared terms ---
    "app.title": ("客户经理工作台", "Workbench"),
    "kind.individual": ("个人", "Individual"),
    "kind.corporate": ("对公", "Corporate"),
    "trend.rising": ("上升", "rising"),
    "trend.flat": ("持平", "flat"),
    "trend.falling": ("下降", "falling"),
    "trend.none": ("—", "—"),
    "churn": ("流失预警", "churn risk"),
    "churn.streak": ("金融资产连续{n}个月下降", "AUM down {n} months in a row"),
    "churn.drop": ("金融资产较近期高点下降{n}%", "AUM {n}% below its recent peak"),
    "tier.pending": ("{months}个月后降为{tier}", "down to {tier} in {months} mo"),
    "channel.phone": ("电话", "phone"),
    "channel.visit": ("拜访", "visit"),
    "channel.wechat": ("微信", "WeChat"),
    "channel.sms": ("短信", "SMS"),
    "channel.email": ("邮件", "email"),
    "channel.event": ("活动", "event"),
    "keydate.birthday": ("生日", "Birthday"),
    "keydate.anniversary": ("结婚纪念日", "Wedding anniversary"),
    "keydate.other": ("纪念日", "Key date"),
    "calendar.lunar": ("农历", "lunar"),
    "calendar.solar": ("公历", "solar"),
    # --- columns ---
    "col.client_no": ("客户号", "Client no"),
    "col.name": ("客户", "Client"),
    "col.kind": ("类型", "Kind"),
    "col.tier": ("层级", "Tier"),
    "col.aum": ("金融资产", "AUM"),
    "col.trend": ("趋势", "Trend"),
    "col.last_contact": ("上次联系", "Last contact"),
    "col.next_due": ("下次联系", "Next due"),
    "col.completeness": ("完整度", "Complete"),
    "col.phone": ("电话", "Phone"),
    "col.deposits": ("存款", "Deposits"),
    "col.loans": ("贷款", "Loans"),
    "col.month": ("月份", "Month"),
    "col.product": ("产品", "Product"),
    "col.product_type": ("类型", "Type"),
    "col.amount": ("金额", "Amount"),
    "col.maturity": ("到期日", "Matures"),
    "col.date": ("日期", "Date"),
    "col.channel": ("方式", "Channel"),
    "col.outcome": ("结果", "Outcome"),
    "col.next_date": ("下一次", "Next"),
    # --- cli ---
    "cli.no_clients": ("没有符合条件的客户", "No matching clients"),
    "cli.clients_total": ("共 {n} 位客户", "{n} clients"),
    "cli.demo_done": ("已生成演示客户簿：{clients} 位客户（个人 {individuals}，对公 {corporates}），"
                      "{balances} 条月度余额，{holdings} 笔持有产品，{contacts} 条联系记录，{notes} 条笔记，"
                      "用时 {seconds:.1f} 秒",
                      "Demo book made: {clients} clients ({individuals} individual, {corporates} corporate), "
                      "{balances} monthly balances, {holdings} holdings, {contacts} contacts, {notes} notes "
                      "in {seconds:.1f} s"),
    "cli.import_done": ("{file}：{rows} 行 — 新增 {created}，更新 {updated}，未变 {unchanged}",
                        "{file}: {rows} rows — {created} created, {updated} updated, {unchanged} unchanged"),
    "cli.import_dry": ("（试运行：未写入任何数据）", "(dry run: nothing written)"),
    "cli.bad_rows": ("{n} 行有误，未导入任何数据：", "{n} bad rows; nothing was imported:"),
    "cli.warning": ("提示", "warning"),
    "cli.error": ("错误", "error"),
    "cli.backup_done": ("已备份到 {path}（完整性检查通过）", "Backed up to {path} (integrity check ok)"),
    "cli.restore_done": ("已从 {file} 恢复；原客户簿保存在 {aside}", "Restored from {file}; the previous book is kept at {aside}"),
    "cli.export_done": ("已导出 {n} 条到 {path}", "Exported {n} records to {path}"),
    "cli.check_ok": ("完整性检查：正常", "Integrity check: ok"),
    "cli.check_bad": ("完整性检查失败：{detail}", "Integrity check failed: {detail}"),
    "cli.confirm_replace": ("客户簿已有 {n} 位客户，全部替换为演示数据？[y/N] ",
                            "The book has {n} clients; replace them all with a demo book? [y/N] "),
    "cli.cancelled": ("已取消", "Cancelled"),
    # --- tui ---
}
