"""One client, whole: profile with its gaps, figures and their history, holdings, key dates, contacts,
decision makers and affiliates. Editing a profile field validates it and refreshes the stored figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from workbench.errors import BadInput, NotFound
from workbench.rules import identity, profile
from workbench.rules.keydates import KeyDay
from workbench.rules.money import json_amount
from workbench.services import figures as figures_service
from workbench.services import lifecycle
from workbench.services.lifecycle import Life
from workbench.services.settings import today as _today
from workbench.store.db import transaction
from workbench.store.models import Affiliate, Balance, Client, Contact, DecisionMaker, Holding, KeyDate, now

SECRET_FIELDS = {"phone": identity.mask_phone, "id_number": identity.mask_id}


@dataclass(frozen=True)
class ProfileField:
    name: str
    value: str  # as shown (masked when secret and not revealed); "" when missing
    missing: bool  # counts for completeness and is empty
    editable: bool
    kind: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class BalanceRow:
    month: dt.date
    aum: Decimal
    deposits: Decimal
    loans: Decimal


@dataclass(frozen=True)
class HoldingRow:
    product: str
    product_type: str | None
    amount: Decimal
    maturity_date: dt.date | None
    days_left: int | None


@dataclass(frozen=True)
class KeyDateRow:
    kind: str
    calendar: str
    month: int
    day: int
    leap: bool
    label: str  # 农历八月十五 / 3月7日
    next_date: dt.date | None
    days_left: int | None


@dataclass(frozen=True)
class ContactRow:
    date: dt.date
    channel: str
    outcome: str


@dataclass(frozen=True)
class PersonRow:
    name: str
    title: str | None
    contact: str | None
    notes: str | None


@dataclass(frozen=True)
class ClientView:
    id: int
    client_no: str | None
    name: str
    kind: str
    status: str
    tier: str
    tier_pending: str | None
    tier_pending_months: int
    aum: Decimal
    deposits: Decimal
    loans: Decimal
    balance_month: dt.date | None
    trend: str | None
    trend_change: float | None
    churn: bool
    churn_reason: str | None
    completeness: int
    missing: list[str]
    last_contact: dt.date | None
    next_due: dt.date | None
    revealed: bool
    profile: list[ProfileField] = field(default_factory=list)
    balances: list[BalanceRow] = field(default_factory=list)
    holdings: list[HoldingRow] = field(default_factory=list)
    key_dates: list[KeyDateRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    contacts_total: int = 0
    decision_makers: list[PersonRow] = field(default_factory=list)
    affiliates: list[PersonRow] = field(default_factory=list)
    life: Life | None = None  # prospect, referrals, events, loss (services.lifecycle)

    def as_json(self) -> dict[str, object]:
        def conv(value: object) -> object:
            if isinstance(value, Decimal):
                return json_amount(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [conv(v) for v in value]
            return value

        data = conv(asdict(self))
        assert isinstance(data, dict)
        data["profile"] = {p["name"]: (p["value"] or None) for p in data["profile"]}
        data["life"] = self.life.as_json() if self.life else None
        return data


def client_view(
    client_id: int, *, reveal: bool = False, today: dt.date | None = None, contacts_limit: int = 50
) -> ClientView:
    today = today or _today()
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client with id {client_id}")
    if reveal:
        from workbench.services import audit

        audit.record("reveal.client", client.client_no or "", client_id=client_id)
    missing = [m for m in (client.missing or "").split(",") if m]
    fields = []
    for f in profile.fields_for(client.kind):
        if f.related:
            fields.append(ProfileField(f.name, "", f.name in missing, False, f.kind))
            continue
        raw = getattr(client, f.name)
        shown = "" if raw is None else str(raw)
        if shown and f.name in SECRET_FIELDS and not reveal:
            shown = SECRET_FIELDS[f.name](shown)
        fields.append(ProfileField(f.name, shown, f.name in missing, True, f.kind, f.choices))
    balances = [
        BalanceRow(b.month, b.aum, b.deposits, b.loans)
        for b in Balance.select().where(Balance.client == client_id).order_by(Balance.month)
    ]
    holdings = [
        HoldingRow(
            h.product,
            h.product_type,
            h.amount,
            h.maturity_date,
            (h.maturity_date - today).days if h.maturity_date else None,
        )
        for h in Holding.select()
        .where(Holding.client == client_id, Holding.status == "held")
        .order_by(Holding.maturity_date.asc(nulls="LAST"), Holding.product)
    ]
    key_dates = []
    for k in KeyDate.select().where(KeyDate.client == client_id):
        day = KeyDay(k.kind, k.calendar, k.month, k.day, bool(k.leap), k.year)
        nxt = day.next_date(today)
        key_dates.append(
            KeyDateRow(
                k.kind,
                k.calendar,
                k.month,
                k.day,
                bool(k.leap),
                day.label(),
                nxt,
                (nxt - today).days if nxt else None,
            )
        )
    key_dates.sort(key=lambda r: (r.days_left is None, r.days_left or 0))
    contact_q = Contact.select().where(Contact.client == client_id)
    contacts = [
        ContactRow(c.date, c.channel, c.outcome)
        for c in contact_q.order_by(Contact.date.desc(), Contact.id.desc()).limit(contacts_limit)
    ]

    def secret(text: str | None) -> str | None:
        return text if reveal or not text else identity.mask_in_text(text)

    dms = [
        PersonRow(d.name, d.title, secret(d.contact), secret(d.notes))
        for d in DecisionMaker.select().where(DecisionMaker.client == client_id)
    ]
    affs = [
        PersonRow(a.name, a.relation, None, a.notes) for a in Affiliate.select().where(Affiliate.client == client_id)
    ]
    return ClientView(
        id=client.id,
        client_no=client.client_no,
        name=client.name,
        kind=client.kind,
        status=client.status,
        tier=client.tier,
        tier_pending=client.tier_pending,
        tier_pending_months=client.tier_pending_months,
        aum=client.aum,
        deposits=client.deposits,
        loans=client.loans,
        balance_month=client.balance_month,
        trend=client.trend,
        trend_change=client.trend_change,
        churn=bool(client.churn),
        churn_reason=client.churn_reason,
        completeness=client.completeness,
        missing=missing,
        last_contact=client.last_contact,
        next_due=client.next_due,
        revealed=reveal,
        profile=fields,
        balances=balances,
        holdings=holdings,
        key_dates=key_dates,
        contacts=contacts,
        contacts_total=contact_q.count(),
        decision_makers=dms,
        affiliates=affs,
        life=lifecycle.life(client.id),
    )


def update_field(client_id: int, field_name: str, raw: str, *, today: dt.date | None = None) -> ClientView:
    """Validate and save one profile field; raise BadInput naming the field when the value is wrong."""
    try:
        value = profile.validate(field_name, raw)
    except ValueError as exc:
        f = profile.BY_NAME.get(field_name)
        raise BadInput(exc, column=f.label("zh") if f else field_name, value=raw) from None
    with transaction():
        updated = (
            Client.update({getattr(Client, field_name): value, Client.updated_at: now()})
            .where(Client.id == client_id)
            .execute()
        )
        if not updated:
            raise NotFound(f"no client with id {client_id}")
        figures_service.refresh([client_id], today=today or _today())
    return client_view(client_id, today=today)
