"""The demo newsroom's reader revenue: the Support page (in all eight languages), the Support
settings, a campaign with a goal meter, and a few hundred invented supporters with their gifts.

Called by the newsroom's demo loader (`manage.py load_demo`) once the front page has its
translations. Like the rest of the demo it only ever adds what is missing: the page by type,
the campaign by slug, and each supporter by their demo address, so running it again creates
nothing, and a demo supporter someone deleted comes back (same name, ids and amounts).

Every supporter is plainly fake: addresses `demo-supporter-NNN@example.invalid`, Stripe ids
`sub_demo_…`, `in_demo_…` and `pi_demo_…`, and test mode (`livemode=False`), so they count only
while the site has no Stripe key or a test key. With a live key nothing fake is added (no
supporters, no campaign, no fictional receipt details): only the Support page itself.
"""

from __future__ import annotations

import json
import logging
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from masthead.newsroom.demo.human_translations import (
    DemoTranslationError,
    save_human_translation,
)
from masthead.supporters import figures, money, stripe_api
from masthead.supporters.models import (
    ANNUAL,
    MONTH,
    MONTHLY,
    ONE_TIME,
    YEAR,
    Campaign,
    Donor,
    Gift,
    RecurringDonation,
    SupportPage,
    SupportSettings,
)
from masthead.supporters.reports import add_months

logger = logging.getLogger(__name__)

TRANSLATIONS_FILE = Path(__file__).resolve().parent / "demo_translations.json"

SUPPORT_PAGE = {
    "title": "Keep The Hemisphere Ledger independent",
    "slug": "support",
    "intro": (
        "The Hemisphere Ledger has no owner, no advertisers and no paywall. Our investigations "
        "are paid for by readers who give what they can, once or every month. If our work has "
        "been useful to you, join them."
    ),
    "where_the_money_goes": (
        "<p>Every gift goes into the reporting. This is how the budget of a typical year "
        "divides:</p>"
        "<ul>"
        "<li><b>About two thirds</b> pays the salaries of our five reporters and editors, and "
        "fair rates for the freelancers we work with in Peru, Chile and Colombia.</li>"
        "<li><b>About a sixth</b> buys the records: access-to-information fees, court "
        "transcripts, company registry searches and the translation of documents.</li>"
        "<li><b>About a tenth</b> pays for legal review before publication, so that we can name "
        "the powerful without being silenced by them.</li>"
        "<li><b>The rest</b> keeps the newsroom running: secure tools for our sources, this "
        "website and an independent audit every year.</li>"
        "</ul>"
        "<p>We publish our audited accounts every April. We never sell or share the names of "
        "our supporters, and we take no money from governments, political parties or the "
        "companies we report on.</p>"
    ),
}

RECEIPT_DETAILS = {
    "legal_name": "Hemisphere Ledger Reporting Society (a fictional demo organisation)",
    "postal_address": (
        "Suite 000, 100 Example Street\nNowhere, ON X0X 0X0\nCanada\n"
        "(an invented address: this is demo data)"
    ),
    "receipt_note": (
        "This is a demo receipt from a fictional newsroom. The Hemisphere Ledger Reporting "
        "Society is not a registered charity and cannot issue tax receipts. No goods or services "
        "were provided in exchange for this gift."
    ),
}

CAMPAIGN = {"name": "Winter appeal 2026", "slug": "winter-appeal-2026"}
CAMPAIGN_STARTED_DAYS_AGO = 20  # the appeal runs from three weeks before the demo is loaded…
CAMPAIGN_RUNS_DAYS = 60  # …for two months

# How many invented people gave, and how. The counted supporters are the active, past-due and
# ending ones (402 here): a plausible number for a five-person, reader-funded newsroom.
ACTIVE, PAST_DUE, ENDING, CHURNED, ONE_TIME_ONLY = (
    "active",
    "past_due",
    "ending",
    "churned",
    "one_time_only",
)
PLAN = {ACTIVE: 384, PAST_DUE: 11, ENDING: 7, CHURNED: 46, ONE_TIME_ONLY: 72}
HISTORY_DAYS = 425  # the oldest donation started about 14 months before the demo was loaded
SEED = "the-hemisphere-ledger-supporters"

MONTHLY_AMOUNTS = [5, 5, 5, 7, 10, 10, 10, 10, 12, 15, 15, 20, 20, 20, 25, 30, 50, 50, 100]
ANNUAL_AMOUNTS = [50, 60, 100, 100, 100, 120, 150, 200, 200, 250, 500, 1000]
ONE_TIME_AMOUNTS = [10, 15, 20, 25, 25, 25, 40, 50, 50, 75, 100, 100, 250, 500]
LANGUAGES = ["en"] * 11 + ["es"] * 3 + ["fr"] * 2 + ["pt", "pt", "de", "it", "ru", "zh-hans"]

GIVEN_NAMES = (  # noqa: SIM905 - easier to read as prose
    "Amara Benoît Camila Dariusz Elena Farid Gabriela Hiroshi Ingrid Joaquín Kalinda Léa "
    "Mateus Nadia Oluwaseun Priya Quentin Rosa Siobhan Tomás Ulrike Valentina Wen Ximena "
    "Yusuf Zofia Aiyana Bruno Chloé Dmitri Esperanza Fionnuala Gustavo Hana Isidro Jonas "
    "Keanu Lucía Marcel Noor Océane Pilar Rafael Sunita Thabo Uriel Violeta Wiremu Xiadani "
    "Yara Zeynep"
).split()
FAMILY_NAMES = (  # noqa: SIM905 - easier to read as prose
    "Abernathy Bélanger Castillo Dubois Esposito Fairweather Gallagher Huarachi Ishikawa "
    "Jovanović Kowalczyk Lindqvist Mbeki Nakamura Okonkwo Paquette Quispe Rinaldi Sandoval "
    "Tremblay Ueda Villanueva Whitehorse Xu Yilmaz Zamora Arsenault Bjornson Cardinal "
    "Desrosiers Echeverría Fontaine Guzmán Halvorsen Iturbide Jaramillo Kowalski Lachance "
    "Moreau Nguyen Oyelaran Pereira Rocha Silva Thibodeau Urquhart Vasquez Wojcik Ybarra Zhou"
).split()


@dataclass
class Planned:
    """One invented supporter: the donor, their recurring donation (if any) and their gifts."""

    number: int
    kind: str
    donor: Donor
    donation: RecurringDonation | None = None
    gifts: list[Gift] = field(default_factory=list)

    @property
    def email(self) -> str:
        return demo_email(self.number)


def demo_email(number: int) -> str:
    return f"demo-supporter-{number:03d}@example.invalid"


def load_demo_supporters(
    home: Page, articles: Iterable[Page], now: datetime | None = None
) -> list[str]:
    """Add what is missing of the demo's donations; returns what was added (for the report)."""
    now = now or timezone.now()
    created: list[str] = []
    page = support_page(home, created)
    created += translate_support_page(page)
    if stripe_api.livemode():
        # A site taking real money gets no fictional receipts, campaign or supporters.
        return created
    site = Site.objects.filter(root_page=home).first() or Site.objects.get(is_default_site=True)
    support_settings = receipt_details(site, created)
    added = supporters(support_settings.currency, articles, now)
    campaign = winter_appeal(now, created)
    if added:
        attribute_to_campaign(added, campaign)
        save_supporters(added)
        created.append(f"{len(added)} demo supporters and donors")
    figures.refresh()
    return created


# --- The Support page ------------------------------------------------------------------------


def support_page(home: Page, created: list[str]) -> SupportPage:
    """The Support page under the front page (whatever an editor has made of it since)."""
    page = SupportPage.objects.child_of(home).first()
    if page:
        return page
    page = SupportPage(**SUPPORT_PAGE)
    home.add_child(instance=page)
    page.save_revision().publish()
    created.append(f"support page {page.title!r}")
    return page


def load_translations() -> dict[str, dict]:
    return json.loads(TRANSLATIONS_FILE.read_text(encoding="utf-8"))


def translate_support_page(page: SupportPage) -> list[str]:
    """Each language's human translation of the Support page, where missing (and where the
    front page reads in that language, as the Support page lives under it)."""
    added = []
    home = page.get_parent()
    for code, text in sorted(load_translations().items()):
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None or page.get_translation_or_none(locale) is not None:
            continue
        if not page.live or home.get_translation_or_none(locale) is None:
            continue
        try:
            with transaction.atomic():
                save_human_translation(page, locale, lambda copy, t=text: _translated(copy, t))
        except DemoTranslationError:
            # An editor has reshaped the page since: the demo's words no longer fit it.
            logger.warning("The demo's %s Support page no longer fits the page; skipped.", code)
            continue
        added.append(f"{code} translation of {page.title}")
    return added


def _translated(copy: SupportPage, text: dict) -> SupportPage:
    copy.title = text["title"]
    copy.intro = text["intro"]
    copy.where_the_money_goes = text["where_the_money_goes"]
    return copy


# --- Settings and the campaign ---------------------------------------------------------------


def receipt_details(site: Site, created: list[str]) -> SupportSettings:
    """Fictional receipt details, in the fields an editor hasn't filled in."""
    support_settings = SupportSettings.for_site(site)
    missing = [name for name in RECEIPT_DETAILS if not getattr(support_settings, name)]
    for name in missing:
        setattr(support_settings, name, RECEIPT_DETAILS[name])
    if missing:
        support_settings.save()
        created.append("support settings (fictional receipt details)")
    return support_settings


def winter_appeal(now: datetime, created: list[str]) -> Campaign:
    """The appeal with a supporter goal a little above the demo's count, shown as a meter."""
    campaign = Campaign.objects.filter(slug=CAMPAIGN["slug"]).first()
    if campaign:
        return campaign
    counted = PLAN[ACTIVE] + PLAN[PAST_DUE] + PLAN[ENDING]
    starts_on = timezone.localdate(now) - timedelta(days=CAMPAIGN_STARTED_DAYS_AGO)
    campaign = Campaign.objects.create(
        **CAMPAIGN,
        goal_kind=Campaign.SUPPORTERS,
        goal=math.ceil((counted + 30) / 25) * 25,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=CAMPAIGN_RUNS_DAYS),
        show_meter=True,
    )
    created.append(f"campaign {campaign.name!r}")
    return campaign


# --- The supporters --------------------------------------------------------------------------


def supporters(currency: str, articles: Iterable[Page], now: datetime) -> list[Planned]:
    """The demo supporters not in the database yet (all of them, the first time).

    The whole cast is drawn from a fixed seed, so every run plans the same people; who is
    already there is recognised by address."""
    chance = random.Random(SEED)  # noqa: S311 - invented data, not security
    kinds = [kind for kind, how_many in PLAN.items() for _ in range(how_many)]
    chance.shuffle(kinds)
    sources = Sources(articles)
    planned = [
        plan_supporter(number, kind, chance, currency, sources, now)
        for number, kind in enumerate(kinds, start=1)
    ]
    existing = set(
        Donor.objects.filter(
            email__endswith="@example.invalid", email__startswith="demo-"
        ).values_list("email", flat=True)
    )
    taken_subscriptions = set(
        RecurringDonation.objects.filter(stripe_id__startswith="sub_demo_").values_list(
            "stripe_id", flat=True
        )
    )
    return [
        plan
        for plan in planned
        if plan.email not in existing
        and (plan.donation is None or plan.donation.stripe_id not in taken_subscriptions)
    ]


def plan_supporter(
    number: int,
    kind: str,
    chance: random.Random,
    currency: str,
    sources: Sources,
    now: datetime,
) -> Planned:
    """One supporter's story, drawn from `chance` (the same every run for the same seed)."""
    language = chance.choice(LANGUAGES)
    name = f"{chance.choice(GIVEN_NAMES)} {chance.choice(FAMILY_NAMES)}"
    donor = Donor(email=demo_email(number), name=name, language=language)
    plan = Planned(number, kind, donor)
    if kind == ONE_TIME_ONLY:
        first = now - timedelta(days=chance.uniform(1, HISTORY_DAYS))
        donor.created_at = first
        times = [first]
        if chance.random() < 0.25:  # came back once
            times.append(first + (now - first) * chance.uniform(0.3, 0.95))
        for order, paid_at in enumerate(times, start=1):
            plan.gifts.append(
                _one_time_gift(plan, order, paid_at, chance, currency, sources, language)
            )
        return plan

    annual = kind in (ACTIVE, ENDING) and chance.random() < 0.18
    interval = YEAR if annual else MONTH
    major = chance.choice(ANNUAL_AMOUNTS if annual else MONTHLY_AMOUNTS)
    amount = money.to_minor_units(major, currency)
    step = 12 if annual else 1
    ended_at = canceled_at = None
    cancel_at_period_end = False
    status = "active"

    if kind == PAST_DUE:
        failed_at = now - timedelta(days=chance.uniform(2, 18))
        paid = chance.randint(1, 12)
        started_at = add_months(failed_at, -paid)
        payments = [add_months(started_at, month) for month in range(paid)]
        period_end = failed_at
        status = "past_due"
    elif kind == CHURNED:
        ended_at = now - timedelta(days=chance.uniform(3, 160))
        paid = chance.randint(1, 10)
        started_at = add_months(ended_at, -paid)
        if started_at < now - timedelta(days=HISTORY_DAYS):
            started_at = add_months(ended_at, -1)
        payments = _due_dates(started_at, 1, ended_at - timedelta(seconds=1))
        period_end = canceled_at = ended_at
        status = "canceled"
    else:
        started_at = now - timedelta(days=_days_ago(chance))
        payments = _due_dates(started_at, step, now)
        period_end = add_months(started_at, step * len(payments))
        if kind == ENDING:
            cancel_at_period_end = True
            canceled_at = max(started_at, now - timedelta(days=chance.uniform(1, 12)))

    donor.created_at = started_at
    source = sources.pick(started_at, chance, language, 0.5)
    plan.donation = RecurringDonation(
        stripe_id=f"sub_demo_{number:03d}",
        status=status,
        interval=interval,
        amount=amount,
        currency=currency,
        cancel_at_period_end=cancel_at_period_end,
        current_period_end=period_end,
        started_at=started_at,
        canceled_at=canceled_at,
        ended_at=ended_at,
        livemode=False,
        language=language,
        source_page=source,
        synced_at=now,
    )
    for order, paid_at in enumerate(payments, start=1):
        plan.gifts.append(
            Gift(
                donor=donor,
                kind=MONTHLY if interval == MONTH else ANNUAL,
                amount=amount,
                currency=currency,
                paid_at=paid_at,
                stripe_invoice=f"in_demo_{number:03d}_{order:02d}",
                livemode=False,
                language=language,
                source_page=source,
                receipt_sent_at=paid_at + timedelta(minutes=2),
            )
        )
    if kind == ACTIVE and chance.random() < 0.06:  # an extra gift on top, once
        paid_at = started_at + (now - started_at) * chance.uniform(0.2, 0.9)
        plan.gifts.append(_one_time_gift(plan, 1, paid_at, chance, currency, sources, language))
    return plan


def _days_ago(chance: random.Random) -> float:
    """When a current supporter started: a steady trickle over 14 months, more of them
    recently (the appeal, and readers of the newest investigations)."""
    roll = chance.random()
    if roll < 0.12:
        return chance.uniform(0.5, CAMPAIGN_STARTED_DAYS_AGO - 0.5)
    if roll < 0.30:
        return chance.uniform(CAMPAIGN_STARTED_DAYS_AGO, 90)
    return chance.uniform(90, HISTORY_DAYS)


def _one_time_gift(
    plan: Planned,
    order: int,
    paid_at: datetime,
    chance: random.Random,
    currency: str,
    sources: Sources,
    language: str,
) -> Gift:
    return Gift(
        donor=plan.donor,
        kind=ONE_TIME,
        amount=money.to_minor_units(chance.choice(ONE_TIME_AMOUNTS), currency),
        currency=currency,
        paid_at=paid_at,
        stripe_payment_intent=f"pi_demo_{plan.number:03d}_{order:02d}",
        livemode=False,
        language=language,
        source_page=sources.pick(paid_at, chance, language, 0.6),
        receipt_sent_at=paid_at + timedelta(minutes=2),
    )


class Sources:
    """The demo articles readers came from, with their versions in each language."""

    def __init__(self, articles: Iterable[Page]) -> None:
        self.articles = sorted(articles, key=lambda page: page.first_published_at)
        self.versions: dict[tuple[UUID, str], Page] = {}
        originals = [page.translation_key for page in self.articles]
        for version in (
            Page.objects.live()
            .filter(translation_key__in=originals)
            .exclude(locale=Locale.get_default())
            .select_related("locale")
        ):
            self.versions[(version.translation_key, version.locale.language_code)] = version

    def pick(
        self, moment: datetime, chance: random.Random, language: str, odds: float
    ) -> Page | None:
        """Often, the article the reader came from: one already published by then, mostly in
        their own language when some read in it."""
        readable = [page for page in self.articles if page.first_published_at <= moment]
        if not readable or chance.random() >= odds:
            return None
        in_language = [
            self.versions[(page.translation_key, language)]
            for page in readable
            if (page.translation_key, language) in self.versions
        ]
        if in_language and chance.random() < 0.7:
            return chance.choice(in_language)  # (readers mostly give from their own language)
        return chance.choice(readable)


def attribute_to_campaign(planned: list[Planned], campaign: Campaign) -> None:
    """Most gifts begun while the appeal runs came through its links."""
    if campaign.starts_on is None:
        return
    chance = random.Random(f"{SEED}:campaign")  # noqa: S311 - invented data
    for plan in planned:
        donation = plan.donation
        if donation and _during(donation.started_at, campaign) and chance.random() < 0.8:
            donation.campaign = campaign
            for gift in plan.gifts:
                if gift.stripe_invoice:
                    gift.campaign = campaign
        for gift in plan.gifts:
            if gift.stripe_payment_intent and _during(gift.paid_at, campaign):
                gift.campaign = campaign if chance.random() < 0.8 else None


def _during(moment: datetime, campaign: Campaign) -> bool:
    return campaign.is_running(timezone.localdate(moment))


def save_supporters(planned: list[Planned]) -> None:
    """Write the planned rows in a few bulk inserts."""
    donors = Donor.objects.bulk_create([plan.donor for plan in planned], batch_size=500)
    for plan, donor in zip(planned, donors, strict=True):
        if plan.donation:
            plan.donation.donor = donor
        for gift in plan.gifts:
            gift.donor = donor
    donations = [plan.donation for plan in planned if plan.donation]
    RecurringDonation.objects.bulk_create(donations, batch_size=500)
    for plan in planned:
        for gift in plan.gifts:
            if gift.stripe_invoice:
                gift.recurring_donation = plan.donation
    Gift.objects.bulk_create([gift for plan in planned for gift in plan.gifts], batch_size=1000)


# --- Dates -------------------------------------------------------------------------------------


def _due_dates(started_at: datetime, step: int, until: datetime) -> list[datetime]:
    """The start and every `step` months after it, up to `until`."""
    dates = []
    months = 0
    while (due := add_months(started_at, months)) <= until:
        dates.append(due)
        months += step
    return dates
