"""Compliance with Mexican rules for government communication.

Integration contract for publishing, bulletins, design and archive (this app
imports none of them; they call these with plain values):

    from pregon.compliance.rules import (
        check_blackout, held_items, check_minors, check_alt_text,
        check_video_captions, check_contrast, check_report_window,
        blackout_active, press_room_hides, exempt_categories,
    )
    from pregon.compliance.promotion import check_personal_promotion
    from pregon.compliance.verdict import combine
    from pregon.compliance.services import record_verdict

    verdict = combine(
        check_blackout(pub.category, scheduled_at),          # approve/schedule/deliver
        check_personal_promotion(text, channel.is_institutional, scheduled_at),
        check_alt_text([img.alt_text for img in images]),     # approve
    )
    if not verdict.allowed:
        record_verdict(verdict, app_label="publishing", object_id=pub.pk,
                       object_label=str(pub), user=user, item_date=scheduled_at)
        raise ValidationError(verdict.messages)
    record_verdict(...)   # also when allowed: logs flags and exemptions used

Held items: an app that holds items back during a veda lists them on the
compliance page by registering a provider in its AppConfig.ready():
`holds.register("publishing", "pregon.publishing.compliance.held_for_compliance_page")`
(see holds.py).

Every rule returns a `verdict.Verdict` (allowed, severity ok/flag/block,
messages, rules, periods, until, exemption_reason, matches). Category slugs are
matched without accents or case (see `text.CATEGORY_LABELS`). A veda includes its
first and its last day (the vote day).
"""
