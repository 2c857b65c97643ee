"""Preset choices: stored codes, labels in the language spoken when they are read."""

from __future__ import annotations

from tmdesk import i18n
from tmdesk.domain.choices import (
    MEETING_KIND_LABELS,
    REASON_LABELS,
    NotInterestedReason,
    label,
    reason_text,
    stored_reason,
    yes_no,
)
from tmdesk.domain.dispositions import Disposition
from tmdesk.domain.scripts import ROLE_LABELS


def test_a_picked_reason_is_stored_as_its_code_with_the_words_typed():
    assert stored_reason(NotInterestedReason.NO_BUDGET) == "no_budget"
    assert stored_reason(NotInterestedReason.NO_BUDGET, "  до   весны ") == "no_budget: до весны"
    assert set(REASON_LABELS) == {reason.value for reason in NotInterestedReason}


def test_a_stored_reason_reads_in_the_language_spoken_and_typed_text_as_typed():
    i18n.use_language("ru")
    assert reason_text("no_budget") == "Нет бюджета"
    assert reason_text("other_supplier: до весны") == "Уже работают с другим поставщиком: до весны"
    assert reason_text("дорого, перезвонить летом") == "дорого, перезвонить летом"
    assert reason_text("No budget") == "No budget"  # typed words are never translated
    assert reason_text(None) == reason_text("") == ""
    i18n.use_language("en")
    assert reason_text("no_budget: до весны") == "No budget: до весны"


def test_labels_made_at_import_follow_a_later_change_of_language():
    """ROLE_LABELS and the disposition labels were dicts of _() calls, frozen in the language
    of the moment they were imported (before `[desk] language` was read)."""
    i18n.use_language("en")
    assert ROLE_LABELS["decision_maker"] == "decision maker (ЛПР)"
    assert Disposition.NO_ANSWER.label == "no answer"
    i18n.use_language("ru")
    assert ROLE_LABELS["decision_maker"] == "лицо, принимающее решение (ЛПР)"
    assert Disposition.NO_ANSWER.label == "недозвон"
    assert MEETING_KIND_LABELS["video"] == "видеовстреча"
    assert yes_no(True) == "да" and yes_no(None) == ""
    with i18n.speaking("en"):
        assert MEETING_KIND_LABELS["video"] == "video call"
    assert MEETING_KIND_LABELS["video"] == "видеовстреча"


def test_an_unknown_code_is_shown_as_it_is():
    assert label(MEETING_KIND_LABELS, "hologram") == "hologram"  # from a newer desk
    assert label(MEETING_KIND_LABELS, None, "—") == "—"
    assert "hologram" not in MEETING_KIND_LABELS and "video" in MEETING_KIND_LABELS
    assert MEETING_KIND_LABELS.msgid("on_site") == "on site"
