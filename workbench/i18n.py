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
    return text(key, lang(), **values)


def text(key: str, language: str, **values: object) -> str:
    """The catalogue's text for ``key`` in ``language`` ('zh' or 'en')."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    out = entry[0] if language == "zh" else entry[1]
    return out.format(**values) if values else out


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
    # --- why a value is wrong (rules raise errors.Invalid with these keys) ---
    "err.date.format": (
        "不是日期（请用 YYYY-MM-DD、YYYY/M/D、YYYY年M月D日 或 YYYYMMDD）",
        "not a date (use YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or YYYYMMDD)",
    ),
    "err.date.year": ("{year} 年超出范围（1900–2200）", "year {year} is out of range (1900–2200)"),
    "err.date.month": ("没有 {month} 月", "month {month} does not exist"),
    "err.date.days": (
        "{year}年{month}月只有 {last} 天，没有 {day} 日",
        "{year}-{month:02d} has {last} days, not {day}",
    ),
    "err.date.excel": ("{value} 不是 Excel 日期", "{value} is not an Excel date"),
    "err.amount.format": (
        "不是金额（数字，千分位逗号每 3 位，可带 万/亿）",
        "not an amount (digits, optional thousands commas every 3 digits, optional 万/亿)",
    ),
    "err.amount.empty": ("金额为空", "empty amount"),
    "err.amount.digits": ("金额里没有数字", "no digits in amount"),
    "err.amount.large": ("金额过大", "amount too large"),
    "err.amount.finite": ("不是有限的金额", "not a finite amount"),
    "err.field.unknown": ("{field} 不是可编辑的资料项", "{field} is not an editable profile field"),
    "err.field.name": ("客户必须有名称", "a client must have a name"),
    "err.field.long": ("太长（最多 10,000 字）", "too long (at most 10,000 characters)"),
    "err.field.choice": ("请填：{choices}", "one of: {choices}"),
    "err.field.year": ("请填年份，例如 2008", "a year such as 2008"),
    "err.field.line": ("只能填一行", "one line only"),
    "err.id.decimals": (
        "证件号码不能有小数（是否在 Excel 里存成了数字？）",
        "an ID number cannot have decimals (was it stored as a number in Excel?)",
    ),
    "err.id.chars": ("证件号码只能有数字和字母（6–20 位）", "an ID number has only digits and letters (6–20)"),
    "err.phone.decimals": ("电话号码不能有小数", "a phone number cannot have decimals"),
    "err.phone.chars": ("电话号码只能有数字、空格和横线", "a phone number has only digits, spaces and dashes"),
    "err.phone.format": (
        "不是电话号码（11 位手机或带区号的座机）",
        "not a phone number (11-digit mobile or landline with area code)",
    ),
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
    "col.reason": ("原因", "Reason"),
    "col.day": ("日期", "Day"),
    "col.due": ("到期联系", "Due"),
    "col.maturities": ("产品到期", "Maturing"),
    "col.key_dates": ("重要日期与节日", "Key dates and holidays"),
    # --- cli ---
    "cli.no_clients": ("没有符合条件的客户", "No matching clients"),
    "cli.clients_total": ("共 {n} 位客户", "{n} clients"),
    "cli.demo_done": (
        "已生成演示客户簿：{clients} 位客户（个人 {individuals}，对公 {corporates}），"
        "{balances} 条月度余额，{holdings} 笔持有产品，{contacts} 条联系记录，{notes} 条笔记，"
        "用时 {seconds:.1f} 秒",
        "Demo book made: {clients} clients ({individuals} individual, {corporates} corporate), "
        "{balances} monthly balances, {holdings} holdings, {contacts} contacts, {notes} notes "
        "in {seconds:.1f} s",
    ),
    "cli.import_done": (
        "{file}：{rows} 行 — 新增 {created}，更新 {updated}，未变 {unchanged}",
        "{file}: {rows} rows — {created} created, {updated} updated, {unchanged} unchanged",
    ),
    "cli.import_dry": ("（试运行：未写入任何数据）", "(dry run: nothing written)"),
    "cli.bad_rows": ("{n} 行有误，未导入任何数据：", "{n} bad rows; nothing was imported:"),
    "cli.warning": ("提示", "warning"),
    "cli.error": ("错误", "error"),
    "cli.backup_done": ("已备份到 {path}（完整性检查通过）", "Backed up to {path} (integrity check ok)"),
    "cli.restore_done": (
        "已从 {file} 恢复；原客户簿保存在 {aside}",
        "Restored from {file}; the previous book is kept at {aside}",
    ),
    "cli.export_done": ("已导出 {n} 条到 {path}", "Exported {n} records to {path}"),
    "cli.check_ok": ("完整性检查：正常", "Integrity check: ok"),
    "cli.check_bad": ("完整性检查失败：{detail}", "Integrity check failed: {detail}"),
    "cli.confirm_replace": (
        "客户簿已有 {n} 位客户，全部替换为演示数据？[y/N] ",
        "The book has {n} clients; replace them all with a demo book? [y/N] ",
    ),
    "cli.today_title": ("{date} {weekday} · 今日联系 {n} 位", "{date} {weekday} · {n} contacts today"),
    "cli.today_off": ("今天不是工作日{name}", "Not a workday{name}"),
    "cli.today_none": ("今天没有需要联系的客户", "Nobody needs a contact today"),
    "cli.today_done": ("已联系", "done"),
    "cli.correction": ("本地调整：{date} {what}{note}", "Local correction: {date} {what}{note}"),
    "cli.off": ("休息", "off"),
    "cli.on": ("上班", "workday"),
    "cli.logged": (
        "已记录：{name} {date} {channel}；下次应联系 {due}",
        "Logged: {name} {date} {channel}; next due {due}",
    ),
    "cli.holidays_added": ("已记录 {n} 天为{what}", "Marked {n} days as {what}"),
    "cli.holidays_removed": ("已删除 {n} 条本地调整", "Removed {n} local corrections"),
    "cli.holidays_unknown": (
        "{year} 年的官方放假安排尚未收录：以下为估算（周末和法定节日，无调休）",
        "The official {year} schedule is not known: estimated (weekends and statutory festivals, no swaps)",
    ),
    "cli.ics_done": (
        "已写入 {path}：{contacts} 个联系计划、{key_dates} 个重要日期（{first} 至 {last}）",
        "Wrote {path}: {contacts} planned contacts, {key_dates} key dates ({first} to {last})",
    ),
    "cli.note_saved": ("已保存笔记 #{id}（{date}，{what}）", "Saved note #{id} ({date}, {what})"),
    "cli.note_inbox": ("放入收件箱待整理", "in the inbox to sort"),
    "cli.note_filed": ("已归档到客户", "filed with the client"),
    "cli.note_lesson": ("已记为经验教训", "filed as a lesson"),
    "cli.note_linked": ("关联客户：{written} → {name}", "linked: {written} → {name}"),
    "cli.note_ambiguous": (
        "未关联：{written} 可能是 {names}，请在日志页确认",
        "not linked: {written} could be {names}; sort it in the journal",
    ),
    "cli.note_unknown": (
        "未关联：找不到 {written}，请在日志页确认",
        "not linked: no client {written}; sort it in the journal",
    ),
    "cli.note_tags": ("标签：{tags}", "tags: {tags}"),
    "cli.note_spooled": (
        "客户簿暂时无法写入（{why}）：笔记已暂存到 {path}，下次记笔记或打开工作台时会自动加入",
        "The book could not be written ({why}): the note is kept in {path} and will be added next time",
    ),
    "cli.note_from_spool": ("已补入之前暂存的 {n} 条笔记", "Added {n} earlier spooled notes"),
    "cli.search_none": ("没有找到", "Nothing found"),
    "search.kind.client": ("客户", "client"),
    "search.kind.note": ("笔记", "note"),
    "search.kind.lesson": ("教训", "lesson"),
    "search.kind.contact": ("联系", "contact"),
    "cli.cancelled": ("已取消", "Cancelled"),
    "cli.export_masked": (
        "电话和证件号码已遮蔽；如需再次导入，请加 --reveal 导出",
        "Phone and ID numbers are masked; export with --reveal for a file you will re-import",
    ),
    # --- tui ---
    # panes and the shell
    "tui.pane.portfolio": ("客户", "Portfolio"),
    "tui.pane.planner": ("计划", "Planner"),
    "tui.pane.visits": ("拜访", "Visits"),
    "tui.pane.journal": ("日志", "Journal"),
    "tui.pane.not_built.visits": (
        "拜访功能尚未完成（见 issue 6）。",
        "Visits are not built yet (see issue 6).",
    ),
    "tui.pane.not_built.journal": (
        "日志功能尚未完成（见 issue 5）。",
        "The journal is not built yet (see issue 5).",
    ),
    "tui.pane.not_built.hint": ("按 1 回到客户列表。", "Press 1 to go back to the client list."),
    "tui.header.clients": ("{n} 位客户", "{n} clients"),
    "tui.header.opening": ("正在打开客户簿…", "Opening the book…"),
    "tui.error": ("出错了：{error}", "Something went wrong: {error}"),
    "tui.list_sep": ("、", ", "),
    # key descriptions (footer, help, command palette)
    "tui.key.quit": ("退出", "Quit"),
    "tui.key.help": ("帮助", "Help"),
    "tui.key.palette": ("命令", "Palette"),
    "tui.key.search": ("搜索", "Search"),
    "tui.key.tier": ("层级", "Tier"),
    "tui.key.tier_prev": ("上一层级", "Previous tier"),
    "tui.key.sort": ("排序", "Sort"),
    "tui.key.reverse": ("倒序", "Flip"),
    "tui.key.page": ("翻页", "Page"),
    "tui.key.next_page": ("下一页", "Next page"),
    "tui.key.prev_page": ("上一页", "Previous page"),
    "tui.key.refresh": ("刷新", "Refresh"),
    "tui.key.clear_search": ("清除搜索", "Clear search"),
    "tui.key.to_list": ("回到列表", "Back to the list"),
    "tui.key.open": ("查看", "Open"),
    "tui.key.up": ("上一行", "Up"),
    "tui.key.down": ("下一行", "Down"),
    "tui.key.rows_up": ("上翻（在首行时翻到上一页）", "Page up (at the top: previous page)"),
    "tui.key.rows_down": ("下翻（在末行时翻到下一页）", "Page down (at the bottom: next page)"),
    "tui.key.first_row": ("首行", "First row"),
    "tui.key.last_row": ("末行", "Last row"),
    "tui.key.back": ("返回", "Back"),
    "tui.key.reveal": ("显示号码", "Reveal"),
    "tui.key.edit": ("编辑", "Edit"),
    "tui.key.tab": ("切换页", "Tabs"),
    "tui.key.tab_next": ("下一页签", "Next tab"),
    "tui.key.tab_prev": ("上一页签", "Previous tab"),
    "tui.key.save": ("保存", "Save"),
    "tui.key.cancel": ("取消", "Cancel"),
    "tui.key.close": ("关闭", "Close"),
    "tui.key.log": ("记录联系", "Log contact"),
    "tui.key.snooze": ("推迟", "Snooze"),
    "tui.key.skip": ("跳过", "Skip"),
    "tui.key.visit": ("安排拜访", "Start visit"),
    "tui.key.week": ("一周", "Week"),
    "tui.key.channel_next": ("下一个方式", "Next channel"),
    "tui.key.channel_prev": ("上一个方式", "Previous channel"),
    "tui.key.generate": ("生成演示客户簿", "Generate a demo book"),
    "tui.key.start_empty": ("空白开始", "Start empty"),
    # help and command palette
    "tui.help.title": ("按键一览", "Keys"),
    "tui.help.key": ("按键", "Key"),
    "tui.help.does": ("作用", "What it does"),
    "tui.help.global": ("全局", "Everywhere"),
    "tui.help.portfolio": ("客户列表", "Client list"),
    "tui.help.table": ("表格", "Tables"),
    "tui.help.search": ("搜索框", "Search box"),
    "tui.help.client": ("客户视图", "Client view"),
    "tui.help.editor": ("编辑字段", "Editing a field"),
    "tui.palette.placeholder": (
        "输入命令，或客户姓名、拼音…",
        "Type a command, or a client's name or pinyin…",
    ),
    "tui.palette.pane": ("切换到「{pane}」", "Go to {pane}"),
    "tui.palette.client_help": ("{no} · {tier} · 金融资产 {aum}", "{no} · {tier} · AUM {aum}"),
    # demo offer
    "tui.demo.title": ("客户簿是空的", "The book is empty"),
    "tui.demo.body": (
        "要生成一个演示客户簿（300位虚构的客户）来试用吗？以后可以用自己的数据替换。",
        "Generate a demo book (300 made-up clients) to try Workbench? You can replace it with your own data later.",
    ),
    "tui.demo.working": ("正在生成演示客户簿…", "Generating the demo book…"),
    "tui.demo.done": ("演示客户簿已生成：{n} 位客户", "Demo book ready: {n} clients"),
    "tui.demo.failed": ("生成演示客户簿失败：{error}", "Could not generate the demo book: {error}"),
    "tui.demo.missing": ("本版本还不能生成演示数据", "This version cannot generate demo data yet"),
    # portfolio
    "tui.search.placeholder": (
        "按 / 搜索：姓名、拼音、首字母、客户号、手机尾号",
        "/ search: name, pinyin, initials, client no, phone",
    ),
    "tui.filter.tier": ("层级：{tier}", "Tier: {tier}"),
    "tui.filter.all": ("全部", "all"),
    "tui.sort.by": ("排序：{column}{arrow}", "Sort: {column} {arrow}"),
    "tui.sort.asc": ("↑", "↑"),
    "tui.sort.desc": ("↓", "↓"),
    "tui.rows": ("第 {first}–{last} 行，共 {total} 位", "rows {first}–{last} of {total}"),
    "tui.rows.none": ("没有符合条件的客户", "No matching clients"),
    "tui.rows.empty_book": (
        "客户簿是空的：用 wb import 导入客户，或用 wb demo 生成演示数据",
        "The book is empty: import clients (wb import) or make a demo book (wb demo)",
    ),
    "tui.rows.loading": ("加载中…", "Loading…"),
    "tui.rows.pages": ("第 {page}/{pages} 页", "page {page}/{pages}"),
    # client 360
    "tui.c360.tab.profile": ("概况", "Profile"),
    "tui.c360.tab.assets": ("资产", "Assets"),
    "tui.c360.tab.dates": ("日期", "Dates"),
    "tui.c360.tab.contacts": ("联系", "Contacts"),
    "tui.c360.loading": ("加载中…", "Loading…"),
    "tui.c360.not_found": ("找不到这位客户（可能已被删除）", "This client no longer exists"),
    "tui.c360.missing": ("缺", "missing"),
    "tui.c360.field": ("项目", "Field"),
    "tui.c360.value": ("内容", "Value"),
    "tui.c360.completeness": ("完整度 {pct}%", "{pct}% complete"),
    "tui.c360.missing_count": ("（缺 {n} 项）", " ({n} missing)"),
    "tui.c360.churn": ("流失预警：{reason}", "churn risk: {reason}"),
    "tui.c360.pending": ("（{text}）", " ({text})"),
    "tui.c360.aum": ("金融资产 {aum}", "AUM {aum}"),
    "tui.c360.status.prospect": ("潜在客户", "prospect"),
    "tui.c360.status.lost": ("已流失", "lost"),
    "tui.c360.related": ("{n} 条记录", "{n} records"),
    "tui.c360.not_editable": (
        "「{field}」来自相关记录，这里不能直接编辑",
        "{field} comes from related records; it cannot be edited here",
    ),
    "tui.c360.edit": ("编辑「{field}」", "Edit {field}"),
    "tui.c360.choices": ("可选：{choices}", "One of: {choices}"),
    "tui.c360.hidden": (
        "原值已隐藏（按 r 显示）；输入新值即替换",
        "Hidden (press r to reveal); typing a new value replaces it",
    ),
    "tui.c360.saved": ("已保存「{field}」", "Saved {field}"),
    "tui.c360.unchanged": ("未修改", "Nothing changed"),
    "tui.c360.bad": ("未保存：{why}", "Not saved: {why}"),
    "tui.c360.revealed": ("已显示电话和证件号码", "Phone and ID shown"),
    "tui.c360.masked": ("已隐藏电话和证件号码", "Phone and ID hidden"),
    "tui.c360.history": (
        "金融资产走势 {first} 至 {last}（{n} 个月）· 最低 {low} · 最高 {high}",
        "AUM {first} to {last} ({n} months) · low {low} · high {high}",
    ),
    "tui.c360.no_history": ("还没有月度余额记录", "No monthly balances yet"),
    "tui.c360.holdings": ("持有产品（{n}）", "Holdings ({n})"),
    "tui.c360.no_holdings": ("没有持有中的产品", "No products held"),
    "tui.c360.days_left": ("剩余", "Left"),
    "tui.c360.days": ("{n} 天", "{n} d"),
    "tui.c360.days_ago": ("已过 {n} 天", "{n} d ago"),
    "tui.c360.balances": ("月度余额", "Monthly balances"),
    "tui.c360.key_dates": ("重要日期", "Key dates"),
    "tui.c360.no_key_dates": ("还没有记录重要日期", "No key dates recorded"),
    "tui.c360.kind": ("类别", "Kind"),
    "tui.c360.calendar": ("历法", "Calendar"),
    "tui.c360.contacts": (
        "联系记录（最近 {shown} 条，共 {total} 条）",
        "Contacts ({shown} latest of {total})",
    ),
    "tui.c360.no_contacts": ("还没有联系记录", "No contacts yet"),
    "tui.c360.decision_makers": ("决策人", "Decision makers"),
    "tui.c360.affiliates": ("关联企业", "Affiliates"),
    "tui.c360.none": ("无", "none"),
    "tui.c360.person": ("姓名", "Name"),
    "tui.plan.head": (
        "{date} {weekday} · 今日联系 {n} 位 · 已完成 {done}",
        "{date} {weekday} · {n} to contact · {done} done",
    ),
    "tui.plan.off": ("非工作日{name}", "not a workday{name}"),
    "tui.plan.none": ("今天没有需要联系的客户", "Nobody needs a contact today"),
    "tui.plan.loading": ("正在生成今日计划…", "Planning the day…"),
    "tui.plan.coverage": (
        "本月联系 {contacts}/{target}（{reached} 位）· 工作日 {gone}/{days} · 超期 {overdue}：{tiers}",
        "Month {contacts}/{target} ({reached} clients) · workdays {gone}/{days} · overdue {overdue}: {tiers}",
    ),
    "tui.plan.week_title": ("未来 7 天", "The coming 7 days"),
    "tui.plan.log.title": ("记录联系：{name}", "Log a contact: {name}"),
    "tui.plan.log.channel": ("方式：{channel}（↑↓ 切换）", "Channel: {channel} (↑↓ to change)"),
    "tui.plan.log.outcome": ("结果（必填），回车保存", "Outcome (required); Enter saves"),
    "tui.plan.log.next": (
        "约定下次联系日期（可选：2026-12-15 或 +7）",
        "Agreed next contact (optional: 2026-12-15 or +7)",
    ),
    "tui.plan.logged": ("已记录 {name} 的联系；下次应联系 {due}", "Logged {name}; next due {due}"),
    "tui.plan.snooze.title": ("推迟：{name}", "Snooze: {name}"),
    "tui.plan.snooze.until": ("推迟到（日期或 +天数）", "Until (a date or +days)"),
    "tui.plan.snooze.reason": ("原因（可选）", "Reason (optional)"),
    "tui.plan.snoozed": ("{name} 推迟到 {day}", "{name} snoozed until {day}"),
    "tui.plan.skip.title": ("今天跳过：{name}", "Skip today: {name}"),
    "tui.plan.skip.reason": ("原因（必填），回车确认", "Reason (required); Enter confirms"),
    "tui.plan.skipped": ("今天跳过 {name}", "Skipped {name} for today"),
    "tui.plan.visit": ("已为 {name} 建立 {day} 的拜访，可在拜访页继续准备", "Visit for {name} on {day} created"),
    "tui.plan.done": ("已联系", "done"),
    "tui.plan.nothing": ("先选中一位客户", "Select a client first"),
    "tui.plan.unsaved": ("未保存：{why}", "Not saved: {why}"),
    "tui.help.planner": ("联系计划", "Planner"),
    "tui.help.dialog": ("对话框", "Dialogs"),
    "tui.c360.title": ("职务", "Title"),
    "tui.c360.reach": ("联系方式", "How to reach"),
    "tui.c360.relation": ("关系", "Relation"),
    "tui.c360.notes": ("备注", "Notes"),
}
