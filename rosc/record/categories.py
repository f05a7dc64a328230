"""The kinds of information in the shared record that a consent can cover.

A consent names the categories a recipient may see; every read is checked
and logged against one of them. Identity (name and date of birth) is shown
with any category: it is what says whose record it is.
"""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    CONTACT = "contact", "Contact details"
    PLAN = "plan", "Recovery plan"
    REFERRALS = "referrals", "Referrals"
    OUTCOMES = "outcomes", "Outcomes"
    NOTES = "notes", "Notes"


# Categories a peer mentor can ever be given, whatever a consent says: peer
# support needs to reach the person and know their plan, never clinical notes,
# referrals or outcome scores.
PEER_MENTOR_CATEGORIES = frozenset({Category.CONTACT, Category.PLAN})
