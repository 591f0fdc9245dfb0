"""Names, companies, addresses and identity numbers for the demo book that look like a real branch's.

A mixin of the demo generator: it uses the generator's random source (``r``, ``pick``, ``choose``) and the
sets that keep phones and ID numbers unique.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from workbench.rules.identity import id_check_digit
from workbench.services import demo_data as V

USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # unified social credit code alphabet and weights (GB 32100)
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # the organisation code's own check digit (GB 11714)


class People:
    def person(self, male: bool, surname: str = "") -> str:
        if self.r() < 0.8:
            given = self.choose(self.given[male])
        else:
            pool = V.MALE_CHARS if male else V.FEMALE_CHARS
            given = self.pick(pool + V.SHARED_CHARS) + self.pick(pool)
        return (surname or self.choose(self.surnames)) + given

    def company(self) -> str:
        for attempt in range(100):  # a second word in the name once single words run short
            word = self.pick(V.COMPANY_WORDS) + (self.pick(V.COMPANY_WORDS) if attempt > 3 else "")
            trade, industry = self.pick(V.INDUSTRIES)
            name = f"{self.pick(V.COMPANY_CITIES)}{word}{trade}{self.choose(self.suffixes)}"
            if name not in self.industry_of:
                break
        self.industry_of[name] = industry
        return name

    def address(self) -> str:
        r, (district, streets) = self.r, self.pick(V.DISTRICTS)
        return (
            f"杭州市{district}{self.pick(streets)}{1 + int(r() * 300)}号{self.pick(V.COMPOUNDS)}"
            f"{1 + int(r() * 20)}幢{1 + int(r() * 3)}单元{1 + int(r() * 18)}0{1 + int(r() * 4)}室"
        )

    @staticmethod
    def unique(seen: set[str], make: Callable[[], str]) -> str:
        value = make()
        while value in seen:
            value = make()
        seen.add(value)
        return value

    def mobile(self) -> str:
        return self.unique(self.phones, lambda: f"{self.pick(V.MOBILE_PREFIXES)}{int(self.r() * 1e8):08d}")

    def resident_id(self, birth: dt.date, male: bool) -> str:
        born = birth.isoformat().replace("-", "")

        def make() -> str:
            head = f"{self.choose(self.areas)}{born}{int(self.r() * 500) * 2 + male:03d}"
            return head + id_check_digit(head)

        return self.unique(self.ids, make)

    def credit_code(self) -> str:
        def make() -> str:
            org = f"{int(self.r() * 1e8):08d}"
            check = 11 - sum(int(c) * w for c, w in zip(org, ORG_WEIGHTS, strict=True)) % 11
            head = f"913301{self.pick(('02', '05', '06', '08', '09', '10'))}{org}{'0123456789X0'[check]}"
            total = sum(USCC.index(c) * w for c, w in zip(head, USCC_WEIGHTS, strict=True))
            return head + USCC[-total % 31]

        return self.unique(self.ids, make)
