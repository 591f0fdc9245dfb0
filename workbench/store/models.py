"""peewee models of the book. Bound to a database by ``workbench.store.db.open_database``.

Money is stored as integer cents (exact, portable, sortable) and read back as Decimal. Fields named in
``workbench.rules.profile`` are columns of ``Client``; a test keeps the two lists in step.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

database = DatabaseProxy()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class MoneyField(BigIntegerField):
    """CNY stored as integer cents, read as Decimal with two places."""

    def db_value(self, value):
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value(ROUND_HALF_UP))

    def python_value(self, value):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()


class Client(BaseModel):
    client_no = CharField(null=True, unique=True)
    kind = CharField(default="individual")  # individual | corporate
    status = CharField(default="active")  # active | prospect | lost
    manager = CharField(default="")  # the owning manager's role in team mode
    name = CharField(index=True)  # a mention (@王芳) and `wb client 王芳` look names up exactly
    sort_key = CharField(default="", index=True)  # pinyin of the name, for sorting
    # profile (workbench.rules.profile)
    gender = CharField(null=True)
    id_number = CharField(null=True, index=True)
    phone = CharField(null=True, index=True)
    address = TextField(null=True)
    occupation = TextField(null=True)
    employer = TextField(null=True)
    income = TextField(null=True)
    family = TextField(null=True)
    hobbies = TextField(null=True)
    consumption = TextField(null=True)
    social_circle = TextField(null=True)
    risk_profile = CharField(null=True)
    asset_structure = TextField(null=True)
    transaction_habits = TextField(null=True)
    industry = TextField(null=True)
    founded_year = IntegerField(null=True)
    registered_capital = MoneyField(null=True)
    ownership = TextField(null=True)
    operations = TextField(null=True)
    funding = TextField(null=True)
    history = TextField(null=True)
    problems = TextField(null=True)
    financials = TextField(null=True)
    standing = TextField(null=True)
    suppliers_customers = TextField(null=True)
    other_banks = TextField(null=True)
    products_opened = TextField(null=True)
    next_needs = TextField(null=True)
    notes = TextField(null=True)
    # derived when data changes (workbench.services.figures), never per query
    tier = CharField(default="standard")
    tier_rank = SmallIntegerField(default=0)
    tier_pending = CharField(null=True)
    tier_pending_months = SmallIntegerField(default=0)
    aum = MoneyField(default=0, index=True)
    deposits = MoneyField(default=0)
    loans = MoneyField(default=0)
    balance_month = DateField(null=True)
    trend = CharField(null=True)
    trend_change = DoubleField(null=True)
    churn = BooleanField(default=False)
    churn_reason = CharField(null=True)
    completeness = SmallIntegerField(default=0)
    missing = TextField(default="")  # comma-separated field names
    last_contact = DateField(null=True)
    next_due = DateField(null=True, index=True)
    next_contact = DateField(null=True)  # an agreed next contact date; overrides the cadence
    # a prospect's way in (rules.lifecycle; schema version 9): where it came from, how to reach it, what next
    source = CharField(null=True)  # rules.lifecycle.SOURCES
    approach = CharField(null=True)  # rules.lifecycle.APPROACHES: the first-contact strategy
    next_step = TextField(null=True)
    next_step_date = DateField(null=True)  # a prospect is planned on it (not by cadence)
    converted_at = DateField(null=True)  # the day a prospect became a client
    # a lost client (流失): when, why, whether the loss was normal, and the tier it had then
    lost_at = DateField(null=True)
    lost_reason = TextField(null=True)
    lost_normal = BooleanField(null=True)
    lost_tier = CharField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        # Few indexes: each one is paid on every import. Lists show one status (active clients) sorted by tier
        # then AUM, and count it; the planner reads the most overdue clients of each tier (tier_rank,
        # next_due) and the week's load by next_due.
        indexes = ((("status", "tier_rank", "aum"), False), (("tier_rank", "next_due"), False))


class SearchKey(BaseModel):
    """Prefix-searchable keys of a client: name substrings, pinyin, initials, client number, phone tail."""

    key = CharField()
    client = ForeignKeyField(Client, backref="search_keys", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("key", "client")


class DecisionMaker(BaseModel):
    client = ForeignKeyField(Client, backref="decision_makers", on_delete="CASCADE")
    name = CharField()
    title = CharField(null=True)
    gender = CharField(null=True)
    age = IntegerField(null=True)
    education = CharField(null=True)
    family = TextField(null=True)
    hobbies = TextField(null=True)
    contact = TextField(null=True)  # how to reach them
    notes = TextField(null=True)


class Affiliate(BaseModel):
    client = ForeignKeyField(Client, backref="affiliates", on_delete="CASCADE")
    name = CharField()
    relation = CharField(null=True)  # parent, subsidiary, supplier, customer, same owner…
    related_client = ForeignKeyField(Client, null=True, on_delete="SET NULL", backref="affiliated_with")
    notes = TextField(null=True)


class Balance(BaseModel):
    """A monthly snapshot of the client's in-bank figures."""

    client = ForeignKeyField(Client, backref="balances", on_delete="CASCADE")
    month = DateField()  # the first day of the month the figures belong to
    aum = MoneyField(default=0)
    deposits = MoneyField(default=0)
    loans = MoneyField(default=0)
    deposits_avg = MoneyField(null=True)  # 月日均
    loans_cumulative = MoneyField(null=True)
    risk_loans = MoneyField(null=True)
    interest_receivable = MoneyField(null=True)

    class Meta:
        indexes = ((("client", "month"), True),)


class Holding(BaseModel):
    client = ForeignKeyField(Client, backref="holdings", on_delete="CASCADE")
    product = CharField()
    product_type = CharField(null=True)  # 定期存款, 大额存单, 理财, 基金, 保险…
    amount = MoneyField(default=0)
    start_date = DateField(null=True)
    maturity_date = DateField(null=True, index=True)
    status = CharField(default="held")  # held | matured | renewed | redeemed
    notes = TextField(null=True)

    class Meta:
        # The planner reads the week's maturities from this index alone (schema version 3).
        indexes = ((("maturity_date", "status", "amount", "client"), False),)


class KeyDate(BaseModel):
    client = ForeignKeyField(Client, backref="key_dates", on_delete="CASCADE")
    kind = CharField()  # birthday | anniversary | other
    calendar = CharField(default="solar")  # solar | lunar
    month = SmallIntegerField()
    day = SmallIntegerField()
    leap = BooleanField(default=False)  # a lunar leap month
    year = IntegerField(null=True)
    label = CharField(null=True)
    next_date = DateField(null=True, index=True)  # the next solar date it falls on, as of when it was saved

    class Meta:
        indexes = ((("month", "day"), False),)  # the planner looks up the days it needs (schema version 3)


class Contact(BaseModel):
    client = ForeignKeyField(Client, backref="contacts", on_delete="CASCADE")
    date = DateField(index=True)  # the month's coverage and today's contacts (schema version 3)
    channel = CharField()  # phone | visit | wechat | sms | email | event
    outcome = TextField(default="")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("client", "date"), False),)


class Visit(BaseModel):
    client = ForeignKeyField(Client, backref="visits", on_delete="CASCADE")
    date = DateField(index=True)
    stage = CharField(default="before")  # before | during | after | done
    goal = TextField(null=True)
    outcome = CharField(null=True)  # succeeded | partly | failed | postponed
    data = TextField(default="{}")  # the wizard's fields, saved as typed (JSON)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    finished_at = DateTimeField(null=True)


class Note(BaseModel):
    date = DateField(index=True)
    created_at = DateTimeField(default=now)
    text = TextField()
    kind = CharField(default="note", index=True)  # note | lesson
    status = CharField(default="inbox", index=True)  # inbox | filed | archived
    source = CharField(default="cli")  # cli | tui | visit | import
    # a lesson, from the journal's template
    situation = TextField(null=True)
    action = TextField(null=True)
    result = TextField(null=True)
    cause = TextField(null=True)
    next_time = TextField(null=True)
    visit = ForeignKeyField(Visit, null=True, backref="notes", on_delete="SET NULL")
    # who wrote it: in a team book the author's database role (set by the server; version 8), else NULL
    owner = CharField(null=True)


class NoteTag(BaseModel):
    note = ForeignKeyField(Note, backref="tags", on_delete="CASCADE")
    tag = CharField(index=True)

    class Meta:
        indexes = ((("note", "tag"), True),)


class NoteClient(BaseModel):
    """A client a note mentions; unresolved mentions (unknown or ambiguous) wait for triage."""

    note = ForeignKeyField(Note, backref="mentions", on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, backref="note_links", on_delete="CASCADE")
    mention = CharField(default="")
    resolved = BooleanField(default=True)


class FollowUp(BaseModel):
    client = ForeignKeyField(Client, backref="follow_ups", on_delete="CASCADE")
    due = DateField(index=True)
    text = TextField()
    done_at = DateTimeField(null=True)
    note = ForeignKeyField(Note, null=True, on_delete="SET NULL")
    visit = ForeignKeyField(Visit, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("done_at", "due"), False),)  # the planner's open follow-ups (schema version 3)


class Complaint(BaseModel):
    client = ForeignKeyField(Client, backref="complaints", on_delete="CASCADE")
    opened = DateField()
    text = TextField()
    step = CharField(default="安抚")  # 安抚 接受 判定 确定部门 解决方案 分析原因
    resolved_at = DateField(null=True)
    data = TextField(default="{}")  # the dated steps (JSON)

    class Meta:
        indexes = ((("resolved_at", "opened"), False),)  # the planner's open complaints (schema version 3)


class Referral(BaseModel):
    """Who introduced a client (or prospect) to the manager: one introducer per client (version 9)."""

    client = ForeignKeyField(Client, backref="referral", on_delete="CASCADE", unique=True)  # the one introduced
    referrer = ForeignKeyField(Client, backref="referred", on_delete="CASCADE")
    date = DateField()
    note = TextField(default="")
    thanked_at = DateField(null=True)  # when the thank-you follow-up was proposed (the referral converted)


class Event(BaseModel):
    """An appreciation evening, salon or client festival (答谢会, 沙龙, 客户节; version 9)."""

    name = CharField()
    kind = CharField(default="appreciation")  # rules.lifecycle.EVENT_KINDS
    date = DateField(index=True)
    place = TextField(default="")
    notes = TextField(default="")
    owner = CharField(null=True)  # in a team book the organising manager's role (set by the server), else NULL
    created_at = DateTimeField(default=now)


class Invitation(BaseModel):
    """A client invited to an event; attending is a contact (the contact it made is kept; version 9)."""

    event = ForeignKeyField(Event, backref="invitations", on_delete="CASCADE")
    client = ForeignKeyField(Client, backref="invitations", on_delete="CASCADE")
    invited_on = DateField()
    status = CharField(default="invited")  # invited | attended | absent | declined
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("event", "client"), True),)


class Holiday(BaseModel):
    """A local correction to the official calendar (schema version 2)."""

    day = DateField(primary_key=True)
    off = BooleanField()
    note = CharField(default="")


class PlanMark(BaseModel):
    """A planned contact put off (snooze: until ``until``) or skipped for one day, with the reason (version 3)."""

    client = ForeignKeyField(Client, backref="plan_marks", on_delete="CASCADE")
    day = DateField(index=True)  # the day it was marked
    action = CharField()  # snooze | skip
    until = DateField(index=True)  # the first day the client may be planned again
    reason = TextField(default="")
    created_at = DateTimeField(default=now)


class SearchDoc(BaseModel):
    """A searchable text: a note, a lesson or a contact's outcome (store.fulltext indexes it; version 4).
    Derived from those tables, so exports leave it out and imports rebuild it."""

    kind = CharField()  # note | lesson | contact
    ref_id = IntegerField()
    client_id = IntegerField(null=True)  # the linked client, for showing results
    date = DateField(null=True)
    text = TextField()

    class Meta:
        indexes = ((("kind", "ref_id"), False),)


class Audit(BaseModel):
    """Who was shown, or took away, phone and ID numbers unmasked, and when (schema version 6)."""

    at = DateTimeField(default=now, index=True)
    who = CharField()  # the login (and on PostgreSQL the database role)
    action = CharField()  # reveal.list | reveal.client | reveal.export | export.all
    detail = TextField(default="")
    client_id = IntegerField(null=True)  # not a foreign key: the record outlives the client
    role = CharField(null=True)  # in a team book the database role, set by the server (version 8)


class Handover(BaseModel):
    """A client handed from one manager to another by a lead, in a team book (version 8)."""

    at = DateTimeField(default=now)
    client_id = IntegerField(index=True)  # not a foreign key: the record outlives the client
    from_manager = CharField()
    to_manager = CharField()
    by_role = CharField(default="")  # the lead who did it (set by the server)
    note_id = IntegerField(null=True)  # the handover brief left in the receiving manager's inbox


MODELS: tuple[type[BaseModel], ...] = (
    Meta,
    Client,
    SearchKey,
    DecisionMaker,
    Affiliate,
    Balance,
    Holding,
    KeyDate,
    Contact,
    Visit,
    Note,
    NoteTag,
    NoteClient,
    FollowUp,
    Complaint,
    Holiday,
    PlanMark,
    SearchDoc,
    Audit,
    Handover,
    Referral,
    Event,
    Invitation,
)
