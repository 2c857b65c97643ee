"""The qualification form's door to the services: opening the lead's script with its draft,
keeping the draft, submitting and moving on (see tmdesk.tui.work)."""

from tmdesk.services.qualification import QualificationError, Submitted
from tmdesk.services.qualification_desk import (
    FormDraft,
    QualificationForm,
    form_with_draft,
    open_form,
    store_draft,
    submit_and_advance,
)

__all__ = [
    "FormDraft",
    "QualificationError",
    "QualificationForm",
    "Submitted",
    "form_with_draft",
    "open_form",
    "store_draft",
    "submit_and_advance",
]
