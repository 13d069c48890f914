"""Django loads the app's admin here; each module family registers its own pages."""

from reviews.committee import admin as committee_admin
from reviews.council import admin as council_admin
from reviews.workflow import admin as workflow_admin

__all__ = ["committee_admin", "council_admin", "workflow_admin"]
