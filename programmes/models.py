"""Django's entry point for the app's models, which live with their workflow."""

from .content.bases import PublicationStatus, published_q  # noqa: F401
from .content.facts import FactStatus, KeyFact, Result  # noqa: F401
from .content.models import (  # noqa: F401
    Currency,
    HomePage,
    LoadedRecord,
    Organisation,
    OrganisationKind,
    Participation,
    Programme,
    ProgrammeStage,
    Region,
    Source,
)
from .content.search_index import SearchEntry  # noqa: F401
from .editing.models import LinkCheck, SlugRedirect  # noqa: F401
from .translating.models import (  # noqa: F401
    GlossaryTerm,
    StoredStatus,
    StoredStatusRules,
    TranslationState,
)
