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
    if entry is None and key.startswith("tui."):
        from workbench.i18n_tui import TUI  # the interface's words, loaded by the first one asked for

        entry = TUI.get(key)
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
        "{balances} 条月度余额，{holdings} 笔持有产品，{contacts} 条联系记录，{visits} 次拜访，{notes} 条笔记，"
        "另有目标客户 {prospects} 位、今年流失 {lost} 位、转介绍 {referrals} 位、活动 {events} 场，"
        "用时 {seconds:.1f} 秒",
        "Demo book made: {clients} clients ({individuals} individual, {corporates} corporate), "
        "{balances} monthly balances, {holdings} holdings, {contacts} contacts, {visits} visits, {notes} notes; "
        "besides, {prospects} prospects, {lost} lost this year, {referrals} referred, {events} events; "
        "in {seconds:.1f} s",
    ),
    "book.rerated": (
        "设置已变更：已按新设置为 {n} 位客户重新评定层级和联系周期",
        "settings changed: tiers and contact cadence re-rated for {n} clients",
    ),
    "cli.config_no_editor": (
        "找不到编辑器：请设置 EDITOR 环境变量（如 EDITOR=nano）",
        "no editor found: set EDITOR (e.g. EDITOR=nano)",
    ),
    "cli.config_editor_failed": ("编辑器 {editor} 未能运行：{why}", "the editor {editor} did not run: {why}"),
    "cli.config_again": ("再次编辑？[Y/n] ", "Edit it again? [Y/n] "),
    "cli.config_kept": (
        "设置文件 {path} 保留了你写的内容；改正后再用",
        "{path} keeps what you wrote; correct it before the next command",
    ),
    "cli.config_saved": (
        "设置已检查并保存：{path}（层级或联系周期的改动会在下次打开客户簿时重新评定）",
        "settings checked and saved: {path} (changed tiers or cadence are re-rated when the book is next opened)",
    ),
    "report.title": ("客户经理月报 {month}", "Relationship manager's report, {month}"),
    "report.as_of": ("数据截至 {day}", "Figures as of {day}"),
    "report.tiers": ("分层客户与资产", "Clients and AUM by tier"),
    "report.col.tier": ("层级", "Tier"),
    "report.col.clients": ("客户数", "Clients"),
    "report.col.month": ("较上月", "vs last month"),
    "report.col.quarter": ("较上季", "vs a quarter ago"),
    "report.col.aum": ("金融资产", "AUM"),
    "report.col.aum_month": ("资产较上月", "AUM vs last month"),
    "report.col.aum_quarter": ("资产较上季", "AUM vs a quarter ago"),
    "report.total": ("合计", "Total"),
    "report.moves": ("层级变动", "Tier moves"),
    "report.move.up": ("升级", "Up"),
    "report.move.pending": ("待降级", "Pending down"),
    "report.move.down": ("降级", "Down"),
    "report.coverage": ("联系覆盖", "Coverage"),
    "report.coverage_line": (
        "本月联系 {made} 次 · 计划 {planned} 次 · 月目标 {target} 次（已过工作日 {gone}/{days}）",
        "Contacts made {made} · planned {planned} · monthly target {target} (workdays {gone}/{days})",
    ),
    "report.made": ("已联系", "made"),
    "report.planned": ("计划", "planned"),
    "report.target": ("目标", "target"),
    "report.outside": ("超出联系周期的客户：{list}", "Clients past their interval: {list}"),
    "report.churn": ("流失预警（{n} 位）", "Churn watch ({n})"),
    "report.completeness": ("档案完整度", "Profile completeness"),
    "report.missing": ("最常缺的信息：{list}", "Most often missing: {list}"),
    "report.pipeline": ("销售进度", "Pipeline by sales stage"),
    "report.lessons": ("经验教训", "Lessons"),
    "report.lessons_line": ("本月写下 {n} 条经验教训", "{n} lessons written this month"),
    "report.aum_history": ("近 12 个月金融资产", "AUM over the last 12 months"),
    "cli.report_done": ("已写入 {path}", "Wrote {path}"),
    "cli.import_done": (
        "{file}：{rows} 行 — 新增 {created}，更新 {updated}，未变 {unchanged}",
        "{file}: {rows} rows — {created} created, {updated} updated, {unchanged} unchanged",
    ),
    "cli.import_dry": ("（试运行：未写入任何数据）", "(dry run: nothing written)"),
    "cli.bad_rows": ("{n} 行有误，未导入任何数据：", "{n} bad rows; nothing was imported:"),
    "cli.warning": ("提示", "warning"),
    "cli.team_ready": (
        "团队库已就绪：{n} 张表由数据库按行保护（客户经理只见自己的客户，组长见全组）",
        "Team database ready: {n} tables protected row by row by the database (managers see their own clients, "
        "leads the team)",
    ),
    "cli.team_added": ("已添加客户经理 {name}{lead}", "Added manager {name}{lead}"),
    "cli.team_updated": ("已更新 {name}{lead}", "Updated {name}{lead}"),
    "cli.team_lead": ("（组长）", " (lead)"),
    "cli.migrated": ("已复制 {n} 条记录到 {target}，归你名下：", "Copied {n} records into {target}, as yours:"),
    "cli.migrate_skipped": (
        "  {table}：{n} 条未复制（团队库中由组长维护）",
        "  {table}: {n} not copied (kept by the lead in a team database)",
    ),
    "cli.team_none": ("团队还没有成员：用 wb team add 名字 添加", "The team has no members yet: wb team add NAME"),
    "cli.password_prompt": ("{name} 的登录密码（不回显）：", "Login password for {name} (not shown): "),
    "cli.password_again": ("再输入一次：", "Again: "),
    "cli.password_mismatch": ("两次输入的密码不一致，未作更改", "The two passwords differ; nothing was changed"),
    "cli.handover_lead_only": (
        "只有组长可以移交客户（你是 {role}）；数据库同样会拒绝",
        "Only a lead hands clients over (you are {role}); the database refuses it too",
    ),
    "cli.handover_done": (
        "已把 {n} 位客户从 {frm} 移交给 {to}；每位客户的交接简报已放入 {to} 的收件箱",
        "Handed {n} clients from {frm} to {to}; a handover brief for each is in {to}'s inbox",
    ),
    "cli.error": ("错误", "error"),
    "cli.backup_done": ("已备份到 {path}（完整性检查通过）", "Backed up to {path} (integrity check ok)"),
    "cli.restore_done": (
        "已从 {file} 恢复；原客户簿保存在 {aside}",
        "Restored from {file}; the previous book is kept at {aside}",
    ),
    "cli.export_done": ("已导出 {n} 条到 {path}", "Exported {n} records to {path}"),
    "cli.check_ok": ("完整性检查：正常", "Integrity check: ok"),
    "cli.audit_none": ("还没有显示或导出过明文号码", "No phone or ID numbers have been shown or exported unmasked"),
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
    "cli.brief_written": ("简报已写入 {path}", "Brief written to {path}"),
    "cli.complaint_row": (
        "投诉 #{id} · {client} · 当前步骤：{step} · {text}",
        "Complaint #{id} · {client} · step: {step} · {text}",
    ),
    "cli.complaint_lesson": ("原因分析已记为教训 #{id}", "The cause is filed as lesson #{id}"),
    "cli.complaint_resolved": ("{day} 已解决", "resolved {day}"),
    "cli.complaints_none": ("没有投诉", "No complaints"),
    "cli.cancelled": ("已取消", "Cancelled"),
    "cli.export_masked": (
        "电话和证件号码已遮蔽；如需再次导入，请加 --reveal 导出",
        "Phone and ID numbers are masked; export with --reveal for a file you will re-import",
    ),
    "cli.life.prospect_added": ("已添加目标客户 {name}", "Added prospect {name}"),
    "cli.life.prospect_set": ("已更新目标客户 {name}", "Updated prospect {name}"),
    "cli.life.converted": ("{name} 已转为客户（历史记录保留）", "{name} is now a client (history kept)"),
    "cli.life.thanks": ("已为 {referrer} 建立感谢跟进：{text}", "Thank-you follow-up for {referrer}: {text}"),
    "cli.life.referred_by": ("介绍人：{referrer}", "Referred by {referrer}"),
    "cli.life.no_referrer": ("没有介绍人记录", "No referrer recorded"),
    "cli.life.no_prospects": ("没有目标客户", "No prospects"),
    "cli.life.ask_reason": ("流失原因：", "Why was the client lost? "),
    "cli.life.ask_normal": ("是否正常流失（迁居、身故等）？[y/N] ", "Was it a normal loss (moved away, death)? [y/N] "),
    "cli.life.lost": (
        "{name} 已标记为流失（历史记录保留，不再列入计划和分层统计）",
        "{name} is marked lost (history kept; out of the plan and the tier counts)",
    ),
    "cli.life.won_back": ("{name} 已挽回，重新按节奏维护", "{name} is won back and planned by cadence again"),
    "cli.life.referral": ("已记录：{referrer} 介绍了 {name}", "Recorded: {referrer} referred {name}"),
    "cli.life.no_referrals": ("还没有转介绍记录", "No referrals recorded yet"),
    "cli.life.referrer_row": (
        "{name}：介绍 {n} 人，成交 {won} 人，带来资产 {aum}",
        "{name}: referred {n}, {won} became clients, bringing {aum}",
    ),
    "cli.life.event_added": ("活动 #{id} {name}（{date}）已创建", "Event #{id} {name} ({date}) added"),
    "cli.life.invited": ("选中 {chosen} 位，新邀请 {new} 位", "{chosen} chosen, {new} newly invited"),
    "cli.life.would_invite": ("将邀请 {n} 位（未保存）", "Would invite {n} (nothing saved)"),
    "cli.life.recorded": ("已记录 {n} 位", "Recorded {n}"),
    "cli.life.no_events": ("没有活动", "No events"),
    "cli.life.event_counts": ("邀请 {invited} 位，出席 {came} 位", "{invited} invited, {came} came"),
    "status.active": ("客户", "client"),
    "col.next_step": ("下一步", "Next step"),
    "col.source": ("来源", "Source"),
    "col.lost_tier": ("流失时层级", "Tier then"),
    "col.lost_at": ("流失日", "Lost on"),
    "col.lost_reason": ("原因", "Why"),
    "col.next_step_text": ("下一步做什么", "What next"),
    "life.prospect": (
        "目标客户 · 来源：{source} · 首次接触：{approach} · 下一步：{step}（{date}）",
        "Prospect · source: {source} · approach: {approach} · next step: {step} ({date})",
    ),
    "life.converted": ("{date} 由目标客户转为客户", "Became a client on {date}"),
    "life.lost": ("已流失 {date}：{reason}（{normal}）", "Lost on {date}: {reason} ({normal})"),
    "life.normal": ("正常", "normal"),
    "life.abnormal": ("非正常", "abnormal"),
    "life.referred_by": ("介绍人：{name}", "Referred by {name}"),
    "life.referred": ("介绍了 {n} 位：{names}", "Referred {n}: {names}"),
    "life.events": ("活动：{list}", "Events: {list}"),
    "report.movement": ("客户进出", "Clients won and lost"),
    "report.movement_line": (
        "目标客户 {prospects} 位；本月新增 {added} 位，转化 {converted} 位；流失 {lost} 位（非正常 {abnormal} 位）",
        "{prospects} prospects; this month {added} added, {converted} converted; {lost} lost ({abnormal} abnormal)",
    ),
    "report.key_fields": ("中高端客户关键信息", "Key fields of mid- and high-tier clients"),
    "report.key_fields_line": (
        "地址、电话、工作单位齐全：{pct}%（{complete}/{n}）· {fields}",
        "Address, phone and employer all recorded: {pct}% ({complete}/{n}) · {fields}",
    ),
    "report.referrers": ("转介绍贡献", "Referrers"),
    "report.referrer": ("{name}：介绍 {n} 人，成交 {won} 人，资产 {aum}", "{name}: referred {n}, {won} won, {aum}"),
    "report.losses": ("年内白金及以上客户非正常流失（{n}）", "Abnormal losses of 白金 and above this year ({n})"),
    "report.loss_abnormal": ("非正常", "abnormal"),
    "report.loss_unsaid": ("未说明", "not said"),
    "report.loss_contact": ("联系", "contact"),
    "report.loss_no_contact": ("流失前没有联系记录", "no contact on record"),
    "report.loss_complaint": ("未结投诉", "open complaint"),
    "report.loss_balances": ("资产", "AUM"),
    "report.loss_falling": ("（持续下降）", "(falling)"),
    "report.none": ("无", "none"),
    "cli.today_ask": ("顺便补全：{question}", "while there, ask: {question}"),
    "status.prospect": ("目标客户", "prospect"),
    "status.lost": ("已流失", "lost"),
}
