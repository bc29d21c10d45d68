"""The compliance rules. Each takes plain values (a category slug, a datetime, a
text, flags) and returns a `Verdict`; none imports a domain app, so publishing,
bulletins, design and archive call them at approve, schedule and deliver time.

Rule codes: veda, veda_exenta, informe, promocion_personal, menores,
texto_alternativo, subtitulos, contraste."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pregon.compliance.models import (
    ComplianceSettings,
    ElectoralPeriod,
    ExemptCategory,
    GovernmentReport,
)
from pregon.compliance.periods import blackout_active, local_day
from pregon.compliance.promotion import check_personal_promotion
from pregon.compliance.text import category_label, category_slug
from pregon.compliance.verdict import Verdict, block, combine, ok
from pregon.core.spanish import spanish_date, spanish_range

MIN_CONTRAST = 4.5


@dataclass
class BlackoutRules:
    """A snapshot of periods and exemptions, so checking many items costs two queries."""

    periods: list[ElectoralPeriod]
    exemptions: dict[str, ExemptCategory]

    @classmethod
    def load(cls) -> "BlackoutRules":
        exemptions = {e.category: e for e in ExemptCategory.objects.filter(is_active=True)}
        return cls(list(ElectoralPeriod.objects.all()), exemptions)

    def periods_on(self, day: date) -> list[ElectoralPeriod]:
        return [p for p in self.periods if p.start <= day <= p.end]

    def free_from(self, day: date) -> date:
        """The first day on or after `day` outside every period (chained overlaps too)."""
        current = self.periods_on(day)
        while current:
            day = max(p.end for p in current) + timedelta(days=1)
            current = self.periods_on(day)
        return day

    def check(self, category: str, when: datetime | date) -> Verdict:
        day = local_day(when)
        periods = self.periods_on(day)
        if not periods:
            return Verdict()
        names = tuple(p.name for p in periods)
        exemption = self.exemptions.get(category_slug(category))
        if exemption:
            return ok(
                exemption_message(exemption, periods),
                "veda_exenta",
                periods=names,
                exemption_reason=exemption.reason,
            )
        until = self.free_from(day)
        return block(blackout_message(category, periods, until), "veda", periods=names, until=until)


def describe_periods(periods: list[ElectoralPeriod]) -> str:
    return "; ".join(f"«{p.name}» ({spanish_range(p.start, p.end)})" for p in periods)


def blackout_message(category: str, periods: list[ElectoralPeriod], until: date) -> str:
    word = "veda electoral" if len(periods) == 1 else "vedas electorales"
    return (
        f"Bloqueada por {word} {describe_periods(periods)}: la categoría "
        f"{category_label(category)} no está exenta. "
        f"Podrá publicarse a partir del {spanish_date(until)}."
    )


def exemption_message(exemption: ExemptCategory, periods: list[ElectoralPeriod]) -> str:
    ref = f" (autorización: {exemption.authorization})" if exemption.authorization else ""
    return (
        f"Permitida durante la veda {describe_periods(periods)}: la categoría "
        f"{category_label(exemption.category)} está exenta — {exemption.reason}{ref}."
    )


def check_blackout(category: str, when: datetime | date) -> Verdict:
    """May an item of `category` go out at `when`? Blocked inside a veda unless exempt."""
    return BlackoutRules.load().check(category, when)


@dataclass(frozen=True)
class HeldItem:
    id: object
    category: str
    scheduled_at: datetime
    verdict: Verdict


def held_items(items: Iterable[tuple[object, str, datetime]]) -> list[HeldItem]:
    """From (id, category, scheduled_at) triples, the ones a veda holds back —
    whenever they were scheduled. Publishing lists them and must not deliver them."""
    rules = BlackoutRules.load()
    held = []
    for item_id, category, scheduled_at in items:
        verdict = rules.check(category, scheduled_at)
        if verdict.blocked:
            held.append(HeldItem(item_id, category, scheduled_at, verdict))
    return held


def exempt_categories() -> set[str]:
    """Slugs of the categories that may go out during a veda."""
    return set(ExemptCategory.objects.filter(is_active=True).values_list("category", flat=True))


def press_room_blackout(now: datetime | None = None) -> ElectoralPeriod | None:
    """The veda the press room and feeds must honour now, if the mode is switched on."""
    if not ComplianceSettings.current().press_room_blackout_mode:
        return None
    return blackout_active(now)


def press_room_notice(now: datetime | None = None) -> str:
    """The notice the press room shows during a veda ("" when none applies)."""
    if press_room_blackout(now) is None:
        return ""
    return ComplianceSettings.current().press_room_notice


def press_room_hides(category: str, now: datetime | None = None) -> bool:
    """True when the public press room must hide an item of `category` right now."""
    if press_room_blackout(now) is None:
        return False
    return category_slug(category) not in exempt_categories()


def check_report_window(when: datetime | date) -> Verdict:
    """Report-related publications only inside [report − 7 days, report + 5 days]."""
    day = local_day(when)
    for report in GovernmentReport.objects.all():
        if report.window_start <= day <= report.window_end:
            return ok(
                f"Dentro de la ventana del {report} "
                f"({spanish_range(report.window_start, report.window_end)}); "
                f"{report.territory_note.lower()}.",
                "informe",
            )
    return block(
        "Fuera de la ventana del informe de gobierno: la difusión del informe solo se "
        "permite 7 días antes y 5 días después de su fecha.",
        "informe",
    )


def check_minors(contains_minors: bool, has_consent: bool, has_blurred: bool) -> Verdict:
    """An image with minors needs a consent record or a blurred derivative."""
    if not contains_minors or has_consent or has_blurred:
        return Verdict()
    return block(
        "Contiene menores de edad sin registro de consentimiento ni versión difuminada: "
        "no puede publicarse ni exportarse para el público.",
        "menores",
    )


def check_alt_text(alts: Iterable[str | None]) -> Verdict:
    """Every image needs alt text before approval. `alts`: one entry per image."""
    missing = [str(n) for n, alt in enumerate(alts, start=1) if not (alt or "").strip()]
    if not missing:
        return Verdict()
    which = "la imagen" if len(missing) == 1 else "las imágenes"
    return block(f"Falta texto alternativo en {which} {', '.join(missing)}.", "texto_alternativo")


def check_video_captions(
    has_captions: bool, no_captions_reason: str = "", name: str = ""
) -> Verdict:
    """A video needs captions, or a recorded reason why not (e.g. no speech)."""
    video = f"El video «{name}»" if name else "El video"
    if has_captions:
        return Verdict()
    if no_captions_reason.strip():
        return ok(f"{video} va sin subtítulos: {no_captions_reason.strip()}", "subtitulos")
    return block(
        f"{video} no tiene subtítulos ni motivo registrado (agréguelos en el archivo).",
        "subtitulos",
    )


def check_contrast(ratio: float) -> Verdict:
    """WCAG AA for normal text: at least 4.5:1."""
    if ratio >= MIN_CONTRAST:
        return Verdict()
    return block(f"Contraste insuficiente: {ratio:.2f}:1 (mínimo {MIN_CONTRAST}:1).", "contraste")


def check_publication(
    category: str,
    when: datetime | date,
    text: str = "",
    institutional: bool = True,
) -> Verdict:
    """The blackout and personal-promotion rules together (what the API exposes)."""
    return combine(
        check_blackout(category, when), check_personal_promotion(text, institutional, when)
    )
